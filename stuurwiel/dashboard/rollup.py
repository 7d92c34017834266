"""The dashboard's roll-up: the signals' figures per day (see :mod:`.models`).

A day's figures are those of the calls *registered* that day (in the
installation's time zone), whatever happened to them later; so a write to a call,
its events, segments, clocks or exceptions changes the figures of one day: the
day its call was registered (and, for a risk raised from a call, that call's day
too: it decides whether an exception was improved upon). The roll-up rewrites
whole days:

- :func:`dashboard_rollup` (every minute from the worker, see
  :mod:`stuurwiel.jobs.schedule`; ``manage.py dashboard_rollup``) finds the days
  touched since the organisation's watermark (:class:`~.models.DashboardRollup`):
  calls whose ``updated_at`` moved, clocks whose ``computed_at`` moved, exceptions
  decided, and the append-only rows (events, segments, new calls, clocks and
  exceptions) past the ids it saw last; then recomputes those days;
- with ``full`` it recomputes every day that has calls;
- then, when a day of the last 180 changed (or the date did), it rewrites the
  sums of the dashboard's standard periods (the last 30, 90 and 180 days up to
  today) for the kinds summed over a whole period (:data:`SUMMED_KINDS`): a
  default page then reads one row per service and link, person or label.

Each figure is one grouped query over a stretch of days (a month at a time in a
full roll-up), written with the same conditions as the direct reads the
dashboard used before (:mod:`.signals` keeps the drill-down lists on those
conditions). What it does not see: a call deleted outright (a full roll-up
drops its day's figures) and a clock whose state is changed without moving
``computed_at`` (the clock sweep moves it whenever it writes a ticking clock).
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, F, Max, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from stuurwiel.calls.choices import ClockState, EventKind, ExceptionDecision
from stuurwiel.calls.models import Call, CallEvent, CallException, ClockResult, LinkSegment
from stuurwiel.core import clock
from stuurwiel.dashboard.conditions import (
    INCIDENT,
    RISK,
    breached,
    escalated,
    returns_of,
    waits_of,
    watermelon_ids,
)
from stuurwiel.dashboard.figures import HERO_WAIT
from stuurwiel.dashboard.forms import PERIOD_DAYS
from stuurwiel.dashboard.models import DailyFigure, DashboardRollup, FigureKind
from stuurwiel.organisations.models import Organisation

#: Days recomputed per stretch in a full roll-up (one set of grouped queries each).
STRETCH_DAYS = 31
#: Writes are looked for from this long before the watermark: a transaction that
#: committed just after the last roll-up read may carry an earlier timestamp.
OVERLAP = datetime.timedelta(minutes=2)


@dataclass
class RollupReport:
    """What one roll-up of one organisation did."""

    organisation: str
    days: int
    rows: int
    seconds: float
    full: bool


def midnight(day: datetime.date) -> datetime.datetime:
    """The start of ``day`` in the installation's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def day_of(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def dashboard_rollup(
    *, organisation: Organisation, full: bool = False, now: datetime.datetime | None = None
) -> RollupReport:
    """Bring ``organisation``'s figures up to now: the days touched since the
    watermark, or (``full``, or no watermark yet) every day with calls."""
    started = time.perf_counter()
    now = now or clock.now()
    # The ids and time are taken before reading: what is written meanwhile is
    # seen by the next roll-up.
    marks = _marks(organisation)
    watermark = DashboardRollup.objects.filter(organisation=organisation).first()
    if full or watermark is None:
        days = _all_days(organisation)
        DailyFigure.objects.filter(organisation=organisation, days=0).exclude(day__in=days).delete()
    else:
        days = _touched_days(organisation, watermark)
    rows = 0
    for first, last in _stretches(sorted(days), full=full or watermark is None):
        rows += _rollup_stretch(organisation, first, last, wanted=days)
    today = day_of(now)
    summed_day = watermark.summed_day if watermark and not full else None
    if summed_day != today or any(today - day < _LONGEST for day in days):
        rows += _sum_periods(organisation, today)
    DashboardRollup.objects.update_or_create(
        organisation=organisation,
        defaults={"rolled_at": now, "days": len(days), "summed_day": today, **marks},
    )
    return RollupReport(
        organisation=organisation.slug,
        days=len(days),
        rows=rows,
        seconds=time.perf_counter() - started,
        full=full or watermark is None,
    )


