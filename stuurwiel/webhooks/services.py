"""Writes of the webhooks app: endpoints (create, edit, rotate the secret) and
deliveries (one attempt, the due ones, retry now).

Sending never blocks a call: the hand-over only wrote an outbox row
(:mod:`stuurwiel.webhooks.outbox`); :func:`webhook_deliveries_due` sends it
afterwards, from the job runner, and a receiver that is down only moves the
row's next attempt along the back-off schedule until it is marked failed.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from stuurwiel.changelog.choices import ChangeAction
from stuurwiel.changelog.services import change_record, snapshot
from stuurwiel.core import clock, sealing
from stuurwiel.core.exceptions import ConflictError
from stuurwiel.core.text import REASON_MAX_LENGTH, clean_text, clean_version
from stuurwiel.organisations import access
from stuurwiel.organisations.writes import check_fields, lock_fresh
from stuurwiel.webhooks import addresses, signing, transport
from stuurwiel.webhooks.choices import DeliveryStatus
from stuurwiel.webhooks.models import WebhookDelivery, WebhookEndpoint

#: The waits before each retry (Standard Webhooks' suggested schedule): the first
#: attempt goes at once, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h later.
RETRY_DELAYS: tuple[timedelta, ...] = (
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
    timedelta(hours=10),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
#: Deliveries sent by one run of :func:`webhook_deliveries_due` (the next run takes the rest).
BATCH = 100


# --- Endpoints ------------------------------------------------------------------------


def _reason(reason: Any) -> str:
    return clean_text(reason, field="reason", max_length=REASON_MAX_LENGTH)


def _url_check(endpoint: WebhookEndpoint) -> None:
    """Refuse an address that reaches a non-public host (see
    :mod:`stuurwiel.webhooks.addresses`); checked again at every attempt."""
    try:
        addresses.check_url(endpoint.url)
    except addresses.AddressRefused as exc:
        raise ValidationError({"url": exc.message}, code="not_public") from exc


@transaction.atomic
def endpoint_create(*, organisation, by, data: dict[str, Any], reason: str = "") -> WebhookEndpoint:
    """A new endpoint with a new secret (the caller shows it once)."""
    check_fields(WebhookEndpoint, data, None)
    endpoint = WebhookEndpoint(organisation=organisation, **data)
    endpoint.secret = signing.secret_generate()
    access.require(by=by, organisation=organisation, action="manage", obj=endpoint)
    endpoint.full_clean()
    _url_check(endpoint)
    endpoint.save()
    change_record(
        instance=endpoint,
        action=ChangeAction.CREATE,
        by=by,
        after=snapshot(endpoint),
        reason=_reason(reason),
    )
    return endpoint


def _locked(endpoint: WebhookEndpoint, by, version) -> WebhookEndpoint:
    fresh = lock_fresh(WebhookEndpoint, endpoint.pk)
    access.require(by=by, organisation=fresh.organisation, action="manage", obj=fresh)
    version = clean_version(version)
    if version is None or version != fresh.version:
        raise ConflictError(fresh.version)
    return fresh


@transaction.atomic
def endpoint_update(
    *, instance: WebhookEndpoint, by, data: dict[str, Any], version, reason: str = ""
) -> WebhookEndpoint:
    """Change the address, the supplier or link, active, description (not the secret)."""
    check_fields(WebhookEndpoint, data, None)
    fresh = _locked(instance, by, version)
    before = snapshot(fresh)
    for name, value in data.items():
        setattr(fresh, name, value)
    fresh.full_clean()
    if "url" in data:
        _url_check(fresh)
    if fresh.active:  # switched on again: the 410 that switched it off is history
        fresh.disabled_at, fresh.disabled_reason = None, ""
    fresh.version += 1
    fresh.save()
    change_record(
        instance=fresh,
        action=ChangeAction.UPDATE,
        by=by,
        before=before,
        after=snapshot(fresh),
        reason=_reason(reason),
    )
    return fresh


@transaction.atomic
def endpoint_secret_rotate(*, endpoint: WebhookEndpoint, by, version) -> WebhookEndpoint:
    """A new secret; the old one stops signing at once (messages still pending are
    signed with the new one when they go). The change log records that it
    happened, never the secret."""
    fresh = _locked(endpoint, by, version)
    fresh.secret = signing.secret_generate()
    fresh.version += 1
    fresh.save()
    change_record(
        instance=fresh,
        action=ChangeAction.UPDATE,
        by=by,
        before={"secret": "…"},
        after={"secret": _("rotated")},
    )
    return fresh


# --- Deliveries -----------------------------------------------------------------------


def body_of(delivery: WebhookDelivery) -> str:
    """The exact body that is signed and sent (compact JSON, UTF-8)."""
    return json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":"))


def _after_attempt(delivery: WebhookDelivery, answer: transport.Answer, now: datetime) -> None:
    delivery.attempts += 1
    delivery.last_status_code = answer.status_code
    delivery.last_error = "" if answer.ok else answer.error
    delivery.attempt_log = [
        *delivery.attempt_log,
        {
            "at": now.isoformat(),
            "status_code": answer.status_code,
            "error": delivery.last_error,
            "duration_ms": answer.duration_ms,
        },
    ]
    if answer.ok:
        delivery.status = DeliveryStatus.DELIVERED
        delivery.delivered_at = now
        delivery.next_attempt_at = None
    elif delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = DeliveryStatus.FAILED
        delivery.next_attempt_at = None
    else:
        delivery.next_attempt_at = now + RETRY_DELAYS[delivery.attempts - 1]


_RECORDED = [
    "attempts",
    "last_status_code",
    "last_error",
    "attempt_log",
    "status",
    "delivered_at",
    "next_attempt_at",
]


def webhook_deliver(*, delivery: WebhookDelivery) -> WebhookDelivery:
    """One attempt: sign the message, POST it, record the answer. A 2xx answer
    delivers it; anything else schedules the next retry, or fails the delivery
    after the last one. Only a pending delivery of an active endpoint is sent."""
    endpoint = delivery.endpoint
    if delivery.status != DeliveryStatus.PENDING or not endpoint.active:
        return delivery
    now = clock.now()
    body = body_of(delivery)
    try:
        secret = endpoint.secret
    except sealing.UnsealError as exc:
        # The keys changed under a stored secret: nothing can be signed, so the
        # delivery fails at once with the reason, for the admin to rotate it.
        delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
        delivery.last_error = str(exc)
        delivery.save(update_fields=_RECORDED)
        return delivery
    headers = signing.signed_headers(
        secret=secret, message_id=delivery.message_id, at=now, body=body
    )
    answer = transport.post(endpoint.url, body=body, headers=headers)
    _after_attempt(delivery, answer, now)
    if answer.status_code == GONE:
        # "This endpoint is gone": no retries, and nothing more is sent there.
        delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
        _endpoint_gone(endpoint, now)
    delivery.save(update_fields=_RECORDED)
    return delivery


#: The receiver's answer that switches its endpoint off (Standard Webhooks: a
#: receiver that answers 410 Gone wants no more messages).
GONE = 410


def _endpoint_gone(endpoint: WebhookEndpoint, now: datetime) -> None:
    """Switch the endpoint off after a 410, recorded on it and in the change log."""
    switched = WebhookEndpoint.objects.filter(pk=endpoint.pk, active=True).update(
        active=False, disabled_at=now, disabled_reason="HTTP 410 Gone", version=F("version") + 1
    )
    if not switched:
        return  # another attempt switched it off first
    endpoint.refresh_from_db(fields=["active", "disabled_at", "disabled_reason", "version"])
    change_record(
        instance=endpoint,
        action=ChangeAction.UPDATE,
        by=None,
        before={"active": True},
        after={"active": False},
        reason=_("The receiver answered 410 Gone: it takes no more messages."),
        actor_repr=_("the webhook sender"),
    )


def webhook_deliveries_due(*, now: datetime | None = None) -> int:
    """Send every pending delivery whose next attempt is due at ``now`` (default:
    the clock's now), oldest first, at most :data:`BATCH` per run; the number of
    attempts made. For the job runner: run it every few seconds to a minute.

    Each delivery is claimed in its own short transaction (``SKIP LOCKED`` on
    PostgreSQL), so two workers never send the same attempt twice and one slow
    receiver holds up no other delivery's row."""
    now = now or clock.now()
    due = list(
        WebhookDelivery.objects.filter(
            status=DeliveryStatus.PENDING,
            next_attempt_at__lte=now,
            endpoint__active=True,
        )
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:BATCH]
    )
    made = 0
    for pk in due:
        with transaction.atomic():
            delivery = (
                WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("endpoint")
                .filter(pk=pk, status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
                .first()
            )
            if delivery is None:
                continue  # another worker has it, or it was sent meanwhile
            webhook_deliver(delivery=delivery)
            made += 1
    return made


@transaction.atomic
def delivery_retry(*, delivery: WebhookDelivery, by) -> WebhookDelivery:
    """Retry now (an admin's action): a failed or pending delivery gets one more
    attempt at once; a failed one that fails again is failed again, with the new
    attempt in its log. A delivered one is left alone."""
    fresh = (
        WebhookDelivery.objects.select_for_update(of=("self",))
        .select_related("endpoint__organisation")
        .get(pk=delivery.pk)
    )
    access.require(by=by, organisation=fresh.endpoint.organisation, action="manage", obj=fresh)
    if fresh.status == DeliveryStatus.DELIVERED:
        return fresh
    # A failed delivery has used up the schedule: if this attempt fails too, it
    # is failed again at once (attempts ≥ MAX_ATTEMPTS), not rescheduled.
    fresh.status = DeliveryStatus.PENDING
    fresh.next_attempt_at = clock.now()
    return webhook_deliver(delivery=fresh)


__all__ = [
    "GONE",
    "MAX_ATTEMPTS",
    "RETRY_DELAYS",
    "delivery_retry",
    "endpoint_create",
    "endpoint_secret_rotate",
    "endpoint_update",
    "webhook_deliver",
    "webhook_deliveries_due",
]
