"""Reads of the webhooks app: the endpoints and the delivery log of an organisation."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from stuurwiel.webhooks.choices import DeliveryStatus
from stuurwiel.webhooks.models import WebhookDelivery, WebhookEndpoint


def endpoint_queryset() -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.select_related("supplier", "link__supplier", "link__service")


def endpoint_list(organisation) -> QuerySet[WebhookEndpoint]:
    """The organisation's endpoints, each with its number of failed deliveries."""
    return (
        endpoint_queryset()
        .filter(organisation=organisation)
        .annotate(
            failed_count=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.FAILED))
        )
        .order_by("url", "id")
    )


def delivery_queryset() -> QuerySet[WebhookDelivery]:
    return WebhookDelivery.objects.select_related("endpoint", "call")


def delivery_list(organisation, *, status: str = "", endpoint_id=None) -> QuerySet[WebhookDelivery]:
    """The delivery log, newest first; ``status`` and ``endpoint_id`` narrow it."""
    deliveries = delivery_queryset().filter(organisation=organisation)
    if status in DeliveryStatus.values:
        deliveries = deliveries.filter(status=status)
    if endpoint_id is not None:
        deliveries = deliveries.filter(endpoint_id=endpoint_id)
    return deliveries.order_by("-created_at", "-id")
