from django.db import models
from django.utils.translation import gettext_lazy as _


class DeliveryStatus(models.TextChoices):
    """Where one webhook message stands: waiting for its (next) attempt, received
    by the supplier (a 2xx answer), or given up after the last retry."""

    PENDING = "pending", _("pending")
    DELIVERED = "delivered", _("delivered")
    FAILED = "failed", _("failed")
