"""The webhooks consumer of :func:`stuurwiel.calls.outbound.events_recorded`.

A hand-over to a supplier link whose supplier (or that link) has an active
endpoint becomes a :class:`~stuurwiel.webhooks.models.WebhookDelivery` in the
same transaction; the job runner sends it afterwards. What the message carries
is what the interface passes to the supplier — never internal notes, nor the
requester's name or contact — so a supplier stays a black box on both sides.

Cost: nothing for events that are no hand-over to a supplier (a transition
keeps its statement budget); one query when no endpoint listens; with
endpoints, one more for the UC norm and one insert.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from django.db.models import Q
from django.urls import reverse

from stuurwiel.calls.choices import EventKind
from stuurwiel.calls.models import Call, CallEvent
from stuurwiel.webhooks.choices import DeliveryStatus
from stuurwiel.webhooks.models import WebhookDelivery, WebhookEndpoint

MESSAGE_TYPE = "call.handed_over"


def message_id_new() -> str:
    return f"msg_{uuid.uuid4().hex}"


def _uc_norm(call: Call, link) -> dict | None:
    """The response and resolution norm of the link's active UC for the call's priority."""
    from stuurwiel.agreements.choices import AgreementKind, VersionStatus
    from stuurwiel.agreements.models import Norm

    if call.priority is None:
        return None
    row = (
        Norm.objects.filter(
            agreement_version__agreement__link=link,
            agreement_version__agreement__kind=AgreementKind.UC,
            agreement_version__status=VersionStatus.ACTIVE,
            priority=call.priority,
        )
        .values("response_minutes", "resolution_minutes")
        .first()
    )
    return dict(row) if row else None


def handover_payload(call: Call, event: CallEvent, *, norm: dict | None) -> dict:
    """The message of one hand-over: what a supplier needs to act, and no more."""
    slug = call.organisation.slug
    link = event.to_link
    return {
        "type": MESSAGE_TYPE,
        "timestamp": event.at.isoformat(),
        "data": {
            "organisation": slug,
            "call": {
                "id": call.pk,
                "number": call.number,
                "service": call.service.name,
                "call_type": call.call_type,
                "priority": call.priority,
                "version": call.version,
            },
            "link": {"id": link.pk, "name": str(link)},
            "passes": (event.data or {}).get("passes", ""),
            "reason": event.text,
            "uc_norm_minutes": norm,
            "hand_back_url": reverse(
                "calls-api:call-hand-back", kwargs={"org": slug, "pk": call.pk}
            ),
        },
    }


def deliveries_queue(call: Call, events: Sequence[CallEvent]) -> list[WebhookDelivery]:
    """Outbox rows for the hand-overs to supplier links among ``events``."""
    handovers = [
        event
        for event in events
        if event.kind == EventKind.HANDED_OVER
        and event.to_link_id is not None
        and event.to_link.supplier_id is not None
    ]
    if not handovers:
        return []
    links = {event.to_link_id for event in handovers}
    suppliers = {event.to_link.supplier_id for event in handovers}
    endpoints = list(
        WebhookEndpoint.objects.filter(organisation_id=call.organisation_id, active=True).filter(
            Q(link_id__in=links) | Q(supplier_id__in=suppliers)
        )
    )
    if not endpoints:
        return []
    rows = []
    for event in handovers:
        link = event.to_link
        norm = _uc_norm(call, link)
        for endpoint in endpoints:
            if endpoint.link_id not in (None, link.pk) or endpoint.supplier_id not in (
                None,
                link.supplier_id,
            ):
                continue
            rows.append(
                WebhookDelivery(
                    organisation_id=call.organisation_id,
                    endpoint=endpoint,
                    call=call,
                    event_kind=event.kind,
                    message_id=message_id_new(),
                    payload=handover_payload(call, event, norm=norm),
                    status=DeliveryStatus.PENDING,
                    next_attempt_at=event.at,
                    created_at=event.at,
                )
            )
    queued = WebhookDelivery.objects.bulk_create(rows)
    if queued:
        from stuurwiel.jobs.runner import enqueue_on_commit
        from stuurwiel.webhooks.tasks import webhook_deliveries_job

        enqueue_on_commit(webhook_deliveries_job)  # the first attempt right after the commit
    return queued
