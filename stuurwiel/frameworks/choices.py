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
