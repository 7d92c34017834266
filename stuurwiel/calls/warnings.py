"""The 75 % and 100 % warnings of the clocks, recorded on their calls.

The clocks (:mod:`stuurwiel.calls.clocks`) store the moment a result first used
75 % and 100 % of its norm (``warned_75_at`` / ``warned_100_at``), in a sweep or
in a service write such as a hand-over. :func:`clock_warnings_record` turns each
such moment into one call event, :attr:`EventKind.CLOCK_WARNING` (75 %) or
:attr:`EventKind.CLOCK_BREACHED` (100 %), with the norm kind, the link (or the
chain), the minutes used and the norm; the outbound consumers (e-mail) take it
from there. It runs after every sweep (the job runner's minute job).

Exactly once per result and threshold: a result's events name it (``data.result``),
and the results about to be warned are locked while the existing events are read,
so a second run (or a second worker) finds them and records nothing again. It looks
back :data:`LOOKBACK` for warnings given by service writes between two sweeps;
older warnings (a history built in the past, as the demo does) are not reported.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import BigIntegerField, Exists, OuterRef, Q
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from stuurwiel.calls.choices import EventKind
from stuurwiel.calls.clocks import used_now
from stuurwiel.calls.events import event_build, events_record
from stuurwiel.calls.models import Call, CallEvent, ClockResult
from stuurwiel.calls.sweep import SweepReport, clock_sweep
from stuurwiel.core import clock
from stuurwiel.core.gathered import gathered

LOOKBACK = timedelta(hours=1)
GATHER = 100  # calls whose outbox rows go out in one statement (PostgreSQL)
THRESHOLDS = (
    (75, "warned_75_at", EventKind.CLOCK_WARNING),
    (100, "warned_100_at", EventKind.CLOCK_BREACHED),
)


@dataclass(frozen=True)
class WarningsReport:
    warned_75: int
    warned_100: int


def _text(result: ClockResult, threshold: int) -> str:
    party = str(result.link) if result.link_id else _("the chain")
    values = {
        "norm": result.get_norm_kind_display(),
        "party": party,
        "used": result.used_minutes,
        "minutes": result.norm_minutes,
    }
    if threshold == 75:
        return _("{norm} norm of {party}: {used} of {minutes} business minutes used.").format(
            **values
        )
    return _("{norm} norm of {party} exceeded: {used} of {minutes} business minutes used.").format(
        **values
    )


def _event(call: Call, result: ClockResult, threshold: int, kind: str, now: datetime):
    return event_build(
        call,
        kind,
        by=None,
        now=now,
        name=_("clock"),
        link=result.link,
        text=_text(result, threshold),
        data={
            "result": result.pk,
            "threshold": threshold,
            "norm_kind": result.norm_kind,
            "link": result.link_id,
            "chain": result.link_id is None,
            "used_minutes": result.used_minutes,
            "norm_minutes": result.norm_minutes,
        },
    )


@transaction.atomic
def clock_warnings_record(
    *, report: SweepReport | None = None, now: datetime | None = None
) -> WarningsReport:
    """Record a warning event for every result warned since :data:`LOOKBACK`
    (and every one the sweep ``report`` names) that has none yet."""
    now = now or clock.now()
    since = now - LOOKBACK
    named: set[int] = set(report.warned_75 + report.warned_100) if report else set()
    # Only the clocks still lacking an event are loaded: in a steady state the
    # hour's warned clocks all have theirs, and reading them and their calls'
    # events every minute was the cost of the whole minute job at scale.
    candidates = (
        ClockResult.objects.select_for_update(of=("self",))
        .filter(Q(pk__in=named) | Q(warned_75_at__gte=since) | Q(warned_100_at__gte=since))
        .alias(
            warning_given=_given(EventKind.CLOCK_WARNING),
            breach_given=_given(EventKind.CLOCK_BREACHED),
        )
        .filter(
            Q(warned_75_at__isnull=False, warned_100_at__isnull=True, warning_given=False)
            | Q(warned_100_at__isnull=False, breach_given=False)
        )
        .select_related(
            "link__team",
            "link__supplier",
            "call__organisation",
            "call__current_link__team",
            "calendar",
        )
        .order_by("call_id", "pk")
    )
    results = used_now(candidates, now)  # the events tell the use now of a ticking clock
    if not results:
        return WarningsReport(0, 0)
    done = _recorded({r.call_id for r in results})
    per_call: dict[int, list[CallEvent]] = defaultdict(list)
    calls: dict[int, Call] = {}
    counts = {75: 0, 100: 0}
    for result in results:
        for threshold, field, kind in THRESHOLDS:
            if getattr(result, field) is None or (result.pk, kind) in done:
                continue
            if threshold == 75 and result.warned_100_at is not None:
                # Past the whole norm (in one go, or before this 75 % was told):
                # the breach says it, never a late "nearly used" after it.
                continue
            calls[result.call_id] = result.call
            per_call[result.call_id].append(_event(result.call, result, threshold, kind, now))
            counts[threshold] += 1
    # Per call its events (one statement); their outbox rows gathered per GATHER
    # calls into one statement on PostgreSQL (a catch-up after a full recompute
    # warns thousands of calls at once).
    call_ids = list(per_call)
    for first in range(0, len(call_ids), GATHER):
        with gathered():
            for call_id in call_ids[first : first + GATHER]:
                events_record(calls[call_id], per_call[call_id])
    return WarningsReport(counts[75], counts[100])


def _given(kind: str) -> Exists:
    """Whether the clock (the outer row) has its warning event of ``kind``: the
    events name their clock in ``data["result"]``, read as a number on both
    databases (a JSON number does not compare with a column on PostgreSQL)."""
    return Exists(
        CallEvent.objects.filter(call_id=OuterRef("call_id"), kind=kind)
        .annotate(result_id=Cast(KeyTextTransform("result", "data"), BigIntegerField()))
        .filter(result_id=OuterRef("pk"))
    )


def _recorded(call_ids: Iterable[int]) -> set[tuple[int, str]]:
    """(result, kind) of the warning events these calls have already."""
    rows = CallEvent.objects.filter(
        call_id__in=call_ids, kind__in=(EventKind.CLOCK_WARNING, EventKind.CLOCK_BREACHED)
    ).values_list("kind", "data")
    return {(data.get("result"), kind) for kind, data in rows if isinstance(data, dict)}


def clock_sweep_and_warn(
    *, now: datetime | None = None, full: bool = False
) -> tuple[SweepReport, WarningsReport]:
    """The minute job: the sweep, then its warnings as call events."""
    now = now or clock.now()
    report = clock_sweep(now, full=full)
    return report, clock_warnings_record(report=report, now=now)
