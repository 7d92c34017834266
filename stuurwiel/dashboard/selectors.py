"""The signals of a working system (issue 7 item 7), read from the register.

Each signal is one function with the same keyword-only arguments (the
organisation, the member's access, the period, optionally one service) and
returns a plain dataclass with the figures and the calls behind them. Every one
costs a fixed number of queries, whatever the number of calls: figures are
grouped in SQL, and the calls behind a figure are one more query (at most
:data:`LISTED` of them). Which calls count is :func:`dashboard_calls`: the calls
registered in the period, restricted by the access layer to those
``dashboard.view`` reaches (a service owner: the calls of their services).

The definitions are the project's (briefs/signals-defs.md); where the book gives
no number, the thresholds (in :mod:`~stuurwiel.dashboard.figures`) are our
reading and the page says so.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
    Window,
)
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, RowNumber

from stuurwiel.calls.choices import ClockState, EventKind, ExceptionDecision
from stuurwiel.calls.clocks import used_now
from stuurwiel.calls.models import (
    Call,
    CallEvent,
    CallException,
    ClockResult,
    LinkSegment,
    SeparationRelaxation,
)
from stuurwiel.dashboard.figures import (  # noqa: F401 (the thresholds, for pages and tests)
    ESCALATION_MIN_COUNT,
    ESCALATION_MIN_SHARE,
    EXCEPTION_MIN_COUNT,
    HERO_MIN_CALLS,
    HERO_MIN_SHARE,
    HERO_WAIT,
    LISTED,
    RECURRING_MIN_COUNT,
    EscalationFigures,
    EscalationRow,
    ExceptionFigures,
    ExceptionRow,
    HeroFigures,
    HeroRow,
    NormFigures,
    NormRow,
    PingPongFigures,
    PingPongPair,
    RecurringFigures,
    RecurringRow,
    Signals,
    WatermelonCall,
    WatermelonFigures,
)
from stuurwiel.organisations import access
from stuurwiel.services.models import Service

INCIDENT = "incident"
RISK = "risico"


def dashboard_calls(
    *, organisation, member_access: access.Access, start, end, service=None
) -> QuerySet[Call]:
    """The calls the signals count: registered in ``[start, end)``, of the
    organisation, that the member's ``dashboard.view`` (and sight of calls) reaches."""
    calls = Call.objects.filter(
        organisation=organisation, registered_at__gte=start, registered_at__lt=end
    )
    if service is not None:
        calls = calls.filter(service=service)
    calls = access.restrict(calls, member_access, permission="dashboard.view")
    return access.restrict(calls, member_access)


def dashboard_services(*, organisation, member_access: access.Access) -> list[Service]:
    """The services a member may choose on the dashboard (its service filter)."""
    services = Service.objects.filter(organisation=organisation).order_by("name")
    services = access.restrict(services, member_access, permission="dashboard.view")
    return list(access.restrict(services, member_access).only("pk", "name"))


def _listed(calls: QuerySet[Call]) -> list[Call]:
    return list(
        calls.select_related("organisation", "service").order_by("-registered_at", "-id")[:LISTED]
    )


def _link_label(row: dict[str, Any]) -> str:
    return row.get("link__team__name") or row.get("link__supplier__name") or ""


# --- Norms met and breached ----------------------------------------------------------


def norms(*, organisation, member_access, start, end, service=None) -> NormFigures:
    """Clocks met, breached and running, per service, link (or the chain) and norm
    kind: one grouped query, and one for the calls with a breached clock."""
    calls = dashboard_calls(
        organisation=organisation,
        member_access=member_access,
        start=start,
        end=end,
        service=service,
    )
    grouped = (
        ClockResult.objects.filter(call__in=calls.values("pk"))
        .values(
            "call__service_id",
            "call__service__name",
            "link_id",
            "link__position",
            "link__team__name",
            "link__supplier__name",
            "norm_kind",
        )
        .annotate(
            met=Count("pk", filter=Q(state=ClockState.MET)),
            breached=Count("pk", filter=Q(state=ClockState.BREACHED)),
            running=Count("pk", filter=Q(state=ClockState.RUNNING)),
        )
        .order_by()
    )
    rows = [
        NormRow(
            service_id=row["call__service_id"],
            service=row["call__service__name"],
            link_id=row["link_id"],
            link=_link_label(row),
            position=row["link__position"] or 0,
            norm_kind=row["norm_kind"],
            met=row["met"],
            breached=row["breached"],
            running=row["running"],
        )
        for row in grouped
    ]
    rows.sort(key=lambda r: (r.service, r.link_id is not None, r.position, r.norm_kind))
    breached = calls.filter(
        Exists(ClockResult.objects.filter(call=OuterRef("pk"), state=ClockState.BREACHED))
    )
    return NormFigures(rows=rows, breached_calls=_listed(breached))


