from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoherenceConfig(AppConfig):
    name = "stuurwiel.coherence"
    verbose_name = _("Coherence")

    def ready(self) -> None:
        from stuurwiel.coherence.services import findings_refresh
        from stuurwiel.core import touch

        # Findings follow every write of the connected model (core/touch.py says why
        # this is a registered call and not a signal).
        touch.listen(findings_refresh)
