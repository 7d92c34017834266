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


# --- Worklists and the portal ---------------------------------------------------------

#: The worklists of the "my work" page, in the order of its tabs.
WORKLISTS = ("mine", "links", "coordination")


def _people(user):
    from stuurwiel.parties.models import Person

    return Person.objects.filter(user=user)


def my_links(user, organisation):
    """The links of the organisation the user works in: their team's or their
    supplier's (as a queryset, for a subquery)."""
    from stuurwiel.services.models import Link

    people = _people(user).filter(organisation=organisation)
    return Link.objects.filter(Q(team__members__in=people) | Q(supplier__staff__in=people)).values(
        "pk"
    )


def _coordinated_teams(user, organisation, member_access: access.Access):
    """The teams whose unassigned calls the user organises as team coordinator:
    those they are named coordinator of, and their own teams if they hold the
    team coordinator role."""
    from stuurwiel.parties.models import Team

    condition = Q(coordinator__user=user)
    roles = {assignment.role for assignment in member_access.membership.role_assignments.all()}
    if Role.TEAM_COORDINATOR in roles:
        condition |= Q(members__user=user)
    return Team.objects.filter(condition, organisation=organisation).values("pk")


def worklist(name: str, member_access: access.Access) -> QuerySet[Call]:
    """One of the member's worklists (see :data:`WORKLISTS`), open calls only,
    restricted by the access layer. Each is one query, whatever the number of
    calls or links."""
    from stuurwiel.calls.choices import CallStatus

    user = member_access.user
    organisation = member_access.organisation
    calls = call_queryset().filter(organisation=organisation).exclude(status=CallStatus.CLOSED)
    if name == "mine":
        calls = calls.filter(assignee=user)
    elif name == "links":
        calls = calls.filter(current_link__in=my_links(user, organisation))
    elif name == "coordination":
        from stuurwiel.services.models import Link

        # The links read first (a handful of ids, whatever the number of calls), so
        # that each side of the "or" is a lookup in its own index of open calls
        # (by coordinator; by link) and the databases unite the two; with the
        # links as a subquery they walked every open call of the organisation.
        teams = _coordinated_teams(user, organisation, member_access)
        links = list(Link.objects.filter(team__in=teams).values_list("pk", flat=True))
        # Each side repeats the conditions of those indexes: SQLite unites two
        # index reads only when each side alone names one.
        open_here = Q(organisation=organisation) & ~Q(status=CallStatus.CLOSED)
        calls = calls.filter(
            (open_here & Q(coordinator=user))
            | (open_here & Q(assignee__isnull=True, current_link__in=links))
        )
    else:
        raise ValueError(name)
    return access.restrict(calls, member_access).select_related(
        "organisation", "assignee", "coordinator"
    )


def requester_calls(member_access: access.Access) -> QuerySet[Call]:
    """The calls the member reported (or that were registered for them), each
    with its latest public reply, for "my calls"."""
    from django.db.models import OuterRef, Subquery

    from stuurwiel.calls.choices import EventKind

    replies = CallEvent.objects.filter(
        call=OuterRef("pk"), kind=EventKind.COMMENTED, public=True
    ).order_by("-at", "-id")
    calls = call_queryset().filter(
        organisation=member_access.organisation, requester=member_access.user
    )
    return access.restrict(calls.select_related("organisation"), member_access).annotate(
        last_reply=Subquery(replies.values("text")[:1]),
        last_reply_at=Subquery(replies.values("at")[:1]),
    )


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


def call_clocks(call: Call) -> list:
    """The call's clocks for its page: the chain's SA clock first, then each link's
    OLA/UC clock in chain order, per norm (response, resolution). A call whose
    clocks changed since the last sweep shows the stored figures of that sweep."""
    from stuurwiel.calls.models import ClockResult

    rows = list(
        ClockResult.objects.filter(call=call)
        .select_related("link__team", "link__supplier", "agreement_version__agreement")
        .order_by("link__position", "norm_kind")
    )
    rows.sort(key=lambda row: (row.link_id is not None, row.link.position if row.link else 0))
    return rows