# --- Watermelon ----------------------------------------------------------------------


def _watermelon_ids(calls: QuerySet[Call]) -> QuerySet[ClockResult, Any]:
    """The ids of the calls whose chain clock of a norm kind is breached while every
    link clock of that kind is met (and there is one). Read from the breached chain
    clocks (a tenth of the calls or so): asking six EXISTS of every call of the
    period cost PostgreSQL two seconds at a million calls."""
    links = ClockResult.objects.filter(
        call=OuterRef("call_id"), norm_kind=OuterRef("norm_kind"), link__isnull=False
    )
    return (
        ClockResult.objects.filter(
            call__in=calls.values("pk"), link__isnull=True, state=ClockState.BREACHED
        )
        .filter(Exists(links))
        .exclude(Exists(links.exclude(state=ClockState.MET)))
        .values("call_id")
    )


def watermelon(*, organisation, member_access, start, end, service=None) -> WatermelonFigures:
    """Calls whose every link clock (OLA/UC) of a norm kind is met while the chain's
    SA clock of that kind is breached: every link green, the chain red."""
    calls = dashboard_calls(
        organisation=organisation,
        member_access=member_access,
        start=start,
        end=end,
        service=service,
    )
    melons = calls.filter(pk__in=_watermelon_ids(calls))
    per_service = {
        row["service__name"]: row["n"]
        for row in melons.values("service__name").annotate(n=Count("pk")).order_by()
    }
    listed = _listed(melons)
    clocks = used_now(  # a ticking clock's use up to now (calls/clocks.py)
        ClockResult.objects.filter(call__in=[call.pk for call in listed]).select_related(
            "link__team", "link__supplier", "calendar"
        )
    )
    by_call: dict[int, list[ClockResult]] = defaultdict(list)
    for clock_row in clocks:
        by_call[clock_row.call_id].append(clock_row)
    rows = []
    for call in listed:
        own = by_call[call.pk]
        links = sorted(
            (c for c in own if c.link_id is not None),
            key=lambda c: (c.link.position if c.link else 0, c.norm_kind),
        )
        chain = sorted((c for c in own if c.link_id is None), key=lambda c: c.norm_kind)
        rows.append(WatermelonCall(call=call, chain=chain, links=links))
    return WatermelonFigures(per_service=per_service, count=sum(per_service.values()), calls=rows)


# --- Hand-over ping-pong --------------------------------------------------------------


def ping_pong(*, organisation, member_access, start, end, service=None) -> PingPongFigures:
    """Calls handed back by a person to a link that held them before (A → B → A):
    a hand-over with a reason, not the workflow moving the call to the link of
    its next step (those are marked ``routed``; a chain whose steps alternate
    between two links is not ping-pong). One query over the hand-overs, one for
    the calls."""
    calls = dashboard_calls(
        organisation=organisation,
        member_access=member_access,
        start=start,
        end=end,
        service=service,
    )
    held_before = LinkSegment.objects.filter(
        call=OuterRef("call_id"), link=OuterRef("to_link_id"), started_at__lt=OuterRef("at")
    )
    returns = (
        CallEvent.objects.filter(
            call__in=calls.values("pk"), kind=EventKind.HANDED_OVER, link__isnull=False
        )
        .exclude(data__routed=True)
        .exclude(link=F("to_link"))
        .filter(Exists(held_before))
        .values_list(
            "call_id",
            "call__service__name",
            "to_link__team__name",
            "to_link__supplier__name",
            "to_link_id",
            "link_id",
        )
    )
    pairs: dict[tuple[str, int, int], int] = defaultdict(int)
    names: dict[int, str] = {}
    per_service: dict[str, set[int]] = defaultdict(set)
    call_ids: set[int] = set()
    for call_id, service_name, team, supplier, link_id, previous in returns:
        names[link_id] = team or supplier or ""
        pairs[(service_name, link_id, previous)] += 1
        per_service[service_name].add(call_id)
        call_ids.add(call_id)
    _link_names(names, {previous for _, _, previous in pairs})
    return PingPongFigures(
        per_service={name: len(ids) for name, ids in sorted(per_service.items())},
        pairs=sorted(
            (
                PingPongPair(service=s, returning_link=names[a], between_link=names[b], count=n)
                for (s, a, b), n in pairs.items()
            ),
            key=lambda pair: (-pair.count, pair.service),
        ),
        calls=_listed(calls.filter(pk__in=sorted(call_ids))) if call_ids else [],
    )


