"""Which link of the chain holds a call, and hand-overs between links.

A step is performed by the link whose contribution lists it (the chain's
``steps``, designed in the services app). When the next step belongs to another
link, the call is handed over: the segment of the link that held it closes (its
hand-back), a new one opens for the link that takes it, and a hand-over event
records from, to, when, what passes (the interface between them) and why.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from stuurwiel.calls.choices import CallStatus, EventKind
from stuurwiel.calls.events import event_build
from stuurwiel.calls.models import Call, CallEvent, LinkSegment


@dataclass
class Chain:
    """A service's links in chain order and its interfaces, as routing reads them."""

    links: list
    # (from the customer?, source link id, target link id, what passes or its name)
    interfaces: list[tuple[bool, int | None, int | None, str]] = field(default_factory=list)


#: Chains remembered per (service, design version, created): every write to a design
#: moves its ``design_version`` on, so a remembered chain is never stale. Only a chain
#: read from committed data is remembered (after the commit), so a design change that
#: is rolled back cannot leave its chain behind under a number another write reuses.
_CHAINS: dict[tuple, Chain] = {}
_CHAINS_KEPT = 256


def chain_of(service) -> Chain:
    from stuurwiel.services.choices import EndKind
    from stuurwiel.services.models import Interface, Link

    key = (service.pk, service.design_version, service.created_at)
    found = _CHAINS.get(key)
    if found is not None:
        return found
    links = list(
        Link.objects.filter(service=service).select_related("team", "supplier").order_by("position")
    )
    interfaces = [
        (kind == EndKind.CUSTOMER, source, target, passes or name)
        for kind, source, target, passes, name in Interface.objects.filter(
            service=service
        ).values_list("source_kind", "source_link_id", "target_link_id", "passes", "name")
    ]
    chain = Chain(links, interfaces)

    def remember() -> None:
        if len(_CHAINS) >= _CHAINS_KEPT:
            _CHAINS.clear()
        _CHAINS[key] = chain

    transaction.on_commit(remember)
    return chain


def forget_chains() -> None:
    """Drop the remembered chains (tests that rebuild a design under the same ids)."""
    _CHAINS.clear()


def link_for(chain: Chain, step: str, *, current):
    """The link that performs ``step``: the current one if it contributes it,
    else the first in the chain that does; else the current one stays (or the
    first link of the chain for a new call)."""
    if current is not None and step in (current.steps or ()):
        return current
    for link in chain.links:
        if step in (link.steps or ()):
            return link
    if current is not None:
        return current
    return chain.links[0] if chain.links else None


def passes(chain: Chain, from_link, to_link) -> str:
    """What the interface from ``from_link`` (``None``: the customer) to
    ``to_link`` passes; empty if the chain describes no such interface."""
    target = to_link.pk if to_link is not None else None
    texts = [
        text
        for customer, source, to, text in chain.interfaces
        if to == target
        and (customer if from_link is None else (not customer and source == from_link.pk))
    ]
    return "\n".join(text for text in texts if text)


def hand_over(
    call: Call, to_link, *, by, now, reason: str, name: str = "", chain=None, routed: bool = False
) -> CallEvent:
    """Move the call to ``to_link``: close the open segment, open one for
    ``to_link``; the unsaved hand-over event is returned for the caller to store."""
    chain = chain or chain_of(call.service)
    from_link = call.current_link
    what = passes(chain, from_link, to_link)
    segment_move(call, to_link, now=now, passes=what, reason=reason)
    return event_build(
        call,
        EventKind.HANDED_OVER,
        by=by,
        now=now,
        name=name or None,
        link=from_link,
        to_link=to_link,
        text=reason,
        # ``routed``: the workflow moved the call to the link of its next step; a
        # hand-over by a person (a choice, with a reason) is what ping-pong counts.
        data={"passes": what, "routed": routed},
    )


def segment_move(call: Call, to_link, *, now, passes: str, reason: str) -> None:
    """The stretch of the link that holds the call ends now and ``to_link``'s
    begins (its OLA/UC clock opens); nobody of the new link is assigned yet. The
    caller saves the call and records the event."""
    LinkSegment.objects.filter(call=call, ended_at__isnull=True).update(ended_at=now)
    LinkSegment.objects.create(
        organisation_id=call.organisation_id,
        call=call,
        link=to_link,
        started_at=now,
        passes=passes,
        reason=reason,
    )
    call.current_link = to_link
    call.assignee = None


def route(call: Call, rows: list[CallEvent], *, by, name: str, now) -> None:
    """After a transition: hand the call to the link of its new step if that is
    another link; a closed call hands back its last segment."""
    if call.status == CallStatus.CLOSED:
        LinkSegment.objects.filter(call=call, ended_at__isnull=True).update(ended_at=now)
        return
    if not call.step or (call.current_link and call.step in (call.current_link.steps or ())):
        return
    chain = chain_of(call.service)
    target = link_for(chain, call.step, current=call.current_link)
    if target is None or target.pk == call.current_link_id:
        return
    reason = _("The next step, {step}, is this link's contribution.").format(step=call.step)
    rows.append(
        hand_over(call, target, by=by, now=now, reason=reason, name=name, chain=chain, routed=True)
    )


def is_member(link, user) -> bool:
    """Whether ``user`` works in ``link``: a member of its team, or staff of its supplier."""
    from stuurwiel.parties.models import Person

    if user is None or not getattr(user, "pk", None):
        return False
    if link.team_id:
        return Person.objects.filter(team_id=link.team_id, user=user).exists()
    return Person.objects.filter(supplier_id=link.supplier_id, user=user).exists()


def link_member_ids(link) -> set[int]:
    from stuurwiel.parties.models import Person

    people = (
        Person.objects.filter(team_id=link.team_id)
        if link.team_id
        else Person.objects.filter(supplier_id=link.supplier_id)
    )
    return set(people.exclude(user__isnull=True).values_list("user_id", flat=True))


def assigned_by(call: Call) -> int | None:
    """Who made the call's latest assignment."""
    return (
        CallEvent.objects.filter(call=call, kind=EventKind.ASSIGNED)
        .order_by("-at", "-id")
        .values_list("actor_id", flat=True)
        .first()
    )
