"""Reads on calls: the register restricted by the access layer, and what of a
call's history a member may see."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from stuurwiel.calls.choices import EventKind
from stuurwiel.calls.models import Call, CallEvent
from stuurwiel.organisations import access
from stuurwiel.organisations.choices import Role

#: Staff roles: they see a call's whole history, internal notes included.
_STAFF = set(Role.values) - {Role.REQUESTER, Role.SUPPLIER_USER}


def call_queryset() -> QuerySet[Call]:
    return Call.objects.select_related("service", "current_link__team", "current_link__supplier")


def with_handover(calls: QuerySet[Call]) -> QuerySet[Call]:
    """The calls with what passed the interface when each reached its current
    link (``handover_passes``, ``handover_reason``): a supplier's view of the work
    in place of the title, which is the requester's words. Two subqueries on
    the segments' (call, started_at) index: the page's rows only."""
    from django.db.models import OuterRef, Subquery

    from stuurwiel.calls.models import LinkSegment

    open_segment = LinkSegment.objects.filter(call=OuterRef("pk"), ended_at__isnull=True).order_by(
        "-started_at", "-pk"
    )
    return calls.annotate(
        handover_passes=Subquery(open_segment.values("passes")[:1]),
        handover_reason=Subquery(open_segment.values("reason")[:1]),
    )


#: What a supplier reads of its own stretches of a call: the work, not the words
#: of others (comments, the requester's registration text, confirmations).
_SUPPLIER_KINDS = (
    EventKind.HANDED_OVER,
    EventKind.HANDED_BACK,
    EventKind.STEP_COMPLETED,
    EventKind.ASSIGNED,
    EventKind.ESCALATED,
    EventKind.CLOCK_PAUSED,
    EventKind.CLOCK_RESUMED,
    EventKind.CLOCK_WARNING,
    EventKind.CLOCK_BREACHED,
)


def _roles(member_access: access.Access) -> set[str]:
    return {assignment.role for assignment in member_access.membership.role_assignments.all()}


def sees_as_supplier(member_access: access.Access) -> bool:
    """Whether the member sees calls as a supplier does (a black box): a supplier
    user who holds no staff role in the organisation."""
    if member_access.membership is None:
        return False
    roles = _roles(member_access)
    return Role.SUPPLIER_USER in roles and not roles & _STAFF


def visible_events(call: Call, member_access: access.Access) -> QuerySet[CallEvent]:
    """The call's events the member may read: all for staff; for a requester the
    public ones; for a supplier the work on its own link's stretches (handed
    over to it, its steps, its hand-back) and its own comments — no internal
    notes of the chain, nothing the requester wrote (a black box sees only what
    its interface passes)."""
    events = CallEvent.objects.filter(call=call).order_by("at", "id")
    roles = _roles(member_access)
    if roles & _STAFF:
        return events
    if Role.SUPPLIER_USER in roles:
        user = member_access.user
        own_link = Q(link__supplier__staff__user=user) | Q(to_link__supplier__staff__user=user)
        mine = Q(kind=EventKind.COMMENTED, actor=user)
        return events.filter((own_link & Q(kind__in=_SUPPLIER_KINDS)) | mine).distinct()
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


def watermelon_calls(calls: QuerySet[Call], norm_kind: str | None = None) -> QuerySet[Call]:
    """The watermelon view: calls whose chain (SA) clock of a norm (response or
    resolution; ``norm_kind`` for one of them) is breached while no link's OLA/UC
    clock of that norm is (every link green, the chain red). The time lost between
    links shows on the response clock: each link may answer within its own norm
    while the customer waits beyond the SA's. A query over the stored clocks."""
    from django.db.models import Exists, OuterRef, Q

    from stuurwiel.calls.choices import ClockState, NormKind
    from stuurwiel.calls.models import ClockResult

    condition = Q()
    for kind in [norm_kind] if norm_kind else NormKind.values:
        clocks = ClockResult.objects.filter(call=OuterRef("pk"), norm_kind=kind)
        condition |= (
            Q(Exists(clocks.filter(link__isnull=True, state=ClockState.BREACHED)))
            & Q(Exists(clocks.filter(link__isnull=False)))
            & ~Q(Exists(clocks.filter(link__isnull=False, state=ClockState.BREACHED)))
        )
    return calls.filter(condition)


def call_clocks(call: Call) -> list:
    """The call's clocks for its page: the chain's SA clock first, then each link's
    OLA/UC clock in chain order, per norm (response, resolution). A ticking clock
    shows its use up to now (:func:`~stuurwiel.calls.clocks.used_now`; its calendar
    comes with the clocks, its hours in two queries); a call whose clocks a
    transition made stale shows them as computed before it, until the sweep."""
    from stuurwiel.calls.clocks import used_now
    from stuurwiel.calls.models import ClockResult

    rows = used_now(
        ClockResult.objects.filter(call=call)
        .select_related("link__team", "link__supplier", "agreement_version__agreement", "calendar")
        .order_by("link__position", "norm_kind")
    )
    rows.sort(key=lambda row: (row.link_id is not None, row.link.position if row.link else 0))
    return rows
