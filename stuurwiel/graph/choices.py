"""Types of the connected model. Element and relation types stay close to
ArchiMate (``ARCHIMATE_ELEMENT`` maps them) so exchange with Archi is a mapping,
not a translation; types ArchiMate lacks (learning question, mechanism, …) map
to the nearest motivation element."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SubjectKind(models.TextChoices):
    CAPABILITY = "capability", _("Capability")
    DIGITALISATION_AGENDA = "digitalisation_agenda", _("Digitalisation agenda")
    SERVICE = "service", _("Service")
    MISSION_ENVIRONMENT = "mission_environment", _("Mission-driven environment")


class SubjectStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    RETIRED = "retired", _("Retired")


class ElementType(models.TextChoices):
    DRIVER = "driver", _("Driver")
    GOAL = "goal", _("Goal")
    OUTCOME = "outcome", _("Outcome")
    OUTPUT = "output", _("Output")
    VALUE = "value", _("Value")
    PRINCIPLE = "principle", _("Principle")
    REQUIREMENT = "requirement", _("Requirement")
    CONSTRAINT = "constraint", _("Constraint")
    ASSESSMENT = "assessment", _("Assessment")
    STAKEHOLDER = "stakeholder", _("Stakeholder")
    ROLE = "role", _("Role")
    ACTOR = "actor", _("Actor")
    DECISION = "decision", _("Decision")
    CAPABILITY = "capability", _("Capability")
    COURSE_OF_ACTION = "course_of_action", _("Course of action")
    PROCESS = "process", _("Process")
    SERVICE = "service", _("Service")
    MEANS = "means", _("Means")
    APPLICATION = "application", _("Application")
    DATA_OBJECT = "data_object", _("Data object")
    TECHNOLOGY = "technology", _("Technology")
    WORK_PACKAGE = "work_package", _("Work package")
    DELIVERABLE = "deliverable", _("Deliverable")
    MEASURE = "measure", _("Measure")
    RISK = "risk", _("Risk")
    CONTEXT_FACTOR = "context_factor", _("Context factor")
    INTERVENTION = "intervention", _("Intervention")
    MECHANISM = "mechanism", _("Mechanism")
    LEARNING_QUESTION = "learning_question", _("Learning question")


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


class RelationType(models.TextChoices):
    """ArchiMate's relationships, with Dutch labels."""

    COMPOSITION = "composition", _("Composition")
    AGGREGATION = "aggregation", _("Aggregation")
    ASSIGNMENT = "assignment", _("Assignment")
    REALIZATION = "realization", _("Realization")
    SERVING = "serving", _("Serving")
    ACCESS = "access", _("Access")
    INFLUENCE = "influence", _("Influence")
    TRIGGERING = "triggering", _("Triggering")
    FLOW = "flow", _("Flow")
    SPECIALIZATION = "specialization", _("Specialization")
    ASSOCIATION = "association", _("Association")
