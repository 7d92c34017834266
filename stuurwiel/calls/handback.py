"""A supplier hands a call back: the end of its black-box stretch.

The supplier (a user of the supplier link that holds the call, in the page or
through the API with its token) says how it went — resolved, not resolved, or
more information needed — with a text. Its segment closes there, so its UC
clock measures from the hand-over to this hand-back alone; the call goes back
to the link it came from (the previous segment's), which opens a new stretch of
its own; a ``handed_back`` event records from, to, the outcome and the text.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from stuurwiel.calls import clocks, routing
from stuurwiel.calls.choices import CallStatus, EventKind, HandBackOutcome
from stuurwiel.calls.events import event_build
from stuurwiel.calls.models import Call, LinkSegment
from stuurwiel.calls.services import TEXT_MAX, CallActionRefused, _locked, _save, _text
from stuurwiel.core import clock
from stuurwiel.organisations import access


def _previous_link(call: Call):
    """The link that held the call before the current (supplier) stretch."""
    segments = list(
        LinkSegment.objects.filter(call=call).select_related("link").order_by("-started_at", "-id")
    )
    current = next((s for s in segments if s.ended_at is None), None)
    for segment in segments:
        if segment is not current and segment.link_id != call.current_link_id:
            return segment.link
    return None


def hand_back_allowed(call: Call, by, member_access: access.Access | None = None) -> bool:
    """Whether ``by`` may hand ``call`` back: the call is open and held by a
    supplier link, ``by`` may work on it (the access layer) and is staff of that
    supplier. The page shows the form on this; the service refuses on it."""
    return call.status != CallStatus.CLOSED and _held_by_suppliers_staff(call, by, member_access)


def _held_by_suppliers_staff(call: Call, by, member_access: access.Access | None) -> bool:
    link = call.current_link
    if link is None or link.supplier_id is None:
        return False
    member_access = member_access or access.access_for(by, call.organisation)
    return access.permitted(member_access, "work", call) and routing.is_member(link, by)


@transaction.atomic
def call_hand_back(*, call: Call, by, version: int, outcome: str, text: str) -> Call:
    """Hand the call back from the supplier link that holds it to the link it
    came from, with the ``outcome`` (:class:`HandBackOutcome`) and a text.
    Only staff of that supplier may (403 otherwise); a stale ``version`` is 409."""
    if outcome not in HandBackOutcome.values:
        raise ValidationError({"outcome": _("Choose an outcome.")}, code="invalid")
    text = _text(text, field="text", max_length=TEXT_MAX, required=True)
    fresh = _locked(call, version)
    link = fresh.current_link
    if not _held_by_suppliers_staff(fresh, by, None):
        raise CallActionRefused(
            _("Only the supplier that holds the call hands it back."), "not_holding_supplier"
        )
    if fresh.status == CallStatus.CLOSED:
        raise ValidationError(_("The call is closed."), code="closed")
    back_to = _previous_link(fresh)
    if back_to is None:
        raise ValidationError(
            _("The call came to this supplier from no other link: there is none to return it to."),
            code="nowhere_to_return",
        )
    now = clock.now()
    chain = routing.chain_of(fresh.service)
    what = routing.passes(chain, link, back_to)
    routing.segment_move(fresh, back_to, now=now, passes=what, reason=text)
    event = event_build(
        fresh,
        EventKind.HANDED_BACK,
        by=by,
        now=now,
        link=link,
        to_link=back_to,
        text=text,
        data={"outcome": outcome, "passes": what},
    )
    _save(fresh, event)
    clocks.clock_update(fresh, now=now)  # clocks: the supplier's share ends here
    return fresh


__all__ = ["call_hand_back", "hand_back_allowed"]
