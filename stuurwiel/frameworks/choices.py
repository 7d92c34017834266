from django.db import models
from django.utils.translation import gettext_lazy as _


class RuleSeverity(models.TextChoices):
    ERROR = "error", _("Error")
    WARNING = "warning", _("Warning")
    INFO = "info", _("Information")


class RuleKind(models.TextChoices):
    """Coherence rule kinds a library may declare; evaluated by the coherence engine."""

    PART_ANSWERED = "part_answered", _("Every part is answered")
    LINK_EXPECTED = "link_expected", _("An expected link is present")
    CADENCE_DUE = "cadence_due", _("Cadence is kept")
    ROLE_SEPARATION = "role_separation", _("Roles are separated")
    SINGLE_OWNER = "single_owner", _("Exactly one owner")
    PERSON_SEPARATION = "person_separation", _("Nobody judges their own work")
    ELEMENT_TYPE_FITS = "element_type_fits", _("An answer has a type that fits its part")
    EXCLUSIVE_PARTS = "exclusive_parts", _("An element answers only one of these parts")
    PARTS_LINKED = "parts_linked", _("Each of these parts is linked")
    PATH_EXPECTED = "path_expected", _("The parts are linked in order")
    ELEMENT_RELATED = "element_related", _("Each answer is related to an element of a kind")
    TYPES_PRESENT = "types_present", _("Each of these kinds of answer is present")
    CHAIN_COVERED = "chain_covered", _("Every link of the chain is covered")
    PARTS_IN_ORDER = "parts_in_order", _("The parts are worked out in order")
    ANSWERS_WITHIN = "answers_within", _("Each answer lies within one of these parts")


class Provenance(models.TextChoices):
    """Where a part, link type or rule of a library comes from (its ``source``)."""

    SEED = "seed", _("From the source")
    CITED = "cited", _("From another source")
    READING = "reading", _("Our reading")


class LoadStatus(models.TextChoices):
    """What loading a library did to its framework."""

    CREATED = "created", _("created")
    UPDATED = "updated", _("updated")
    UNCHANGED = "unchanged", _("unchanged")


# Labels for the part kinds the bundled libraries use. A library may use any word;
# unknown kinds are shown as written, with spaces for underscores.
PART_KIND_LABELS = {
    "aspect": _("aspect"),
    "boundary_crossing": _("boundary crossing"),
    "call_type": _("call type"),
    "canvas_cell": _("canvas cell"),
    "centre": _("centre"),
    "cimo": _("CIMO configuration"),
    "coherence": _("coherence"),
    "development_process": _("development process"),
    "dimension": _("dimension"),
    "domain": _("domain"),
    "function_separation": _("function separation"),
    "implementation": _("implementation"),
    "implementation_step": _("implementation step"),
    "intervention_line": _("intervention line"),
    "learning_agenda": _("learning agenda"),
    "learning_horizon": _("learning horizon"),
    "level": _("level"),
    "line": _("line"),
    "pitfall": _("pitfall"),
    "priority_matrix": _("priority matrix"),
    "process": _("process"),
    "profile": _("profile"),
    "reach_level": _("reach level"),
    "scale_level": _("scale level"),
    "service_definition": _("service definition"),
    "signal": _("signal"),
    "sma": _("SMA"),
    "sma_element": _("SMA element"),
    "social_dynamics": _("social dynamics"),
    "step": _("step"),
    "sub_area": _("sub-area"),
    "workflow_pattern": _("workflow pattern"),
}
