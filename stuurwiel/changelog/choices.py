from django.db import models
from django.utils.translation import gettext_lazy as _


class ChangeAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    DELETE = "delete", _("Deleted")


class ChangeSource(models.TextChoices):
    """Where a write came from; set per request, command or job."""

    UI = "ui", _("Web interface")
    API = "api", _("API")
    COMMAND = "command", _("Command line")
    JOB = "job", _("Background job")
    SYSTEM = "system", _("System")


# Shown after the actor's name for writes made outside a request ("Demo (opdrachtregel)").
SOURCE_SUFFIX = {
    ChangeSource.COMMAND: _("command line"),
    ChangeSource.JOB: _("job"),
}
