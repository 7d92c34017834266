import django_filters
from django.utils.translation import gettext_lazy as _

from stuurwiel.agreements.choices import AgreementKind, MatrixKind, VersionStatus
from stuurwiel.agreements.models import Agreement, AgreementVersion, PriorityCell
from stuurwiel.core.filtersets import IdFilter, SearchFilterSet


class AgreementFilterSet(SearchFilterSet):
    search_fields = ("name", "service__name")
    kind = django_filters.ChoiceFilter(choices=AgreementKind.choices, label=_("Kind"))
    service = IdFilter(field_name="service_id", label=_("Service"))

    class Meta:
        model = Agreement
        fields = ["q", "kind", "service"]


class AgreementVersionFilterSet(SearchFilterSet):
    search_fields = ("agreement__name", "facility_functionality", "notes")
    agreement = IdFilter(field_name="agreement_id", label=_("Agreement"))
    status = django_filters.ChoiceFilter(choices=VersionStatus.choices, label=_("Status"))

    class Meta:
        model = AgreementVersion
        fields = ["q", "agreement", "status"]


class PriorityCellFilterSet(django_filters.FilterSet):
    matrix = django_filters.ChoiceFilter(choices=MatrixKind.choices, label=_("Matrix"))

    class Meta:
        model = PriorityCell
        fields = ["matrix"]
