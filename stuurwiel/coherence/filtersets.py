"""Filters of the coherence findings, for the API list (and any list page):
by subject, framework (its ``ref_id``), severity and state."""

import django_filters
from django.utils.translation import gettext_lazy as _

from stuurwiel.coherence.choices import FindingOutcome, FindingStatus
from stuurwiel.coherence.models import Finding
from stuurwiel.frameworks.choices import RuleSeverity
from stuurwiel.frameworks.models import Framework
from stuurwiel.graph.models import Subject
from stuurwiel.organisations.access import restrict


def _subjects(request):
    """The subjects of the organisation in the URL the member may see: a choice
    must not name what the access layer hides."""
    organisation = getattr(request, "organisation", None)
    viewer = getattr(request, "access", None)
    if organisation is None or viewer is None:
        return Subject.objects.none()
    return restrict(Subject.objects.filter(organisation=organisation).order_by("name"), viewer)


class FindingFilterSet(django_filters.FilterSet):
    subject = django_filters.ModelChoiceFilter(queryset=_subjects, label=_("Subject"))
    framework = django_filters.ModelChoiceFilter(
        queryset=Framework.objects.order_by("name_nl"), to_field_name="ref_id", label=_("Framework")
    )
    severity = django_filters.ChoiceFilter(choices=RuleSeverity.choices, label=_("Severity"))
    state = django_filters.ChoiceFilter(
        field_name="status", choices=FindingStatus.choices, label=_("State")
    )
    outcome = django_filters.ChoiceFilter(choices=FindingOutcome.choices, label=_("Outcome"))

    class Meta:
        model = Finding
        fields = ["subject", "framework", "severity", "state", "outcome"]