def _link_names(names: dict[int, str], wanted: set[int]) -> None:
    """Fill in the names of the links in ``wanted`` (one query for all of them)."""
    from stuurwiel.services.models import Link

    missing = wanted - set(names)
    if missing:
        for link in Link.objects.filter(pk__in=missing).select_related("team", "supplier"):
            names[link.pk] = str(link)


# --- Structural escalations ----------------------------------------------------------


def _calls_per_service(calls: QuerySet[Call]) -> dict[int, int]:
    return {
        row["service_id"]: row["n"]
        for row in calls.values("service_id").annotate(n=Count("pk")).order_by()
    }


def escalations(
    *, organisation, member_access, start, end, service=None, totals: dict[int, int] | None = None
) -> EscalationFigures:
    """Escalations per service and link, with the share of the service's calls
    escalated at that link; structural at the thresholds above."""
    calls = dashboard_calls(
        organisation=organisation,
        member_access=member_access,
        start=start,
        end=end,
        service=service,
    )
    escalated = CallEvent.objects.filter(call__in=calls.values("pk"), kind=EventKind.ESCALATED)
    grouped = (
        escalated.values(
            "call__service_id",
            "call__service__name",
            "link_id",
            "link__team__name",
            "link__supplier__name",
        )
        .annotate(n=Count("pk"), calls=Count("call_id", distinct=True))
        .order_by()
    )
    totals = _calls_per_service(calls) if totals is None else totals
    rows = [
        EscalationRow(
            service=row["call__service__name"],
            link=_link_label(row),
            escalations=row["n"],
            calls_escalated=row["calls"],
            service_calls=totals.get(row["call__service_id"], 0),
        )
        for row in grouped
    ]
    rows.sort(key=lambda r: (not r.structural, -r.escalations, r.service))
    listed = calls.filter(
        Exists(CallEvent.objects.filter(call=OuterRef("pk"), kind=EventKind.ESCALATED))
    )
    return EscalationFigures(rows=rows, calls=_listed(listed))


# --- Normalised exceptions -----------------------------------------------------------


def normalised_exceptions(
    *, organisation, member_access, start, end, service=None
) -> ExceptionFigures:
    """Approved exceptions per service and kind; normalised ("the exception has
    become the rule") when approved at least :data:`EXCEPTION_MIN_COUNT` times
    and none of those calls raised a risk."""
    from stuurwiel.calls.choices import ExceptionKind

    calls = dashboard_calls(
        organisation=organisation,
        member_access=member_access,
        start=start,
        end=end,
        service=service,
    )
    # The calls a risk was raised from, as one uncorrelated set (few calls have an
    # origin; read from its index): as a correlated EXISTS, SQLite scanned every
    # call of the register once per exception (a second at 10,000 calls).
    raised_from = Call.objects.filter(
        organisation=organisation, call_type=RISK, origin__isnull=False
    ).values("origin_id")
    grouped = (
        CallException.objects.filter(
            call__in=calls.values("pk"), decision=ExceptionDecision.APPROVED
        )
        .values("call__service_id", "call__service__name", "kind")
        .annotate(n=Count("pk"), improved_n=Count("pk", filter=Q(call_id__in=raised_from)))
        .order_by()
    )
    labels = dict(ExceptionKind.choices)
    rows = [
        ExceptionRow(
            service_id=row["call__service_id"],
            service=row["call__service__name"],
            kind=row["kind"],
            kind_label=str(labels.get(row["kind"], row["kind"])),
            approved=row["n"],
            improved=row["improved_n"],
        )
        for row in grouped
    ]
    rows.sort(key=lambda r: (not r.normalised, -r.approved, r.service))
    flagged = Q(pk__in=[])
    for row in rows:
        if row.normalised:
            flagged |= Q(service_id=row.service_id, exceptions__kind=row.kind)
    listed = (
        _listed(calls.filter(flagged, exceptions__decision=ExceptionDecision.APPROVED).distinct())
        if any(row.normalised for row in rows)
        else []
    )
    return ExceptionFigures(rows=rows, calls=listed)


