from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiagramsConfig(AppConfig):
    name = "stuurwiel.diagrams"
    verbose_name = _("Diagrams")
