"""A call's history: the one place events are built and stored.

Every write of the calls app records what happened as :class:`CallEvent` rows
through :func:`events_record`; it stores them in the caller's transaction and
hands them to :func:`stuurwiel.calls.outbound.events_recorded`, which decides what
leaves the system because of them (e-mail, webhooks) — also within the
transaction, as outbox rows, so a recorded hand-over always has its delivery.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from stuurwiel.calls.models import Call, CallEvent


def event_build(call: Call, kind: str, *, by, now, name: str | None = None, **values: Any):
    """An unsaved event of ``call`` at ``now`` by ``by`` (a user, or None for the
    system; ``name`` overrides the recorded name). ``values`` set the other
    fields (run, process, step, link, to_link, text, public, data); process and
    step default to where the call is."""
    from stuurwiel.changelog.services import actor_name

    values.setdefault("process", call.process)
    values.setdefault("step", call.step)
    return CallEvent(
        organisation_id=call.organisation_id,
        call=call,
        at=now,
        kind=kind,
        actor=by if getattr(by, "is_authenticated", False) else None,
        actor_name=name if name is not None else actor_name(by, call.organisation),
        call_version=call.version,
        **values,
    )


def events_record(
    call: Call,
    events: Sequence[CallEvent],
    *,
    insert: Callable[..., None] | None = None,
) -> list[CallEvent]:
    """Store ``events`` (all of ``call``) in one statement and pass them on
    (``insert``: how the rows are written, ``bulk_create`` if not given; the
    intake passes :func:`stuurwiel.calls.intake.rows_insert`)."""
    from stuurwiel.calls import outbound

    if not events:
        return []
    for event in events:
        event.call_version = call.version
    if insert is None:
        rows = CallEvent.objects.bulk_create(events)
    else:
        insert(*events)
        rows = list(events)
    outbound.events_recorded(call, rows)
    return rows