def dashboard_rollup_all(*, full: bool = False) -> list[RollupReport]:
    """:func:`dashboard_rollup` for every organisation with calls."""
    with_calls = Call.objects.values("organisation_id")
    return [
        dashboard_rollup(organisation=organisation, full=full)
        for organisation in Organisation.objects.filter(pk__in=with_calls).order_by("pk")
    ]


def figures_as_of(*, organisation: Organisation) -> datetime.datetime | None:
    """Up to when ``organisation``'s figures are complete (``None``: never rolled up)."""
    return (
        DashboardRollup.objects.filter(organisation=organisation)
        .values_list("rolled_at", flat=True)
        .first()
    )


# --- Which days -----------------------------------------------------------------------


def _marks(organisation) -> dict[str, int]:
    def top(model) -> int:
        found = model.objects.filter(organisation=organisation).aggregate(top=Max("pk"))["top"]
        return found or 0

    return {
        "last_call_id": top(Call),
        "last_event_id": top(CallEvent),
        "last_segment_id": top(LinkSegment),
        "last_clock_id": top(ClockResult),
        "last_exception_id": top(CallException),
    }


def _days(queryset: QuerySet, field: str) -> set[datetime.date]:
    return set(
        queryset.annotate(day=TruncDate(field)).order_by().values_list("day", flat=True).distinct()
    )


def _all_days(organisation) -> set[datetime.date]:
    return _days(Call.objects.filter(organisation=organisation), "registered_at")


def _touched_days(organisation, watermark: DashboardRollup) -> set[datetime.date]:
    """The registration days of the calls written since ``watermark`` (see the module)."""
    since = watermark.rolled_at - OVERLAP
    org = {"organisation": organisation}
    calls = Call.objects.filter(Q(updated_at__gte=since) | Q(pk__gt=watermark.last_call_id), **org)
    days = _days(calls, "registered_at")
    days |= _days(calls.filter(call_type=RISK, origin__isnull=False), "origin__registered_at")
    days |= _days(
        CallEvent.objects.filter(pk__gt=watermark.last_event_id, **org), "call__registered_at"
    )
    days |= _days(
        LinkSegment.objects.filter(pk__gt=watermark.last_segment_id, **org),
        "call__registered_at",
    )
    days |= _days(
        ClockResult.objects.filter(
            Q(computed_at__gte=since) | Q(pk__gt=watermark.last_clock_id), **org
        ),
        "call__registered_at",
    )
    days |= _days(
        CallException.objects.filter(
            Q(decided_at__gte=since) | Q(pk__gt=watermark.last_exception_id), **org
        ),
        "call__registered_at",
    )
    return days


def _stretches(
    days: list[datetime.date], *, full: bool
) -> Iterable[tuple[datetime.date, datetime.date]]:
    """Consecutive runs of ``days`` (a full roll-up: any run of up to
    :data:`STRETCH_DAYS`, gaps included), as ``(first, last)``."""
    first = previous = None
    for day in days:
        if first is None:
            first = previous = day
            continue
        gap = (day - previous).days if previous else 0
        span = (day - first).days
        if (full and span < STRETCH_DAYS) or (not full and gap == 1 and span < STRETCH_DAYS):
            previous = day
            continue
        yield first, previous
        first = previous = day
    if first is not None:
        yield first, previous


# --- The standard periods, summed -----------------------------------------------------

#: The kinds the signals sum over a whole period (the others are read per day:
#: which days hold the newest calls behind a figure). Summed for each of the
#: dashboard's standard periods up to today, one row per service and link,
#: person or label instead of one per day: at a million calls the steps per
#: person alone were 38,000 day rows in 90 days.
SUMMED_KINDS = (
    FigureKind.CALLS,
    FigureKind.CLOCKS,
    FigureKind.WATERMELONS,
    FigureKind.RETURNS,
    FigureKind.PING_PONG_CALLS,
    FigureKind.ESCALATIONS,
    FigureKind.EXCEPTIONS,
    FigureKind.STEPS,
)
_KEYS = ("kind", "service_id", "link_id", "other_link_id", "person_id", "norm_kind", "label")
_SUMS = ("count", "calls", "met", "breached", "running", "improved")
_LONGEST = datetime.timedelta(days=max(PERIOD_DAYS))