# --- Hero dependency -----------------------------------------------------------------


def hero_dependency(
    *, organisation, member_access, start, end, service=None, totals: dict[int, int] | None = None
) -> HeroFigures:
    """Per service the person who completed most steps, and the share of the
    service's calls they carried; when flagged, the calls that waited for them
    (assigned to them, their next step there more than :data:`HERO_WAIT` later).
    Three queries: steps per service and person, calls per service, assignments."""
    from stuurwiel.core import clock

    calls = dashboard_calls(
        organisation=organisation,
        member_access=member_access,
        start=start,
        end=end,
        service=service,
    )
    per_person = (
        CallEvent.objects.filter(
            call__in=calls.values("pk"), kind=EventKind.STEP_COMPLETED, actor__isnull=False
        )
        .values("call__service_id", "call__service__name", "actor_id")
        .annotate(steps=Count("pk"), calls=Count("call_id", distinct=True), name=Max("actor_name"))
        .order_by()
    )
    totals = _calls_per_service(calls) if totals is None else totals
    best: dict[int, HeroRow] = {}
    for row in per_person:
        candidate = HeroRow(
            service_id=row["call__service_id"],
            service=row["call__service__name"],
            person_id=row["actor_id"],
            person=row["name"],
            steps=row["steps"],
            calls=row["calls"],
            service_calls=totals.get(row["call__service_id"], 0),
        )
        current = best.get(candidate.service_id)
        if current is None or (candidate.steps, -candidate.person_id) > (
            current.steps,
            -current.person_id,
        ):
            best[candidate.service_id] = candidate
    rows = sorted(best.values(), key=lambda r: (not r.flagged, -r.share, r.service))
    heroes = {(row.service_id, row.person_id): row for row in rows if row.flagged}
    if heroes:
        _waited_for(calls, heroes, clock.now())
    return HeroFigures(rows=rows)


def _waited_for(calls: QuerySet[Call], heroes: dict[tuple[int, int], HeroRow], now) -> None:
    """The calls assigned to a hero (``(service, person)`` → row) whose next step by
    them came late, or has not come and the wait is longer already: one query for
    all heroes. The operator is the one in the event's data; an event without one
    counts for the call's assignee."""
    operator = Case(
        When(
            data__has_key="operator",
            then=Cast(KeyTextTransform("operator", "data"), IntegerField()),
        ),
        default=F("call__assignee_id"),
        output_field=IntegerField(),
    )
    next_step = (
        CallEvent.objects.filter(
            call=OuterRef("call_id"),
            kind=EventKind.STEP_COMPLETED,
            actor_id=OuterRef("operator"),
            at__gt=OuterRef("at"),
        )
        .order_by("at")
        .values("at")[:1]
    )
    # Only the waits that were too long, and as plain values: a hero carries half of
    # a service's calls, so reading every assignment as an event with its call
    # grew with the register (seconds at a million calls).
    assigned = (
        CallEvent.objects.filter(call__in=calls.values("pk"), kind=EventKind.ASSIGNED)
        .annotate(operator=operator)
        .filter(operator__in=sorted({person for _, person in heroes}))
        .annotate(next_at=Subquery(next_step))
        .filter(
            Q(next_at__gt=F("at") + HERO_WAIT) | Q(next_at__isnull=True, at__lt=now - HERO_WAIT)
        )
        .order_by("at")
        .values_list("call_id", "call__service_id", "operator")
    )
    chosen: dict[int, HeroRow] = {}
    waited: dict[int, list[int]] = {id(row): [] for row in heroes.values()}
    for call_id, service_id, person in assigned.iterator():
        row = heroes.get((service_id, person))
        if row is None or call_id in chosen:
            continue
        if len(waited[id(row)]) < LISTED:
            waited[id(row)].append(call_id)
            chosen[call_id] = row
        if all(len(ids) >= LISTED for ids in waited.values()):
            break
    listed = Call.objects.filter(pk__in=chosen).select_related("organisation", "service")
    found = {call.pk: call for call in listed}
    for row in heroes.values():
        row.waited = [found[pk] for pk in waited[id(row)]]


# --- Recurring problems --------------------------------------------------------------


