from django.db import models
from django.utils.translation import gettext_lazy as _


class ChangeAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    DELETE = "delete", _("Deleted")


class ChangeSource(models.TextChoices):
    """Where a write came from; set per request or per command."""

    UI = "ui", _("Web interface")
    API = "api", _("API")
    COMMAND = "command", _("Command line")
    JOB = "job", _("Background job")
    SYSTEM = "system", _("System")
