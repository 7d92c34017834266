from django.db import models
from django.utils.translation import gettext_lazy as _


class ValueCategory(models.TextChoices):
    """IDM's balance of value over People, Planet and Profit."""

    PEOPLE = "people", _("People")
    PLANET = "planet", _("Planet")
    PROFIT = "profit", _("Profit")


class Level(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")
