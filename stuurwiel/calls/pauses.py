"""Pausing a call's clocks: only for a recorded reason, as intervals with who
and why. A pause ends at the resume, or at the call's closure (never lost)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from stuurwiel.calls import clocks, routing
from stuurwiel.calls.choices import CallStatus, EventKind, PauseReason
from stuurwiel.calls.models import Call, ClockPause
from stuurwiel.calls.services import TEXT_MAX, CallActionRefused, _event, _locked, _save, _text
from stuurwiel.changelog.services import actor_name
from stuurwiel.core import clock
from stuurwiel.organisations import access


def _require_holder(call: Call, by) -> None:
    """Who may pause or resume: a coordinator, or an operator of the holding link."""
    member_access = access.access_for(by, call.organisation)
    works_here = call.current_link is not None and routing.is_member(call.current_link, by)
    if not (
        access.permitted(member_access, "coordinate", call)
        or (access.permitted(member_access, "work", call) and works_here)
    ):
        raise CallActionRefused(
            _("Only a coordinator, or an operator of the link that holds it, pauses a call."),
            "not_holder",
        )


@transaction.atomic
def call_pause(*, call: Call, by, version: int, reason_kind: str, note: str = "") -> Call:
    """Stop the call's clocks for a recorded reason (waiting for the requester,
    waiting for a planned moment) until :func:`call_resume`."""
    fresh = _locked(call, version)
    if reason_kind not in PauseReason.values:
        raise ValidationError(
            {"reason_kind": _("Choose why the clocks stand still.")}, code="invalid"
        )
    note = _text(note, field="note", max_length=TEXT_MAX)
    if fresh.status == CallStatus.CLOSED:
        raise CallActionRefused(_("A closed call cannot be paused."), "closed")
    _require_holder(fresh, by)
    if clocks.open_pause(fresh) is not None:
        raise CallActionRefused(_("The call's clocks are paused already."), "paused")
    now = clock.now()
    ClockPause.objects.create(
        organisation_id=fresh.organisation_id,
        call=fresh,
        reason_kind=reason_kind,
        note=note,
        started_at=now,
        started_by=by,
        started_by_name=actor_name(by, fresh.organisation),
    )
    event = _event(
        fresh,
        EventKind.CLOCK_PAUSED,
        by,
        now,
        link=fresh.current_link,
        text=note,
        data={"reason_kind": reason_kind},
    )
    _save(fresh, event)
    clocks.clock_update(fresh, now=now)
    return fresh


@transaction.atomic
def call_resume(*, call: Call, by, version: int, note: str = "") -> Call:
    """Let the call's clocks run again."""
    fresh = _locked(call, version)
    note = _text(note, field="note", max_length=TEXT_MAX)
    _require_holder(fresh, by)
    pause = clocks.open_pause(fresh)
    if pause is None:
        raise CallActionRefused(_("The call's clocks are not paused."), "not_paused")
    now = clock.now()
    clocks.pause_end(pause, by=by, name=actor_name(by, fresh.organisation), at=now)
    event = _event(
        fresh,
        EventKind.CLOCK_RESUMED,
        by,
        now,
        link=fresh.current_link,
        text=note,
        data={"reason_kind": pause.reason_kind, "paused_at": pause.started_at.isoformat()},
    )
    _save(fresh, event)
    clocks.clock_update(fresh, now=now)
    return fresh
