import django_filters
from django.utils.translation import gettext_lazy as _

from stuurwiel.core.filtersets import IdFilter, SearchFilterSet
from stuurwiel.services.choices import ApprovalDecision, ComponentKind, ServiceForm, ServiceStatus
from stuurwiel.services.models import (
    CanvasItem,
    DesignApproval,
    InfrastructureComponent,
    Interface,
    Link,
    Service,
)


class ServiceFilterSet(SearchFilterSet):
    search_fields = ("name", "customer_value", "customer_description")
    status = django_filters.ChoiceFilter(choices=ServiceStatus.choices, label=_("Status"))
    form = django_filters.ChoiceFilter(choices=ServiceForm.choices, label=_("Form"))
    owner = IdFilter(field_name="owner_id", label=_("Owner"))

    class Meta:
        model = Service
        fields = ["q", "status", "form", "owner"]


class LinkFilterSet(SearchFilterSet):
    search_fields = ("team__name", "supplier__name", "contribution")
    service = IdFilter(field_name="service_id", label=_("Service"))
    team = IdFilter(field_name="team_id", label=_("Team"))
    supplier = IdFilter(field_name="supplier_id", label=_("Supplier"))

    class Meta:
        model = Link
        fields = ["q", "service", "team", "supplier"]


class InterfaceFilterSet(SearchFilterSet):
    search_fields = ("name", "passes", "trigger", "expected_response")
    service = IdFilter(field_name="service_id", label=_("Service"))

    class Meta:
        model = Interface
        fields = ["q", "service"]


class InfrastructureComponentFilterSet(SearchFilterSet):
    search_fields = ("name", "description")
    service = IdFilter(field_name="service_id", label=_("Service"))
    kind = django_filters.ChoiceFilter(choices=ComponentKind.choices, label=_("Kind"))

    class Meta:
        model = InfrastructureComponent
        fields = ["q", "service", "kind"]


class CanvasItemFilterSet(SearchFilterSet):
    search_fields = ("name",)
    service = IdFilter(field_name="service_id", label=_("Service"))

    class Meta:
        model = CanvasItem
        fields = ["q", "service"]


class DesignApprovalFilterSet(SearchFilterSet):
    search_fields = ("decided_by_name", "comment")
    service = IdFilter(field_name="service_id", label=_("Service"))
    decision = django_filters.ChoiceFilter(choices=ApprovalDecision.choices, label=_("Decision"))

    class Meta:
        model = DesignApproval
        fields = ["q", "service", "decision"]
