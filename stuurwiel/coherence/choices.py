from django.db import models
from django.utils.translation import gettext_lazy as _


class FindingStatus(models.TextChoices):
    """Open while the rule still fails for its subject; resolved once it holds."""

    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")


class FindingOutcome(models.TextChoices):
    """A rule failed for the subject, or it could not be checked there (and why)."""

    FAILED = "failed", _("Does not hold")
    UNCHECKED = "unchecked", _("Could not be checked")


#: Severity weights for the coherence score: an error counts three times a warning.
SEVERITY_WEIGHT = {"error": 3, "warning": 2, "info": 1}
