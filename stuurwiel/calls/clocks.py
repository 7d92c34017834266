"""The clocks of a call: the chain's SA clock and each link's OLA/UC clock,
measured in business time against the norms of the agreements, stored per
call × link × norm (:class:`~stuurwiel.calls.models.ClockResult`).

The model
    The chain (SA) clock runs from registration until the customer confirms the
    service is back (``call.confirmed_at``, the engine's "confirm"; a call
    closed without a confirmation stops at its closure), on the calendar of the
    SA version pinned at registration (else the service's calendar). A link's
    OLA or UC clock runs over the link's own segments (hand-over to hand-back,
    :class:`~stuurwiel.calls.models.LinkSegment`; a link that gets the call
    back adds the new stretch to its share), on the calendar of the version of
    that link's agreement that was in force when its first segment opened (the
    result pins it). Every clock stands still during the call's pauses
    (:class:`~stuurwiel.calls.models.ClockPause`).

    Norms: the agreement version's :class:`~stuurwiel.agreements.models.Norm`
    for the call's priority; resolution runs as above. Response stops at the
    first step the clock's party completes on the call: for the chain the intake
    (aannemen: the call is taken in), for a link its first completed step in
    its share. A public reply is not a response; taking the call in is.

    A clock is breached once it has used more than its norm, met when it stopped
    within it, running otherwise. The 75 % and 100 % warnings are the moments
    the use first reached 75 % and 100 % of the norm was seen (by a service
    write or by the sweep).

How the sweep stays cheap
    ``position(calendar, t)`` is the business seconds from a fixed origin to t,
    so a duration is a difference of positions. A ticking clock stores
    ``ticking_offset = used - position(start of its running stretch)``; its use
    now is ``ticking_offset + position(now)``, computed on read
    (:func:`used_now`), never written every minute. It also stores the two
    positions at which that use reaches 75 % and 100 % of the norm
    (``due_75_position``, ``due_100_position``), fixed while it ticks. The sweep
    (:mod:`stuurwiel.calls.sweep`) computes ``position(calendar, now)`` once per
    calendar in use and touches only the clocks whose due position it passed (two
    partial-index range reads and a few UPDATEs per calendar, whatever the number
    of open calls): their use, the warning moments and the breach. Stored use is
    exact for stopped clocks (met, breached and closed), so reports on finished
    calls stay queries.
    A hand-over, pause or resume recomputes the call's clocks at once (a pause
    empties the due positions, a resume sets new ones); a registration or
    transition only marks the call ``clocks_stale`` (no extra statement: it rides
    on the call's own save, so a transition keeps its statement budget) and the
    next sweep recomputes it, within the minute.

Limits
    Clocks are not change-logged: they are derived data, recomputable from the
    call's recorded history (events, segments, pauses). A calendar edited while
    clocks tick is applied from the next full recompute (``clock_sweep(full=True)``,
    ``stuurwiel manage clock_sweep --full``). Without a calendar anywhere a clock
    counts every hour. A call without a priority, or a priority without a norm,
    has no clock for it. Instants are measured in whole seconds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.db import transaction
from django.db.models import Min, Q
from django.utils.translation import gettext as _

from stuurwiel.calendars.businesstime import Calendar, business_duration
from stuurwiel.calls.choices import CallStatus, ClockState, EventKind, NormKind
from stuurwiel.calls.events import event_build
from stuurwiel.calls.models import Call, CallEvent, ClockPause, ClockResult, LinkSegment
from stuurwiel.core import clock

ORIGIN = datetime(2000, 1, 1, tzinfo=UTC)
#: Where no calendar is given: every hour counts.
ALWAYS = Calendar({day: [("00:00", "24:00")] for day in range(1, 8)}, time_zone="UTC")
BATCH = 2000

Span = tuple[datetime, datetime | None]


def position(calendar: Calendar, instant: datetime) -> int:
    """Business seconds from :data:`ORIGIN` to ``instant`` (negative before it)."""
    if instant >= ORIGIN:
        return int(business_duration(calendar, ORIGIN, instant).total_seconds())
    return -int(business_duration(calendar, instant, ORIGIN).total_seconds())


def without_pauses(start: datetime, end: datetime | None, pauses: Sequence[Span]) -> list[Span]:
    """``[start, end)`` minus the pauses (sorted, disjoint); an open end stays open."""
    pieces: list[Span] = []
    cursor = start
    for pause_start, pause_end in pauses:
        if end is not None and pause_start >= end:
            break
        if pause_end is not None and pause_end <= cursor:
            continue
        if pause_start > cursor:
            pieces.append((cursor, pause_start))
        if pause_end is None:
            return pieces
        cursor = max(cursor, pause_end)
    if end is None or cursor < end:
        pieces.append((cursor, end))
    return pieces


@dataclass(frozen=True)
class Measure:
    """Business seconds used, and the offset that keeps it current while it ticks."""

    used: int
    ticking_offset: int | None


def measure(
    calendar: Calendar,
    spans: Iterable[Span],
    pauses: Sequence[Span],
    *,
    now: datetime,
    until: datetime | None = None,
    positions: dict | None = None,
) -> Measure:
    """The business time of ``spans`` (an open end: still running) minus the
    pauses, cut off at ``until`` when the clock stopped there. ``positions``
    remembers positions across calls (one call's clocks share their instants)."""
    if positions is None:
        positions = {}

    def at(instant: datetime) -> int:
        key = (id(calendar), instant)
        found = positions.get(key)
        if found is None:
            found = positions[key] = position(calendar, instant)
        return found

    used = 0
    open_start = None
    for start, end in spans:
        if until is not None:
            end = until if end is None else min(end, until)
        for piece_start, piece_end in without_pauses(start, end, pauses):
            if piece_end is None:
                open_start = piece_start
            elif min(piece_end, now) > piece_start:  # nothing counts beyond now
                used += at(min(piece_end, now)) - at(piece_start)
    if open_start is None:
        return Measure(used, None)
    offset = used - at(open_start)
    return Measure(offset + at(max(now, open_start)), offset)


# --- What a batch of calls needs --------------------------------------------------------


@dataclass
class _Version:
    pk: int
    calendar_id: int | None
    activated_at: datetime | None
    superseded_at: datetime | None
    norms: dict[int, tuple[int, int]] = field(default_factory=dict)  # priority: (resp, resol)

    def in_force_at(self, moment: datetime) -> bool:
        return (self.activated_at is None or self.activated_at <= moment) and (
            self.superseded_at is None or self.superseded_at > moment
        )


class Context:
    """Calendars and agreement versions, loaded once per batch of calls."""

    def __init__(self) -> None:
        self.calendars: dict[int | None, Calendar] = {None: ALWAYS}
        self.versions: dict[int, _Version] = {}
        self.link_versions: dict[int, list[_Version]] = {}  # link: its agreement's versions
        self.positions: dict[tuple[int, datetime], int] = {}

    def calendar(self, pk: int | None) -> Calendar:
        return self.calendars[pk]

    def load(self, calls: Sequence[Call], link_ids: set[int]) -> None:
        from stuurwiel.agreements.choices import AgreementKind, VersionStatus
        from stuurwiel.agreements.models import AgreementVersion, Norm

        wanted = Q(pk__in={c.sa_version_id for c in calls if c.sa_version_id}) | Q(
            agreement__link_id__in=link_ids,
            agreement__kind__in=(AgreementKind.OLA, AgreementKind.UC),
            status__in=(VersionStatus.ACTIVE, VersionStatus.SUPERSEDED),
        )
        fresh = AgreementVersion.objects.filter(wanted).exclude(pk__in=self.versions)
        for row in fresh.values(
            "pk", "calendar_id", "activated_at", "superseded_at", "agreement__link_id", "status"
        ):
            version = _Version(
                row["pk"], row["calendar_id"], row["activated_at"], row["superseded_at"]
            )
            self.versions[version.pk] = version
            if row["agreement__link_id"]:
                self.link_versions.setdefault(row["agreement__link_id"], []).append(version)
        without = [v.pk for v in self.versions.values() if not v.norms]
        for norm in Norm.objects.filter(agreement_version_id__in=without).values_list(
            "agreement_version_id", "priority", "response_minutes", "resolution_minutes"
        ):
            self.versions[norm[0]].norms[norm[1]] = (norm[2], norm[3])
        calendar_ids = {v.calendar_id for v in self.versions.values()}
        calendar_ids |= {c.service.calendar_id for c in calls}
        self._load_calendars(calendar_ids)

    def _load_calendars(self, ids: Iterable[int | None]) -> None:
        from stuurwiel.calendars.selectors import calendar_queryset

        missing = {pk for pk in ids if pk not in self.calendars}
        for row in calendar_queryset().filter(pk__in=missing):
            self.calendars[row.pk] = row.as_business_time()

    def link_version(self, link_id: int, opened: datetime, pinned: int | None) -> _Version | None:
        """The pinned version, else the one in force when the link's share opened."""
        versions = self.link_versions.get(link_id, [])
        if pinned is not None:
            found = self.versions.get(pinned)
            if found is not None:
                return found
        return next((v for v in versions if v.in_force_at(opened)), None) or next(
            (v for v in versions if v.superseded_at is None), None
        )


@dataclass
class _Facts:
    segments: dict[int, list[LinkSegment]]
    pauses: dict[int, list[Span]]
    responses: dict[tuple[int, int | None], datetime]  # (call, link or None): first step done
    existing: dict[tuple[int, int | None, str], ClockResult]


def _facts(call_ids: list[int]) -> _Facts:
    segments: dict[int, list[LinkSegment]] = defaultdict(list)
    for segment in LinkSegment.objects.filter(call_id__in=call_ids).order_by("started_at", "id"):
        segments[segment.call_id].append(segment)
    pauses: dict[int, list[Span]] = defaultdict(list)
    for call_id, start, end in (
        ClockPause.objects.filter(call_id__in=call_ids)
        .order_by("started_at", "id")
        .values_list("call_id", "started_at", "ended_at")
    ):
        pauses[call_id].append((start, end))
    responses: dict[tuple[int, int | None], datetime] = {}
    firsts = (
        CallEvent.objects.filter(call_id__in=call_ids, kind=EventKind.STEP_COMPLETED)
        .order_by()
        .values("call_id", "link_id")
        .annotate(first=Min("at"))
    )
    for row in firsts:
        responses[(row["call_id"], row["link_id"])] = row["first"]
        chain = responses.get((row["call_id"], None))
        if chain is None or row["first"] < chain:
            responses[(row["call_id"], None)] = row["first"]
    existing = {
        (r.call_id, r.link_id, r.norm_kind): r
        for r in ClockResult.objects.filter(call_id__in=call_ids)
    }
    return _Facts(segments, pauses, responses, existing)


# --- Computing and storing -----------------------------------------------------------


def _result(
    call: Call,
    link_id: int | None,
    kind: str,
    version: _Version,
    calendar_id: int | None,
    measured: Measure,
    stopped_at: datetime | None,
    facts: _Facts,
    now: datetime,
) -> ClockResult:
    result = facts.existing.get((call.pk, link_id, kind)) or ClockResult(
        organisation_id=call.organisation_id, call_id=call.pk, link_id=link_id, norm_kind=kind
    )
    # The callers looked the priority up in the version's norms already.
    response, resolution = version.norms[call.priority or 0]
    norm = response if kind == NormKind.RESPONSE else resolution
    result.agreement_version_id = version.pk
    result.calendar_id = calendar_id
    result.norm_minutes = norm
    result.used_seconds = measured.used
    result.used_minutes = measured.used // 60
    result.stopped_at = stopped_at
    result.ticking_offset = None if stopped_at else measured.ticking_offset
    if result.ticking_offset is None:
        result.due_75_position = result.due_100_position = None
    else:  # use = offset + position: 75 % of the norm at 45 s a minute, 100 % at 60
        result.due_75_position = norm * 45 - result.ticking_offset
        result.due_100_position = norm * 60 - result.ticking_offset
    if measured.used > norm * 60:
        result.state = ClockState.BREACHED
    else:
        result.state = ClockState.MET if stopped_at else ClockState.RUNNING
    if result.warned_75_at is None and measured.used * 4 >= norm * 60 * 3:
        result.warned_75_at = now
    if result.warned_100_at is None and measured.used >= norm * 60:
        result.warned_100_at = now
    result.computed_at = now
    return result


def _chain_results(call: Call, ctx: Context, facts: _Facts, now: datetime) -> list[ClockResult]:
    version = ctx.versions.get(call.sa_version_id) if call.sa_version_id else None
    if version is None or call.priority not in version.norms:
        return []
    calendar_id = version.calendar_id or call.service.calendar_id
    calendar = ctx.calendar(calendar_id)
    pauses = facts.pauses.get(call.pk, [])
    spans = [(call.registered_at, None)]
    results = []
    stops = {
        NormKind.RESPONSE: facts.responses.get((call.pk, None)),
        NormKind.RESOLUTION: call.confirmed_at or call.closed_at,
    }
    for kind, stop in stops.items():
        measured = measure(calendar, spans, pauses, now=now, until=stop, positions=ctx.positions)
        results.append(_result(call, None, kind, version, calendar_id, measured, stop, facts, now))
    return results


def _link_results(call: Call, ctx: Context, facts: _Facts, now: datetime) -> list[ClockResult]:
    by_link: dict[int, list[LinkSegment]] = defaultdict(list)
    for segment in facts.segments.get(call.pk, []):
        by_link[segment.link_id].append(segment)
    pauses = facts.pauses.get(call.pk, [])
    results = []
    for link_id, segments in by_link.items():
        pinned = facts.existing.get((call.pk, link_id, NormKind.RESOLUTION))
        version = ctx.link_version(
            link_id, segments[0].started_at, pinned.agreement_version_id if pinned else None
        )
        if version is None or call.priority not in version.norms:
            continue
        calendar_id = version.calendar_id or call.service.calendar_id
        calendar = ctx.calendar(calendar_id)
        spans = [(s.started_at, s.ended_at) for s in segments]
        holds = any(s.ended_at is None for s in segments)
        response = facts.responses.get((call.pk, link_id))
        handed_back = None if holds else max(s.ended_at for s in segments if s.ended_at)
        stops = {NormKind.RESPONSE: response, NormKind.RESOLUTION: handed_back}
        if response is None and not holds:
            stops[NormKind.RESPONSE] = handed_back  # handed back without completing a step
        for kind, stop in stops.items():
            measured = measure(
                calendar, spans, pauses, now=now, until=stop, positions=ctx.positions
            )
            results.append(
                _result(call, link_id, kind, version, calendar_id, measured, stop, facts, now)
            )
    return results


FIELDS = [
    "agreement_version",
    "calendar",
    "norm_minutes",
    "used_seconds",
    "used_minutes",
    "ticking_offset",
    "due_75_position",
    "due_100_position",
    "state",
    "stopped_at",
    "warned_75_at",
    "warned_100_at",
    "computed_at",
]


def _calls(call_ids: Sequence[int]) -> list[Call]:
    return list(
        Call.objects.filter(pk__in=call_ids)
        .select_related("service")
        .only(
            "organisation_id",
            "priority",
            "sa_version_id",
            "registered_at",
            "confirmed_at",
            "closed_at",
            "status",
            "service__calendar_id",
        )
    )


def clock_recompute(call_ids: Sequence[int], *, now: datetime | None = None, ctx=None) -> int:
    """Recompute and store every clock of these calls; the number of results."""
    now = now or clock.now()
    ctx = ctx or Context()
    stored = 0
    for first in range(0, len(call_ids), BATCH):
        batch = list(call_ids[first : first + BATCH])
        ctx.positions.clear()  # a batch's calls share instants; the next batch's rarely
        calls = _calls(batch)
        facts = _facts(batch)
        ctx.load(calls, {s.link_id for rows in facts.segments.values() for s in rows})
        results = []
        for call in calls:
            results += _chain_results(call, ctx, facts, now)
            results += _link_results(call, ctx, facts, now)
        kept = {(r.call_id, r.link_id, r.norm_kind) for r in results}
        stale = [r.pk for key, r in facts.existing.items() if key not in kept]
        with transaction.atomic():
            if stale:
                ClockResult.objects.filter(pk__in=stale).delete()
            ClockResult.objects.bulk_update([r for r in results if r.pk], FIELDS, batch_size=500)
            ClockResult.objects.bulk_create([r for r in results if not r.pk], batch_size=500)
            Call.objects.filter(pk__in=batch, clocks_stale=True).update(clocks_stale=False)
        stored += len(results)
    return stored


def clock_update(call: Call, *, now: datetime | None = None) -> None:
    """After a write on the call: recompute its clocks (the services call this)."""
    clock_recompute([call.pk], now=now)


# --- Pauses ----------------------------------------------------------------------------


def open_pause(call: Call) -> ClockPause | None:
    return ClockPause.objects.filter(call=call, ended_at__isnull=True).first()


def pause_end(pause: ClockPause, *, by, name: str, at: datetime) -> None:
    pause.ended_at = max(at, pause.started_at)
    pause.ended_by = by if getattr(by, "is_authenticated", False) else None
    pause.ended_by_name = name
    pause.save(update_fields=["ended_at", "ended_by", "ended_by_name"])


def end_pause_at_closure(call: Call, rows: list[CallEvent], *, by, name: str, now) -> None:
    """A call closed while paused: its pause ends at the closure, with an event
    (called by ``call_transition`` before the events are stored)."""
    if call.status != CallStatus.CLOSED:
        return
    pause = open_pause(call)
    if pause is None:
        return
    pause_end(pause, by=by, name=name, at=now)
    rows.append(
        event_build(
            call,
            EventKind.CLOCK_RESUMED,
            by=pause.ended_by,
            now=now,
            name=name,
            link=call.current_link,
            text=_("The pause ended because the call was closed."),
            data={"reason_kind": pause.reason_kind, "closed": True},
        )
    )


# --- Reading a ticking clock -------------------------------------------------------------


def _calendars_of(results: Sequence[ClockResult]) -> dict[int | None, Calendar]:
    """The business-time calendars of these results: two queries (service windows,
    closed days) for all of them, none when no result has a calendar. A calendar
    the reader selected with the results (``select_related("calendar")``) gives
    its time zone without a query; otherwise one more query reads it."""
    from django.db.models import Prefetch, prefetch_related_objects

    from stuurwiel.calendars.models import BusinessCalendar, ClosedDay, ServiceWindow

    found: dict[int | None, Calendar] = {None: ALWAYS}
    rows: dict[int, BusinessCalendar] = {}
    for result in results:
        cached = result.calendar_id is not None and ClockResult.calendar.is_cached(result)
        if cached and result.calendar_id not in rows:
            rows[result.calendar_id] = result.calendar
    missing = {r.calendar_id for r in results if r.calendar_id is not None} - set(rows)
    if missing:
        rows.update((c.pk, c) for c in BusinessCalendar.objects.filter(pk__in=missing))
    if rows:
        prefetch_related_objects(
            list(rows.values()),
            Prefetch("windows", queryset=ServiceWindow.objects.order_by("weekday", "start_minute")),
            Prefetch("closed_days", queryset=ClosedDay.objects.order_by("date")),
        )
    found.update((pk, row.as_business_time()) for pk, row in rows.items())
    return found


def used_now(results: Iterable[ClockResult], now: datetime | None = None) -> list[ClockResult]:
    """Bring the use of the ticking results among ``results`` up to ``now`` in
    memory (``used_seconds``, ``used_minutes`` and a breach the sweep has not
    recorded yet), for every page, API and event that shows used time or a
    percentage. One position per calendar; stopped results are left as stored.
    Returns the results (a list), so a reader can write ``used_now(qs)``."""
    results = list(results)
    ticking = [r for r in results if r.ticking_offset is not None]
    if not ticking:
        return results
    now = now or clock.now()
    calendars = _calendars_of(ticking)
    here: dict[int | None, int] = {}
    for result in ticking:
        if result.calendar_id not in here:
            here[result.calendar_id] = position(calendars[result.calendar_id], now)
        used = result.ticking_offset + here[result.calendar_id]
        result.used_seconds, result.used_minutes = used, used // 60
        if result.state == ClockState.RUNNING and used > result.norm_minutes * 60:
            result.state = ClockState.BREACHED
    return results
