from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    """What an e-mail is about; each kind is switched on or off per organisation."""

    REGISTERED = "registered", _("the requester: their call is registered")
    CONFIRM_REQUEST = (
        "confirm_request",
        _("the requester: the work is delivered, please confirm it is resolved"),
    )
    RESOLVED = "resolved", _("the requester: their call is resolved")
    HANDED_OVER = "handed_over", _("a link: a call is handed over to it")
    CLOCK_WARNING = "clock_warning", _("the coordinator: a norm is nearly used (75 %)")


class NotificationStatus(models.TextChoices):
    PENDING = "pending", _("waiting to be sent")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")
