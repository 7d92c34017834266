"""Reads for service design: querysets with what their pages need joined."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce

from stuurwiel.services.choices import ServiceStatus
from stuurwiel.services.models import (
    CanvasItem,
    DesignApproval,
    InfrastructureComponent,
    Interface,
    Link,
    Service,
)


def _count(model, field: str):
    rows = (
        model.objects.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def service_queryset() -> QuerySet[Service]:
    """Services with owner, calendar and the size of their chain (correlated
    counts, worked out for the rows fetched only)."""
    return (
        Service.objects.select_related("organisation", "owner", "calendar", "generic_service")
        .annotate(link_count=_count(Link, "service"), interface_count=_count(Interface, "service"))
        .order_by("name", "id")
    )


def requester_catalogue(organisation) -> QuerySet[Service]:
    """Live services, as requesters see them (customer words only)."""
    return (
        Service.objects.filter(organisation=organisation, status=ServiceStatus.LIVE)
        .only("pk", "name", "customer_value", "customer_description", "organisation_id")
        .order_by("name", "id")
    )


def _known(rows, field: str, objects: dict) -> None:
    """Give each row's ``field`` the object already fetched (by id), instead of
    joining or fetching it again; an id not among them is left to load as usual."""
    for row in rows:
        obj = objects.get(getattr(row, f"{field}_id"))
        if obj is not None:
            setattr(row, field, obj)


def service_page(service: Service) -> dict:
    """Everything the service page shows, in a fixed number of queries. The
    interfaces and components point at the links fetched here, and every row (its
    URL names the organisation's slug) at the service's organisation: a part and
    its model element are in the service's organisation (``clean()`` refuses
    others), so nothing is fetched or built twice."""
    organisation = {service.organisation_id: service.organisation}
    links = list(
        Link.objects.filter(service=service)
        .select_related("team", "supplier")
        .prefetch_related("canvas_items")
        .order_by("position", "id")
    )
    by_id = {link.pk: link for link in links}
    interfaces = list(Interface.objects.filter(service=service).order_by("id"))
    _known(interfaces, "source_link", by_id)
    _known(interfaces, "target_link", by_id)
    components = list(
        InfrastructureComponent.objects.filter(service=service)
        .select_related("element")
        .order_by("kind", "name", "id")
    )
    _known(components, "managed_by", by_id)
    elements = [component.element for component in components if component.element_id]
    for rows in (links, interfaces, components, elements):
        _known(rows, "organisation", organisation)
    approvals = list(
        DesignApproval.objects.filter(service=service).order_by("-created_at", "-id")[:20]
    )
    return {
        "links": links,
        "interfaces": interfaces,
        "components": components,
        "approvals": approvals,
        "customers": list(service.customers.all()),
        "specific_services": list(service.specific_services.order_by("name")),
    }


def link_queryset() -> QuerySet[Link]:
    return (
        Link.objects.select_related("organisation", "service", "team", "supplier")
        .prefetch_related(Prefetch("canvas_items", queryset=CanvasItem.objects.order_by("name")))
        .order_by("service__name", "position", "id")
    )


def interface_queryset() -> QuerySet[Interface]:
    return Interface.objects.select_related(
        "organisation",
        "service",
        "source_link__team",
        "source_link__supplier",
        "target_link__team",
        "target_link__supplier",
    ).order_by("service__name", "name", "id")


def component_queryset() -> QuerySet[InfrastructureComponent]:
    return InfrastructureComponent.objects.select_related(
        "organisation", "service", "element", "managed_by__team", "managed_by__supplier"
    ).order_by("service__name", "kind", "name", "id")


def canvas_item_queryset() -> QuerySet[CanvasItem]:
    return CanvasItem.objects.select_related("organisation", "service").order_by(
        "service__name", "section", "position", "id"
    )
