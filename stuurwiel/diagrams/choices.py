from django.db import models
from django.utils.translation import gettext_lazy as _


class PartStatus(models.TextChoices):
    """How far a subject answers one part of a framework, as a diagram shows it."""

    ANSWERED = "answered", _("Answered")
    PARTLY = "partly", _("Partly answered")
    UNANSWERED = "unanswered", _("Unanswered")
