"""Reads for service design: querysets with what their pages need joined."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce

from stuurwiel.services.choices import ServiceForm, ServiceStatus
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
    """Everything the service page shows, and what its design gate reads besides
    (the canvas items), in a fixed number of queries. The interfaces and
    components point at the links fetched here, each link's ``contributes_to`` at
    the canvas items fetched here, and every row (its URL names the
    organisation's slug) at the service's organisation: a part, its model element
    and the service hours are in the service's organisation (``clean()`` refuses
    others), so nothing is fetched or built twice."""
    organisation = {service.organisation_id: service.organisation}
    links = list(
        Link.objects.filter(service=service)
        .select_related("team", "supplier")
        .order_by("position", "id")
    )
    by_id = {link.pk: link for link in links}
    canvas_items = list(
        CanvasItem.objects.filter(service=service).order_by("section", "position", "id")
    )
    _contributions(service, links, canvas_items)
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
    calendars = [service.calendar] if service.calendar_id else []
    for rows in (links, interfaces, components, elements, canvas_items, calendars):
        _known(rows, "organisation", organisation)
    approvals = list(
        DesignApproval.objects.filter(service=service).order_by("-created_at", "-id")[:20]
    )
    return {
        "links": links,
        "interfaces": interfaces,
        "components": components,
        "approvals": approvals,
        "canvas_items": canvas_items,
        "customers": list(service.customers.all()),
        # Only a generic service has specific services (Service.clean()).
        "specific_services": list(service.specific_services.order_by("name"))
        if service.form == ServiceForm.GENERIC
        else [],
    }


def _contributions(service: Service, links: list[Link], canvas_items: list[CanvasItem]) -> None:
    """Give each link ``contributes_to``: the canvas items it contributes to, in
    canvas order, read as pairs of ids (no second fetch of the items)."""
    pairs = Link.canvas_items.through.objects.filter(link__service=service)
    chosen: dict[int, set[int]] = {}
    for link_id, item_id in pairs.values_list("link_id", "canvasitem_id"):
        chosen.setdefault(link_id, set()).add(item_id)
    for link in links:
        ids = chosen.get(link.pk, set())
        link.contributes_to = [item for item in canvas_items if item.pk in ids]


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


def approval_queryset() -> QuerySet[DesignApproval]:
    return DesignApproval.objects.select_related("organisation", "service").order_by(
        "service__name", "-created_at", "-id"
    )
