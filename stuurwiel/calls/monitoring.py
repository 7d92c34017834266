"""Inbound monitoring events: Uitvoeren's bewaking feeding the one register.

"Een signaal dat op falen wijst wordt een nieuwe verstoring; een waargenomen risico
wordt een nieuw risico" (the USM library's Uitvoeren). Events with the same key for
the same service while a call they raised is still open, within the grouping
window, are grouped on that call instead of making a new one.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from stuurwiel.calls.choices import CallStatus, Channel, EventKind, SignalKind
from stuurwiel.calls.events import event_build, events_record
from stuurwiel.calls.models import Call
from stuurwiel.calls.services import TEXT_MAX, _text, call_register
from stuurwiel.core import clock

_CALL_TYPE = {SignalKind.FAILURE: "incident", SignalKind.RISK: "risico"}


def _window() -> timedelta:
    return timedelta(minutes=getattr(settings, "STUURWIEL_EVENT_GROUP_MINUTES", 60))


@transaction.atomic
def monitoring_event_receive(
    *,
    organisation,
    service,
    kind: str,
    key: str,
    title: str,
    by,
    description: str = "",
    impact: str = "",
    urgency: str = "",
) -> tuple[Call, bool]:
    """The call the event becomes or joins, and whether it is new."""
    if kind not in SignalKind.values:
        raise ValidationError({"kind": _("Unknown kind of event.")}, code="invalid")
    key = _text(key, field="key", max_length=200, required=True)
    title = _text(title, field="title", max_length=200, required=True)
    description = _text(description, field="description", max_length=TEXT_MAX)
    now = clock.now()
    existing = (
        Call.objects.select_for_update()
        .filter(
            organisation=organisation,
            service=service,
            event_key=key,
            registered_at__gte=now - _window(),
        )
        .exclude(status=CallStatus.CLOSED)
        .order_by("-registered_at")
        .first()
    )
    if existing is not None:
        existing.event_count += 1
        existing.save(update_fields=["event_count", "updated_at"])
        events_record(
            existing,
            [
                event_build(
                    existing,
                    EventKind.MONITORING_EVENT,
                    by=by,
                    now=now,
                    text=description or title,
                    data={"key": key, "count": existing.event_count},
                )
            ],
        )
        return existing, False
    call = call_register(
        organisation=organisation,
        service=service,
        call_type=_CALL_TYPE[SignalKind(kind)],
        title=title,
        description=description,
        by=by,
        channel=Channel.EVENT,
        impact=impact,
        urgency=urgency,
    )
    Call.objects.filter(pk=call.pk).update(event_key=key, event_count=1)
    call.event_key, call.event_count = key, 1
    return call, True
