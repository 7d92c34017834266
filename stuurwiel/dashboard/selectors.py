"""The signals of a working system (issue 7 item 7), read from the roll-ups.

Each signal is one function with the same keyword-only arguments (the
organisation, the member's access, the period, optionally one service) and
returns a plain dataclass with the figures and the calls behind them.

The figures are sums of :class:`~stuurwiel.dashboard.models.DailyFigure` rows
(:mod:`~stuurwiel.dashboard.rollup` keeps them, every minute): at most one row
per day of the period and service, link, person or label, whatever the number
of calls. A period counts the days that *begin* inside it (the last 90 days:
the 90 days up to and including today), and the figures are those of the last
roll-up (:func:`figures_as_of`; the pages say so).

The calls behind a figure are read from the register directly, but bounded:
the roll-up says which of the newest days hold the first :data:`LISTED` of
them, and only the calls registered since then are asked (with the same
conditions as the roll-up's, :mod:`~stuurwiel.dashboard.conditions`). Which
calls a member may see is the access layer's ``dashboard.view`` (a service
owner: the calls of their services); the figures are kept per service, so
restricting the services restricts the figures.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from django.db.models import Exists, F, Max, OuterRef, Q, QuerySet, Sum, Window
from django.db.models.functions import RowNumber

from stuurwiel.calls.choices import ClockState, EventKind, ExceptionDecision
from stuurwiel.calls.clocks import used_now
from stuurwiel.calls.models import Call, CallEvent, ClockResult, SeparationRelaxation
from stuurwiel.dashboard.conditions import (
    INCIDENT,
    RISK,
    returns_of,
    waits_of,
    watermelon_ids,
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
from stuurwiel.dashboard.models import DailyFigure, FigureKind
from stuurwiel.dashboard.rollup import day_of, figures_as_of, midnight
from stuurwiel.organisations import access
from stuurwiel.services.models import Service

__all__ = ["INCIDENT", "RISK", "figures_as_of"]


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


def _seen_services(organisation, member_access: access.Access) -> QuerySet[Service]:
    services = Service.objects.filter(organisation=organisation)
    services = access.restrict(services, member_access, permission="dashboard.view")
    return access.restrict(services, member_access)


def dashboard_services(*, organisation, member_access: access.Access) -> list[Service]:
    """The services a member may choose on the dashboard (its service filter)."""
    services = _seen_services(organisation, member_access).order_by("name")
    return list(services.only("pk", "name"))


def period_days(start, end) -> tuple[datetime.date, datetime.date]:
    """The first and last day that begin inside ``[start, end)``."""
    first, last = day_of(start), day_of(end)
    if midnight(first) < start:
        first += datetime.timedelta(days=1)
    if midnight(last) >= end:
        last -= datetime.timedelta(days=1)
    return first, last


def daily_figures(
    *, organisation, member_access, start, end, service=None, kind: FigureKind
) -> QuerySet[DailyFigure]:
    """The roll-up rows of ``kind`` for the days of the period the member may see."""
    first, last = period_days(start, end)
    rows = DailyFigure.objects.filter(
        organisation=organisation, kind=kind, day__gte=first, day__lte=last
    )
    if service is not None:
        rows = rows.filter(service=service)
    if not member_access.holds_everywhere("dashboard.view"):
        rows = rows.filter(service__in=_seen_services(organisation, member_access).values("pk"))
    return rows


def _newest_days(rows: QuerySet[DailyFigure], field: str = "count") -> datetime.date | None:
    """The oldest of the newest days that together hold :data:`LISTED` of the
    calls ``rows`` count (``None``: no day holds any)."""
    found = None
    total = 0
    per_day = (
        rows.values("day").annotate(n=Sum(field)).filter(n__gt=0).order_by("-day")[: LISTED + 1]
    )
    for row in per_day:
        found, total = row["day"], total + row["n"]
        if total >= LISTED:
            break
    return found


def _since(calls: QuerySet[Call], day: datetime.date | None) -> QuerySet[Call]:
    """``calls`` registered from the start of ``day`` on (none without a day)."""
    return calls.none() if day is None else calls.filter(registered_at__gte=midnight(day))


#: What a listed call shows (its number, title and service, and the API its type
#: and time): the recurring problems alone list up to LISTED calls per group, and
#: building whole calls with their organisation was most of the page's time.
_SHOWN = (
    "organisation_id",
    "number",
    "title",
    "call_type",
    "category",
    "registered_at",
    "service_id",
    "service__name",
)


def _shown(calls: QuerySet[Call]) -> QuerySet[Call]:
    return calls.select_related("service").only(*_SHOWN)


def _listed(calls: QuerySet[Call]) -> list[Call]:
    return list(_shown(calls).order_by("-registered_at", "-id")[:LISTED])


_LINK_NAMES = ("link__team__name", "link__supplier__name")


def _link_label(row: dict[str, Any]) -> str:
    return row.get("link__team__name") or row.get("link__supplier__name") or ""


# --- Norms met and breached ----------------------------------------------------------


def norms(*, organisation, member_access, start, end, service=None) -> NormFigures:
    """Clocks met, breached and running, per service, link (or the chain) and norm
    kind; and the newest calls with a breached clock."""
    where = {
        "organisation": organisation,
        "member_access": member_access,
        "start": start,
        "end": end,
        "service": service,
    }
    grouped = (
        daily_figures(**where, kind=FigureKind.CLOCKS)
        .values(
            "service_id", "service__name", "link_id", "link__position", *_LINK_NAMES, "norm_kind"
        )
        .annotate(met=Sum("met"), breached=Sum("breached"), running=Sum("running"))
        .order_by()
    )
    rows = [
        NormRow(
            service_id=row["service_id"],
            service=row["service__name"],
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
    newest = _newest_days(daily_figures(**where, kind=FigureKind.BREACHED_CALLS))
    breached = _since(dashboard_calls(**where), newest).filter(
        Exists(ClockResult.objects.filter(call=OuterRef("pk"), state=ClockState.BREACHED))
    )
    return NormFigures(rows=rows, breached_calls=_listed(breached) if newest else [])


# --- Watermelon ----------------------------------------------------------------------


def watermelon(*, organisation, member_access, start, end, service=None) -> WatermelonFigures:
    """Calls whose every link clock (OLA/UC) of a norm kind is met while the chain's
    SA clock of that kind is breached: every link green, the chain red."""
    where = {
        "organisation": organisation,
        "member_access": member_access,
        "start": start,
        "end": end,
        "service": service,
    }
    rows = daily_figures(**where, kind=FigureKind.WATERMELONS)
    per_service = {
        row["service__name"]: row["n"]
        for row in rows.values("service__name").annotate(n=Sum("count")).order_by()
    }
    newest = _newest_days(rows)
    calls = _since(dashboard_calls(**where), newest)
    listed = _listed(calls.filter(pk__in=watermelon_ids(calls))) if newest else []
    clocks = used_now(  # a ticking clock's use up to now (calls/clocks.py)
        ClockResult.objects.filter(call__in=[call.pk for call in listed]).select_related(
            "link__team", "link__supplier", "calendar"
        )
    )
    by_call: dict[int, list[ClockResult]] = defaultdict(list)
    for clock_row in clocks if listed else []:
        by_call[clock_row.call_id].append(clock_row)
    found = []
    for call in listed:
        own = by_call[call.pk]
        links = sorted(
            (c for c in own if c.link_id is not None),
            key=lambda c: (c.link.position if c.link else 0, c.norm_kind),
        )
        chain = sorted((c for c in own if c.link_id is None), key=lambda c: c.norm_kind)
        found.append(WatermelonCall(call=call, chain=chain, links=links))
    return WatermelonFigures(per_service=per_service, count=sum(per_service.values()), calls=found)


# --- Hand-over ping-pong --------------------------------------------------------------


def ping_pong(*, organisation, member_access, start, end, service=None) -> PingPongFigures:
    """Calls handed back by a person to a link that held them before (A → B → A;
    see :func:`~stuurwiel.dashboard.conditions.returns_of`): the calls per service,
    the returns per pair of links, and the newest calls."""
    where = {
        "organisation": organisation,
        "member_access": member_access,
        "start": start,
        "end": end,
        "service": service,
    }
    with_returns = daily_figures(**where, kind=FigureKind.PING_PONG_CALLS)
    per_service = {
        row["service__name"]: row["n"]
        for row in with_returns.values("service__name").annotate(n=Sum("count")).order_by()
    }
    grouped = (
        daily_figures(**where, kind=FigureKind.RETURNS)
        .values("service__name", "link_id", "other_link_id")
        .annotate(n=Sum("count"))
        .order_by()
    )
    pairs: dict[tuple[str, int, int], int] = {
        (row["service__name"], row["link_id"], row["other_link_id"]): row["n"] for row in grouped
    }
    names: dict[int, str] = {}
    _link_names(names, {a for _, a, _ in pairs} | {b for _, _, b in pairs})
    newest = _newest_days(with_returns)
    calls = _since(dashboard_calls(**where), newest)
    return PingPongFigures(
        per_service=dict(sorted(per_service.items())),
        pairs=sorted(
            (
                PingPongPair(
                    service=s,
                    returning_link=names.get(a, ""),
                    between_link=names.get(b, ""),
                    count=n,
                )
                for (s, a, b), n in pairs.items()
            ),
            key=lambda pair: (-pair.count, pair.service),
        ),
        calls=_listed(calls.filter(pk__in=returns_of(calls).values("call_id"))) if newest else [],
    )


def _link_names(names: dict[int, str], wanted: set[int]) -> None:
    """Fill in the names of the links in ``wanted`` (one query for all of them)."""
    from stuurwiel.services.models import Link

    missing = wanted - set(names) - {None}
    if missing:
        for link in Link.objects.filter(pk__in=missing).select_related("team", "supplier"):
            names[link.pk] = str(link)


# --- Structural escalations ----------------------------------------------------------


def calls_per_service(*, organisation, member_access, start, end, service=None) -> dict[int, int]:
    """The calls registered in the period per service (from the roll-up)."""
    rows = daily_figures(
        organisation=organisation,
        member_access=member_access,
        start=start,
        end=end,
        service=service,
        kind=FigureKind.CALLS,
    )
    return {
        row["service_id"]: row["n"]
        for row in rows.values("service_id").annotate(n=Sum("count")).order_by()
    }


def escalations(
    *, organisation, member_access, start, end, service=None, totals: dict[int, int] | None = None
) -> EscalationFigures:
    """Escalations per service and link, with the share of the service's calls
    escalated at that link; structural at the thresholds above."""
    where = {
        "organisation": organisation,
        "member_access": member_access,
        "start": start,
        "end": end,
        "service": service,
    }
    grouped = (
        daily_figures(**where, kind=FigureKind.ESCALATIONS)
        .values("service_id", "service__name", "link_id", *_LINK_NAMES)
        .annotate(n=Sum("count"), escalated=Sum("calls"))
        .order_by()
    )
    totals = calls_per_service(**where) if totals is None else totals
    rows = [
        EscalationRow(
            service=row["service__name"],
            link=_link_label(row),
            escalations=row["n"],
            calls_escalated=row["escalated"],
            service_calls=totals.get(row["service_id"], 0),
        )
        for row in grouped
    ]
    rows.sort(key=lambda r: (not r.structural, -r.escalations, r.service))
    newest = _newest_days(daily_figures(**where, kind=FigureKind.ESCALATED_CALLS))
    listed = _since(dashboard_calls(**where), newest).filter(
        Exists(CallEvent.objects.filter(call=OuterRef("pk"), kind=EventKind.ESCALATED))
    )
    return EscalationFigures(rows=rows, calls=_listed(listed) if newest else [])


# --- Normalised exceptions -----------------------------------------------------------


def normalised_exceptions(
    *, organisation, member_access, start, end, service=None
) -> ExceptionFigures:
    """Approved exceptions per service and kind; normalised ("the exception has
    become the rule") when approved at least :data:`EXCEPTION_MIN_COUNT` times
    and none of those calls raised a risk."""
    from stuurwiel.calls.choices import ExceptionKind

    where = {
        "organisation": organisation,
        "member_access": member_access,
        "start": start,
        "end": end,
        "service": service,
    }
    figures = daily_figures(**where, kind=FigureKind.EXCEPTIONS)
    grouped = (
        figures.values("service_id", "service__name", "label")
        .annotate(n=Sum("count"), improved_n=Sum("improved"))
        .order_by()
    )
    labels = dict(ExceptionKind.choices)
    rows = [
        ExceptionRow(
            service_id=row["service_id"],
            service=row["service__name"],
            kind=row["label"],
            kind_label=str(labels.get(row["label"], row["label"])),
            approved=row["n"],
            improved=row["improved_n"],
        )
        for row in grouped
    ]
    rows.sort(key=lambda r: (not r.normalised, -r.approved, r.service))
    flagged, flagged_rows = Q(pk__in=[]), Q(pk__in=[])
    for row in rows:
        if row.normalised:
            flagged |= Q(service_id=row.service_id, exceptions__kind=row.kind)
            flagged_rows |= Q(service_id=row.service_id, label=row.kind)
    listed: list[Call] = []
    if any(row.normalised for row in rows):
        newest = _newest_days(figures.filter(flagged_rows), "calls")
        calls = _since(dashboard_calls(**where), newest)
        listed = _listed(
            calls.filter(flagged, exceptions__decision=ExceptionDecision.APPROVED).distinct()
        )
    return ExceptionFigures(rows=rows, calls=listed)


# --- Hero dependency -----------------------------------------------------------------


def hero_dependency(
    *, organisation, member_access, start, end, service=None, totals: dict[int, int] | None = None
) -> HeroFigures:
    """Per service the person who completed most steps, and the share of the
    service's calls they carried; when flagged, the calls that waited for them
    (assigned to them, their next step there more than :data:`HERO_WAIT` later)."""
    from stuurwiel.core import clock

    where = {
        "organisation": organisation,
        "member_access": member_access,
        "start": start,
        "end": end,
        "service": service,
    }
    per_person = (
        daily_figures(**where, kind=FigureKind.STEPS)
        .values("service_id", "service__name", "person_id")
        .annotate(steps=Sum("count"), carried=Sum("calls"), name=Max("person_name"))
        .order_by()
    )
    totals = calls_per_service(**where) if totals is None else totals
    best: dict[int, HeroRow] = {}
    for row in per_person:
        candidate = HeroRow(
            service_id=row["service_id"],
            service=row["service__name"],
            person_id=row["person_id"],
            person=row["name"],
            steps=row["steps"],
            calls=row["carried"],
            service_calls=totals.get(row["service_id"], 0),
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
        _waited_for(where, heroes, clock.now())
    return HeroFigures(rows=rows)


def _waited_for(where: dict, heroes: dict[tuple[int, int], HeroRow], now) -> None:
    """The newest calls assigned to a hero (``(service, person)`` → row) whose
    next step by them came late, or has not come and the wait is longer already.
    The roll-up's waits (late or still open) say from which day on to look."""
    wanted = Q(pk__in=[])
    for service_id, person in heroes:
        wanted |= Q(service_id=service_id, person_id=person)
    waits = daily_figures(**where, kind=FigureKind.WAITS).filter(wanted)
    newest = _newest_days(waits.annotate(either=F("count") + F("running")), "either")
    for row in heroes.values():
        row.waited = []
    if newest is None:
        return
    calls = _since(dashboard_calls(**where), newest)
    assigned = (
        waits_of(calls)
        .filter(operator__in=sorted({person for _, person in heroes}))
        .filter(
            Q(next_at__gt=F("at") + HERO_WAIT) | Q(next_at__isnull=True, at__lt=now - HERO_WAIT)
        )
        .order_by("-at", "-id")
        .values_list("call_id", "call__service_id", "operator")
    )
    chosen: dict[int, HeroRow] = {}
    waited: dict[int, list[int]] = {id(row): [] for row in heroes.values()}
    for call_id, service_id, person in assigned.iterator():
        hero = heroes.get((service_id, person))
        if hero is None or call_id in chosen:
            continue
        if len(waited[id(hero)]) < LISTED:
            waited[id(hero)].append(call_id)
            chosen[call_id] = hero
        if all(len(ids) >= LISTED for ids in waited.values()):
            break
    listed = _shown(Call.objects.filter(pk__in=chosen))
    found = {call.pk: call for call in listed}
    for row in heroes.values():
        row.waited = [found[pk] for pk in waited[id(row)]]


# --- Recurring problems --------------------------------------------------------------


def recurring_problems(
    *, organisation, member_access, start, end, service=None
) -> RecurringFigures:
    """At least :data:`RECURRING_MIN_COUNT` incidents of one service and category:
    propose a risk for the system, and show the risk when one exists already (of
    the same service and category, or raised from one of those incidents)."""
    where = {
        "organisation": organisation,
        "member_access": member_access,
        "start": start,
        "end": end,
        "service": service,
    }
    per_day = (
        daily_figures(**where, kind=FigureKind.INCIDENTS)
        .values("service_id", "service__name", "label", "day")
        .annotate(n=Sum("count"))
        .order_by("-day")
    )
    rows: dict[tuple[int, str], RecurringRow] = {}
    since: dict[tuple[int, str], datetime.date] = {}  # per group: the newest LISTED from here
    for found in per_day:
        key = (found["service_id"], found["label"])
        row = rows.setdefault(
            key,
            RecurringRow(
                service_id=found["service_id"],
                service=found["service__name"],
                category=found["label"],
                incidents=0,
            ),
        )
        if row.incidents < LISTED:
            since[key] = found["day"]
        row.incidents += found["n"]
    rows = {key: row for key, row in rows.items() if row.incidents >= RECURRING_MIN_COUNT}
    if not rows:
        return RecurringFigures(rows=[])
    groups, newest_of_groups = Q(pk__in=[]), Q(pk__in=[])
    for service_id, category in rows:
        groups |= Q(service_id=service_id, category=category)
        newest_of_groups |= Q(
            service_id=service_id,
            category=category,
            registered_at__gte=midnight(since[(service_id, category)]),
        )
    incidents = dashboard_calls(**where).filter(call_type=INCIDENT).exclude(category="")
    # Only the newest LISTED of each group are read (numbered per group in SQL),
    # from the days the roll-up says hold them.
    newest = (
        _shown(incidents.filter(newest_of_groups))
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("service_id"), F("category")],
                order_by=[F("registered_at").desc(), F("id").desc()],
            )
        )
        .filter(rank__lte=LISTED)
        .order_by("-registered_at", "-id")
    )
    for call in newest:
        row = rows[(call.service_id, call.category)]
        row.latest_id = row.latest_id or call.pk  # newest first: the first is the latest
        row.calls.append(call)
    _risks_of(rows, groups, where)
    ordered = sorted(rows.values(), key=lambda r: (-r.incidents, r.service, r.category))
    return RecurringFigures(rows=ordered)


def _risks_of(rows: dict[tuple[int, str], RecurringRow], groups: Q, where: dict) -> None:
    """The risk of each recurring problem, when there is one. Risks are few: those
    of the groups from their own index (calls 0006), those raised from an
    incident of the period from the origin index. Asked as one query with OR,
    both databases walked the organisation's calls instead."""
    member_access = where["member_access"]
    risks = Call.objects.filter(organisation=where["organisation"], call_type=RISK)
    found = list(
        access.restrict(risks.filter(groups), member_access).select_related(
            "organisation", "origin"
        )
    ) + list(
        access.restrict(
            risks.filter(
                origin__isnull=False,
                origin__call_type=INCIDENT,
                origin__registered_at__gte=where["start"],
                origin__registered_at__lt=where["end"],
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
    # The calls per service, summed once: the total and two signals' shares read it.
    totals = calls_per_service(**where)
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
        as_of=figures_as_of(organisation=organisation),
    )
