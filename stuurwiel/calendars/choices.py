from django.db import models
from django.utils.translation import gettext_lazy as _


class Weekday(models.IntegerChoices):
    """ISO weekdays, as the business-time module numbers them."""

    MONDAY = 1, _("Monday")
    TUESDAY = 2, _("Tuesday")
    WEDNESDAY = 3, _("Wednesday")
    THURSDAY = 4, _("Thursday")
    FRIDAY = 5, _("Friday")
    SATURDAY = 6, _("Saturday")
    SUNDAY = 7, _("Sunday")


class ClosedDayKind(models.TextChoices):
    """Where a closed day of a calendar comes from."""

    HOLIDAY = "holiday", _("public holiday")
    CLOSING = "closing", _("extra closing day")
    FEED = "feed", _("from a holiday feed")
