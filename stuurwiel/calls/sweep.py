"""The minute's clock sweep (:mod:`stuurwiel.calls.clocks` states the model):
recompute the calls whose clocks a transition made stale, then, per calendar in
use, touch only the ticking clocks whose 75 % or 100 % due position the
calendar's position now has passed.

Cost
    One position per calendar in use; per calendar two range reads through the
    partial indexes ``clock_due_75`` and ``clock_due_100`` and, when some clocks
    fell due, a few UPDATEs by id (their use, the warning moments, the breach).
    The number of open calls does not enter: a clock that ticks on between its
    due positions is neither read nor written (its use is read on demand,
    :func:`~stuurwiel.calls.clocks.used_now`). ``full=True`` recomputes every open
    call from its history instead, for a repair or after a calendar was edited.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q

from stuurwiel.calls.choices import CallStatus, ClockState
from stuurwiel.calls.clocks import Context, clock_recompute, position
from stuurwiel.calls.models import Call, ClockResult
from stuurwiel.core import clock


@dataclass(frozen=True)
class SweepReport:
    ticking: int  # the ticking clocks touched: they passed a due position (use written)
    recomputed_calls: int
    warned_75: list[int]
    warned_100: list[int]
    breached: int


def _open_calls() -> Q:
    return ~Q(status=CallStatus.CLOSED)


#: Ticking clocks not yet warned at 75 % / not yet breached: the partial indexes'
#: conditions (``clock_due_75``, ``clock_due_100``), repeated so the reads use them.
DUE_75 = Q(due_75_position__isnull=False, warned_75_at__isnull=True)
DUE_100 = Q(due_100_position__isnull=False, state=ClockState.RUNNING)
CHUNK = 500  # ids per UPDATE (SQLite's limit on parameters)


def _due_calendars() -> set[int | None]:
    """The calendars of the clocks that may still fall due (a handful)."""
    found: set[int | None] = set()
    for condition in (DUE_75, DUE_100):
        rows = ClockResult.objects.filter(condition).order_by().values_list("calendar_id")
        found |= {pk for (pk,) in rows.distinct()}
    return found


@dataclass
class _Swept:
    touched: int = 0
    warned_75: list[int] = field(default_factory=list)
    warned_100: list[int] = field(default_factory=list)
    breached: int = 0


def _sweep_calendar(calendar_id: int | None, here: int, now: datetime, swept: _Swept) -> None:
    """The clocks of one calendar that passed a due position at ``here``: their use
    and computed moment written, the 75 % / 100 % moments set once, the breach
    (use past the norm: strictly past its due position). Ids read through the
    partial indexes, then set-based UPDATEs by id."""
    on = ClockResult.objects.filter(calendar_id=calendar_id).order_by()
    due_75 = list(on.filter(DUE_75, due_75_position__lte=here).values_list("pk", flat=True))
    due_100 = list(
        on.filter(DUE_100, due_100_position__lte=here).values_list("pk", "warned_100_at")
    )
    ids_100 = [pk for pk, _at in due_100]
    touched = sorted(set(due_75) | set(ids_100))
    used = F("ticking_offset") + here
    for first in range(0, len(touched), CHUNK):
        ClockResult.objects.filter(pk__in=touched[first : first + CHUNK]).update(
            used_seconds=used, used_minutes=used / 60, computed_at=now
        )
    for first in range(0, len(due_75), CHUNK):
        ClockResult.objects.filter(pk__in=due_75[first : first + CHUNK]).update(warned_75_at=now)
    for first in range(0, len(ids_100), CHUNK):
        chunk = ClockResult.objects.filter(pk__in=ids_100[first : first + CHUNK])
        chunk.filter(warned_100_at__isnull=True).update(warned_100_at=now)
        swept.breached += chunk.filter(due_100_position__lt=here, state=ClockState.RUNNING).update(
            state=ClockState.BREACHED
        )
    swept.touched += len(touched)
    swept.warned_75 += due_75
    swept.warned_100 += [pk for pk, at in due_100 if at is None]


def _warned_by_recompute(call_ids: list[int], now: datetime) -> tuple[list[int], list[int]]:
    """The results the recompute of these calls warned at ``now`` (75 %, 100 %)."""
    warned_75: list[int] = []
    warned_100: list[int] = []
    for first in range(0, len(call_ids), CHUNK):
        rows = ClockResult.objects.filter(
            Q(warned_75_at=now) | Q(warned_100_at=now), call_id__in=call_ids[first : first + CHUNK]
        ).values_list("pk", "warned_75_at", "warned_100_at")
        for pk, at_75, at_100 in rows:
            if at_75 == now:
                warned_75.append(pk)
            if at_100 == now:
                warned_100.append(pk)
    return warned_75, warned_100


@transaction.atomic
def clock_sweep(now: datetime | None = None, *, full: bool = False) -> SweepReport:
    """Bring the open calls' clocks up to ``now`` where it matters and give the
    75 % and 100 % warnings (the ids of the results warned now, for the
    notifications).

    Calls whose clocks a transition made stale, and open calls with a priority and
    an SA but no clocks yet (with ``full``: every open call, for a repair or after
    a calendar was edited) are recomputed in full; of the other ticking clocks only
    those that reached 75 % or 100 % of their norm since the last sweep are
    touched (see the module's docstring)."""
    now = now or clock.now()
    ctx = Context()
    calls = Call.objects.filter(_open_calls())
    if not full:
        missing = calls.filter(priority__isnull=False, sa_version__isnull=False).exclude(
            Exists(ClockResult.objects.filter(call=OuterRef("pk")))
        )
        # Stale: a transition changed them (closed ones too: their clocks stop now).
        calls = Call.objects.filter(clocks_stale=True) | missing
    call_ids = list(calls.order_by("pk").distinct().values_list("pk", flat=True))
    if call_ids:
        clock_recompute(call_ids, now=now, ctx=ctx)
    swept = _Swept()
    if call_ids:
        swept.warned_75, swept.warned_100 = _warned_by_recompute(call_ids, now)
    calendar_ids = _due_calendars()
    ctx._load_calendars(calendar_ids)
    for calendar_id in sorted(calendar_ids, key=lambda pk: pk or 0):
        _sweep_calendar(calendar_id, position(ctx.calendar(calendar_id), now), now, swept)
    return SweepReport(
        ticking=swept.touched,
        recomputed_calls=len(call_ids),
        warned_75=sorted(set(swept.warned_75)),
        warned_100=sorted(set(swept.warned_100)),
        breached=swept.breached,
    )
