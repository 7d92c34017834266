"""Types of the connected model. Element and relation types stay close to
ArchiMate (``ARCHIMATE_ELEMENT`` maps them) so exchange with Archi is a mapping,
not a translation; types ArchiMate lacks (learning question, mechanism, …) map
to the nearest motivation element."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# The vocabulary lives in core (frameworks use it too); re-exported here, where
# the graph's code looks for its choices.
from stuurwiel.core.vocabulary import ElementType, RelationType

__all__ = [
    "ARCHIMATE_COUNTERPART",
    "ARCHIMATE_ELEMENT",
    "ELEMENT_LAYER",
    "ElementLayer",
    "ElementType",
    "RelationType",
    "SubjectKind",
    "SubjectStatus",
]


class SubjectKind(models.TextChoices):
    CAPABILITY = "capability", _("Capability")
    DIGITALISATION_AGENDA = "digitalisation_agenda", _("Digitalisation agenda")
    SERVICE = "service", _("Service")
    MISSION_ENVIRONMENT = "mission_environment", _("Mission-driven environment")


class SubjectStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    RETIRED = "retired", _("Retired")


ARCHIMATE_ELEMENT: dict[str, str] = {
    ElementType.DRIVER: "Driver",
    ElementType.GOAL: "Goal",
    ElementType.OUTCOME: "Outcome",
    ElementType.OUTPUT: "Deliverable",
    ElementType.VALUE: "Value",
    ElementType.PRINCIPLE: "Principle",
    ElementType.REQUIREMENT: "Requirement",
    ElementType.CONSTRAINT: "Constraint",
    ElementType.ASSESSMENT: "Assessment",
    ElementType.STAKEHOLDER: "Stakeholder",
    ElementType.ROLE: "BusinessRole",
    ElementType.ACTOR: "BusinessActor",
    ElementType.DECISION: "Assessment",
    ElementType.CAPABILITY: "Capability",
    ElementType.COURSE_OF_ACTION: "CourseOfAction",
    ElementType.PROCESS: "BusinessProcess",
    ElementType.SERVICE: "BusinessService",
    ElementType.MEANS: "Resource",
    ElementType.APPLICATION: "ApplicationComponent",
    ElementType.DATA_OBJECT: "DataObject",
    ElementType.TECHNOLOGY: "Node",
    ElementType.WORK_PACKAGE: "WorkPackage",
    ElementType.DELIVERABLE: "Deliverable",
    ElementType.MEASURE: "Meaning",
    ElementType.RISK: "Assessment",
    ElementType.CONTEXT_FACTOR: "Driver",
    ElementType.INTERVENTION: "CourseOfAction",
    ElementType.MECHANISM: "Meaning",
    ElementType.LEARNING_QUESTION: "Assessment",
}


# The element types that *are* an ArchiMate element type (not merely near one): only
# these are held to ArchiMate 3.2's relationship table (graph/archimate.py). Output,
# decision, measure, risk, context factor, intervention, mechanism and learning
# question only borrow a nearby type above for exchange, so they are not checked.
ARCHIMATE_COUNTERPART: dict[str, str] = {
    value: ARCHIMATE_ELEMENT[value]
    for value in (
        ElementType.DRIVER,
        ElementType.GOAL,
        ElementType.OUTCOME,
        ElementType.VALUE,
        ElementType.PRINCIPLE,
        ElementType.REQUIREMENT,
        ElementType.CONSTRAINT,
        ElementType.ASSESSMENT,
        ElementType.STAKEHOLDER,
        ElementType.ROLE,
        ElementType.ACTOR,
        ElementType.CAPABILITY,
        ElementType.COURSE_OF_ACTION,
        ElementType.PROCESS,
        ElementType.SERVICE,
        ElementType.MEANS,
        ElementType.APPLICATION,
        ElementType.DATA_OBJECT,
        ElementType.TECHNOLOGY,
        ElementType.WORK_PACKAGE,
        ElementType.DELIVERABLE,
    )
}


class ElementLayer(models.TextChoices):
    """ArchiMate's layers, top to bottom as Archi draws a layered view; the model
    graph colours and shapes an element by its layer."""

    MOTIVATION = "motivation", _("Motivation")
    STRATEGY = "strategy", _("Strategy")
    BUSINESS = "business", _("Business")
    APPLICATION = "application", _("Application")
    TECHNOLOGY = "technology", _("Technology")
    IMPLEMENTATION = "implementation", _("Implementation & migration")


# The layer of each element type: that of its ArchiMate counterpart (or, for a type
# ArchiMate lacks, of the element it borrows in ``ARCHIMATE_ELEMENT``).
ELEMENT_LAYER: dict[str, str] = {
    **dict.fromkeys(
        (
            ElementType.DRIVER,
            ElementType.GOAL,
            ElementType.OUTCOME,
            ElementType.VALUE,
            ElementType.PRINCIPLE,
            ElementType.REQUIREMENT,
            ElementType.CONSTRAINT,
            ElementType.ASSESSMENT,
            ElementType.STAKEHOLDER,
            ElementType.DECISION,
            ElementType.MEASURE,
            ElementType.RISK,
            ElementType.CONTEXT_FACTOR,
            ElementType.MECHANISM,
            ElementType.LEARNING_QUESTION,
        ),
        ElementLayer.MOTIVATION,
    ),
    **dict.fromkeys(
        (
            ElementType.CAPABILITY,
            ElementType.COURSE_OF_ACTION,
            ElementType.MEANS,
            ElementType.INTERVENTION,
        ),
        ElementLayer.STRATEGY,
    ),
    **dict.fromkeys(
        (ElementType.ROLE, ElementType.ACTOR, ElementType.PROCESS, ElementType.SERVICE),
        ElementLayer.BUSINESS,
    ),
    ElementType.APPLICATION: ElementLayer.APPLICATION,
    ElementType.DATA_OBJECT: ElementLayer.APPLICATION,
    ElementType.TECHNOLOGY: ElementLayer.TECHNOLOGY,
    **dict.fromkeys(
        (ElementType.WORK_PACKAGE, ElementType.DELIVERABLE, ElementType.OUTPUT),
        ElementLayer.IMPLEMENTATION,
    ),
}
