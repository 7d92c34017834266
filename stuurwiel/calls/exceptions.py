"""Exceptions on a call.

An exception (a deviation from the agreement, the norm or the workflow) is asked
for by whoever works on or coordinates the call and legitimised by someone else
who may approve exceptions: "Niemand mag: … zijn eigen uitzonderingen
legitimeren." (Van Bon 2026, §14.6) — the USM library's rule
``eigen-uitzondering-niet-legitimeren`` gives the refusal its words.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from stuurwiel.calls.choices import EventKind, ExceptionDecision, ExceptionKind
from stuurwiel.calls.definitions import definition_of
from stuurwiel.calls.events import event_build, events_record
from stuurwiel.calls.models import Call, CallEvent, CallException
from stuurwiel.calls.services import TEXT_MAX, CallActionRefused, _text
from stuurwiel.changelog.services import actor_name
from stuurwiel.core import clock
from stuurwiel.organisations import access


def _own_exception_message(call: Call) -> str:
    rule = next(
        (
            rule
            for rule in definition_of(call.workflow).rules
            if rule.kind == "person_separation" and rule.params.get("act") == "approve_exception"
        ),
        None,
    )
    if rule is None:
        return _("Nobody legitimises their own exceptions.")
    return rule.message_en if (get_language() or "nl").startswith("en") else rule.message_nl


def _event(call: Call, kind: str, by, now, text: str, data: dict) -> CallEvent:
    return event_build(call, kind, by=by, now=now, link=call.current_link, text=text, data=data)


@transaction.atomic
def exception_request(*, call: Call, by, kind: str, description: str) -> CallException:
    """Ask to deviate from the agreement, the norm or the workflow on this call."""
    if kind not in ExceptionKind.values:
        raise ValidationError({"kind": _("Unknown kind of exception.")}, code="invalid")
    description = _text(description, field="description", max_length=TEXT_MAX, required=True)
    fresh = Call.objects.select_for_update().select_related("organisation").get(pk=call.pk)
    member = access.access_for(by, fresh.organisation)
    if not (
        access.permitted(member, "work", fresh) or access.permitted(member, "coordinate", fresh)
    ):
        raise CallActionRefused(
            _("Only whoever works on or coordinates the call asks for an exception."),
            "not_involved",
        )
    now = clock.now()
    exception = CallException.objects.create(
        organisation=fresh.organisation,
        call=fresh,
        kind=kind,
        description=description,
        requested_by=by,
        requested_by_name=actor_name(by, fresh.organisation),
        requested_at=now,
    )
    events_record(
        fresh,
        [
            _event(
                fresh,
                EventKind.EXCEPTION_REQUESTED,
                by,
                now,
                description,
                {"exception": exception.pk},
            )
        ],
    )
    return exception


@transaction.atomic
def exception_decide(
    *, exception: CallException, by, decision: str, note: str = ""
) -> CallException:
    """Legitimise an exception or not: someone who may approve exceptions for
    this service, and never the one who asked for it."""
    if decision not in (ExceptionDecision.APPROVED, ExceptionDecision.REJECTED):
        raise ValidationError({"decision": _("Choose legitimise or not.")}, code="invalid")
    note = _text(note, field="decision_note", max_length=TEXT_MAX)
    fresh = (
        CallException.objects.select_for_update()
        .select_related("call__workflow")
        .get(pk=exception.pk)
    )
    call = fresh.call
    if fresh.decision != ExceptionDecision.PENDING:
        raise CallActionRefused(_("This exception has been decided already."), "decided")
    if fresh.requested_by_id == getattr(by, "pk", None):
        raise CallActionRefused(_own_exception_message(call), "own_exception")
    if not access.permitted(access.access_for(by, call.organisation), "approve_exception", call):
        raise CallActionRefused(
            _("Your roles do not allow you to legitimise exceptions for this service."),
            "not_allowed",
        )
    now = clock.now()
    fresh.decision = decision
    fresh.decided_by = by
    fresh.decided_by_name = actor_name(by, call.organisation)
    fresh.decided_at = now
    fresh.decision_note = note
    fresh.save()
    events_record(
        call,
        [
            _event(
                call,
                EventKind.EXCEPTION_DECIDED,
                by,
                now,
                note,
                {"exception": fresh.pk, "decision": decision},
            )
        ],
    )
    return fresh


__all__ = ["exception_decide", "exception_request"]
