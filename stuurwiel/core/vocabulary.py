"""The connected model's vocabulary: the types of elements and relations.

Shared by the framework libraries (which say which element types answer a part
and which relation type realises a link) and by the graph (whose elements and
relations have these types), so neither has to import the other's module for it.
The types stay close to ArchiMate, so exchange with Archi is a mapping.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


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