@transaction.atomic
def _sum_periods(organisation, today: datetime.date) -> int:
    """Rewrite the sums of the standard periods (the last N days, today included)."""
    DailyFigure.objects.filter(organisation=organisation, days__gt=0).delete()
    rows: list[DailyFigure] = []
    for n in PERIOD_DAYS:
        grouped = (
            DailyFigure.objects.filter(
                organisation=organisation,
                days=0,
                kind__in=SUMMED_KINDS,
                day__gt=today - datetime.timedelta(days=n),
                day__lte=today,
            )
            .values(*_KEYS)
            .annotate(**{f"sum_{name}": Sum(name) for name in _SUMS}, name=Max("person_name"))
            .order_by()
        )
        rows += [
            DailyFigure(
                organisation=organisation,
                day=today,
                days=n,
                person_name=row["name"] or "",
                **{key: row[key] for key in _KEYS},
                **{name: row[f"sum_{name}"] for name in _SUMS},
            )
            for row in grouped
        ]
    DailyFigure.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


# --- One stretch of days --------------------------------------------------------------


@transaction.atomic
def _rollup_stretch(organisation, first: datetime.date, last: datetime.date, *, wanted) -> int:
    """Rewrite the figures of the days ``first``..``last`` that are in ``wanted``."""
    start, end = midnight(first), midnight(last + datetime.timedelta(days=1))
    calls = Call.objects.filter(
        organisation=organisation, registered_at__gte=start, registered_at__lt=end
    )
    rows: list[DailyFigure] = []
    for builder in _BUILDERS:
        rows += builder(organisation, calls)
    days = [day for day in wanted if first <= day <= last]
    DailyFigure.objects.filter(organisation=organisation, days=0, day__in=days).delete()
    rows = [row for row in rows if row.day in wanted]
    DailyFigure.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def _figure(organisation, kind: FigureKind, row: dict, **values) -> DailyFigure:
    return DailyFigure(
        organisation=organisation, kind=kind, day=row["day"], service_id=row["svc"], **values
    )


def _per_call(kind: FigureKind):
    """A builder counting the calls of ``condition`` per day and service."""

    def build(organisation, calls: QuerySet[Call], condition) -> list[DailyFigure]:
        grouped = (
            condition(calls)
            .annotate(day=TruncDate("registered_at"))
            .values("day", svc=F("service_id"))
            .annotate(n=Count("pk"))
            .order_by()
        )
        return [_figure(organisation, kind, row, count=row["n"]) for row in grouped]

    return build


def _calls(organisation, calls):
    return _per_call(FigureKind.CALLS)(organisation, calls, lambda qs: qs)


def _clocks(organisation, calls):
    grouped = (
        ClockResult.objects.filter(call__in=calls.values("pk"))
        .annotate(day=TruncDate("call__registered_at"))
        .values("day", "link_id", "norm_kind", svc=F("call__service_id"))
        .annotate(
            met=Count("pk", filter=Q(state=ClockState.MET)),
            breached=Count("pk", filter=Q(state=ClockState.BREACHED)),
            running=Count("pk", filter=Q(state=ClockState.RUNNING)),
        )
        .order_by()
    )
    return [
        _figure(
            organisation,
            FigureKind.CLOCKS,
            row,
            link_id=row["link_id"],
            norm_kind=row["norm_kind"],
            met=row["met"],
            breached=row["breached"],
            running=row["running"],
        )
        for row in grouped
    ]


def _breached_calls(organisation, calls):
    return _per_call(FigureKind.BREACHED_CALLS)(
        organisation, calls, lambda qs: qs.filter(breached())
    )


def _watermelons(organisation, calls):
    return _per_call(FigureKind.WATERMELONS)(
        organisation, calls, lambda qs: qs.filter(pk__in=watermelon_ids(qs))
    )


