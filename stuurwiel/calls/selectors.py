"""Reads on calls: the register restricted by the access layer, and what of a
call's history a member may see."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from stuurwiel.calls.models import Call, CallEvent
from stuurwiel.organisations import access
from stuurwiel.organisations.choices import Role

#: Staff roles: they see a call's whole history, internal notes included.
_STAFF = set(Role.values) - {Role.REQUESTER, Role.SUPPLIER_USER}


def call_queryset() -> QuerySet[Call]:
    return Call.objects.select_related("service", "current_link__team", "current_link__supplier")


def visible_events(call: Call, member_access: access.Access) -> QuerySet[CallEvent]:
    """The call's events the member may read: all for staff; for a requester the
    public ones; for a supplier those on its own link's stretches, no internal
    notes of other links (a black box sees only what its interface passes)."""
    events = CallEvent.objects.filter(call=call).order_by("at", "id")
    roles = {assignment.role for assignment in member_access.membership.role_assignments.all()}
    if roles & _STAFF:
        return events
    if Role.SUPPLIER_USER in roles:
        own = Q(link__supplier__staff__user=member_access.user) | Q(
            to_link__supplier__staff__user=member_access.user
        )
        return events.filter(own).distinct()
    return events.filter(public=True)


def watermelon_calls(calls: QuerySet[Call]) -> QuerySet[Call]:
    """The watermelon view: calls whose chain (SA) resolution clock is breached
    while no link's OLA/UC resolution clock is (every link green, the chain red);
    a query over the stored clocks (:mod:`stuurwiel.calls.clocks`)."""
    from stuurwiel.calls.choices import ClockState, NormKind
    from stuurwiel.calls.models import ClockResult

    resolution = ClockResult.objects.filter(norm_kind=NormKind.RESOLUTION)
    red_chain = resolution.filter(link__isnull=True, state=ClockState.BREACHED)
    red_link = resolution.filter(link__isnull=False, state=ClockState.BREACHED)
    return (
        calls.filter(pk__in=red_chain.values("call_id"), clocks__link__isnull=False)
        .exclude(pk__in=red_link.values("call_id"))
        .distinct()
    )