def recurring_problems(
    *, organisation, member_access, start, end, service=None
) -> RecurringFigures:
    """At least :data:`RECURRING_MIN_COUNT` incidents of one service and category:
    propose a risk for the system, and show the risk when one exists already (of
    the same service and category, or raised from one of those incidents).
    Three queries: the groups, their incidents, the risks."""
    calls = dashboard_calls(
        organisation=organisation,
        member_access=member_access,
        start=start,
        end=end,
        service=service,
    )
    incidents = calls.filter(call_type=INCIDENT).exclude(category="")
    grouped = (
        incidents.values("service_id", "service__name", "category")
        .annotate(n=Count("pk"))
        .filter(n__gte=RECURRING_MIN_COUNT)
        .order_by("-n", "service__name", "category")
    )
    rows = {
        (row["service_id"], row["category"]): RecurringRow(
            service_id=row["service_id"],
            service=row["service__name"],
            category=row["category"],
            incidents=row["n"],
        )
        for row in grouped
    }
    if not rows:
        return RecurringFigures(rows=[])
    groups = Q(pk__in=[])
    for service_id, category in rows:
        groups |= Q(service_id=service_id, category=category)
    # Only the newest LISTED of each group are read (numbered per group in SQL):
    # reading every incident of every group grew with the register.
    newest = (
        incidents.filter(groups)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("service_id"), F("category")],
                order_by=[F("registered_at").desc(), F("id").desc()],
            )
        )
        .filter(rank__lte=LISTED)
        .select_related("organisation", "service")
        .order_by("-registered_at", "-id")
    )
    for call in newest:
        row = rows[(call.service_id, call.category)]
        row.latest_id = row.latest_id or call.pk  # newest first: the first is the latest
        row.calls.append(call)
    # Risks are few: those of the groups from their own index (calls 0006), those
    # raised from an incident of the period from the origin index. Asked as one
    # query with OR, both databases walked the organisation's calls instead.
    risks = Call.objects.filter(organisation=organisation, call_type=RISK)
    found = list(
        access.restrict(risks.filter(groups), member_access).select_related(
            "organisation", "origin"
        )
    ) + list(
        access.restrict(
            risks.filter(
                origin__isnull=False,
                origin__call_type=INCIDENT,
                origin__registered_at__gte=start,
                origin__registered_at__lt=end,
            ),
            member_access,
        ).select_related("organisation", "origin")
    )
    for risk in sorted(found, key=lambda risk: (risk.registered_at, risk.pk)):
        key = (risk.service_id, risk.category)
        if key not in rows and risk.origin is not None:
            key = (risk.origin.service_id, risk.origin.category)
        if key in rows and rows[key].risk is None:
            rows[key].risk = risk
    return RecurringFigures(rows=list(rows.values()))


def recurring_incidents(
    *, organisation, member_access, start, end, service, category: str
) -> list[Call]:
    """The incidents of one recurring problem, newest first (for registering its risk)."""
    calls = dashboard_calls(
        organisation=organisation,
        member_access=member_access,
        start=start,
        end=end,
        service=service,
    )
    return list(
        calls.filter(call_type=INCIDENT, category=category).order_by("-registered_at", "-id")
    )


# --- Standing findings ---------------------------------------------------------------


def standing_findings(*, organisation) -> list[SeparationRelaxation]:
    """Every separation rule relaxed for a team and still in effect."""
    return list(
        SeparationRelaxation.objects.filter(organisation=organisation, active=True)
        .select_related("team")
        .order_by("-decided_at")
    )


# --- All of them ---------------------------------------------------------------------


def signals(*, organisation, member_access, start, end, service=None) -> Signals:
    """Every signal for one period (and service), for the dashboard and the API."""
    where = {
        "organisation": organisation,
        "member_access": member_access,
        "start": start,
        "end": end,
        "service": service,
    }
    norm_figures = norms(**where)
    melons = watermelon(**where)
    melons.norms = norm_figures
    # The calls per service, counted once: the total and two signals' shares read it
    # (each count walks every call of the period).
    totals = _calls_per_service(dashboard_calls(**where))
    return Signals(
        start=start,
        end=end,
        calls=sum(totals.values()),
        findings=standing_findings(organisation=organisation),
        norms=norm_figures,
        watermelon=melons,
        ping_pong=ping_pong(**where),
        escalations=escalations(**where, totals=totals),
        exceptions=normalised_exceptions(**where),
        heroes=hero_dependency(**where, totals=totals),
        recurring=recurring_problems(**where),
    )