def _returns(organisation, calls):
    grouped = (
        returns_of(calls)
        .annotate(day=TruncDate("call__registered_at"))
        .values("day", "to_link_id", "link_id", svc=F("call__service_id"))
        .annotate(n=Count("pk"))
        .order_by()
    )
    rows = [
        _figure(
            organisation,
            FigureKind.RETURNS,
            row,
            link_id=row["to_link_id"],
            other_link_id=row["link_id"],
            count=row["n"],
        )
        for row in grouped
    ]
    return rows + _per_call(FigureKind.PING_PONG_CALLS)(
        organisation, calls, lambda qs: qs.filter(pk__in=returns_of(qs).values("call_id"))
    )


def _escalations(organisation, calls):
    events = CallEvent.objects.filter(call__in=calls.values("pk"), kind=EventKind.ESCALATED)
    grouped = (
        events.annotate(day=TruncDate("call__registered_at"))
        .values("day", "link_id", svc=F("call__service_id"))
        .annotate(n=Count("pk"), calls=Count("call_id", distinct=True))
        .order_by()
    )
    rows = [
        _figure(
            organisation,
            FigureKind.ESCALATIONS,
            row,
            link_id=row["link_id"],
            count=row["n"],
            calls=row["calls"],
        )
        for row in grouped
    ]
    return rows + _per_call(FigureKind.ESCALATED_CALLS)(
        organisation, calls, lambda qs: qs.filter(escalated())
    )


def _exceptions(organisation, calls):
    # An exception was improved upon when its call raised a risk (any time).
    raised_from = Call.objects.filter(
        organisation=organisation, call_type=RISK, origin__isnull=False
    ).values("origin_id")
    grouped = (
        CallException.objects.filter(
            call__in=calls.values("pk"), decision=ExceptionDecision.APPROVED
        )
        .annotate(day=TruncDate("call__registered_at"))
        .values("day", "kind", svc=F("call__service_id"))
        .annotate(
            n=Count("pk"),
            calls=Count("call_id", distinct=True),
            improved=Count("pk", filter=Q(call_id__in=raised_from)),
        )
        .order_by()
    )
    return [
        _figure(
            organisation,
            FigureKind.EXCEPTIONS,
            row,
            label=row["kind"],
            count=row["n"],
            calls=row["calls"],
            improved=row["improved"],
        )
        for row in grouped
    ]


def _steps(organisation, calls):
    grouped = (
        CallEvent.objects.filter(
            call__in=calls.values("pk"), kind=EventKind.STEP_COMPLETED, actor__isnull=False
        )
        .annotate(day=TruncDate("call__registered_at"))
        .values("day", "actor_id", svc=F("call__service_id"))
        .annotate(n=Count("pk"), calls=Count("call_id", distinct=True), name=Max("actor_name"))
        .order_by()
    )
    return [
        _figure(
            organisation,
            FigureKind.STEPS,
            row,
            person_id=row["actor_id"],
            person_name=row["name"] or "",
            count=row["n"],
            calls=row["calls"],
        )
        for row in grouped
    ]


def _waits(organisation, calls):
    """Per operator the assignments whose next step by them came more than
    :data:`HERO_WAIT` later (``count``) and those with no next step yet
    (``running``: whether they waited too long depends on when one asks)."""
    grouped = (
        waits_of(calls)
        .filter(operator__isnull=False)
        .annotate(day=TruncDate("call__registered_at"))
        .values("day", "operator", svc=F("call__service_id"))
        .annotate(
            late=Count("pk", filter=Q(next_at__gt=F("at") + HERO_WAIT)),
            open=Count("pk", filter=Q(next_at__isnull=True)),
        )
        .filter(Q(late__gt=0) | Q(open__gt=0))
        .order_by()
    )
    return [
        _figure(
            organisation,
            FigureKind.WAITS,
            row,
            person_id=row["operator"],
            count=row["late"],
            running=row["open"],
        )
        for row in grouped
    ]


def _incidents(organisation, calls):
    grouped = (
        calls.filter(call_type=INCIDENT)
        .exclude(category="")
        .annotate(day=TruncDate("registered_at"))
        .values("day", "category", svc=F("service_id"))
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [
        _figure(organisation, FigureKind.INCIDENTS, row, label=row["category"], count=row["n"])
        for row in grouped
    ]


_BUILDERS = (
    _calls,
    _clocks,
    _breached_calls,
    _watermelons,
    _returns,
    _escalations,
    _exceptions,
    _steps,
    _waits,
    _incidents,
)
