"""The sweep by due positions: a ticking clock's use is read, not written every
minute, and reads what a full recompute stores; the sweep touches only the clocks
that reached 75 % or 100 % of their norm; each warning is given once; a pause
and a resume move the due positions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stuurwiel.agreements.models import AgreementVersion, Norm
from stuurwiel.calendars.models import BusinessCalendar
from stuurwiel.calls import clocks, pauses, sweep
from stuurwiel.calls.choices import ClockState, EventKind, NormKind, PauseReason
from stuurwiel.calls.models import CallEvent, ClockResult
from stuurwiel.calls.tests.test_clocks import (
    MONDAY_9,
    Clock,
    hand_over,
    link_agreements,
    office,
    register,
    results,
)
from stuurwiel.calls.warnings import clock_sweep_and_warn

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    found = Clock(MONDAY_9)
    monkeypatch.setattr(timezone, "now", lambda: found.now)
    return found


def stored(call) -> dict[int, tuple[int, str]]:
    return {r.pk: (r.used_seconds, r.state) for r in ClockResult.objects.filter(call=call)}


def sa_norms(world, *, response: int, resolution: int) -> None:
    Norm.objects.filter(agreement_version=world.sa_version).update(
        response_minutes=response, resolution_minutes=resolution
    )


def read(call) -> dict[int, tuple[int, str]]:
    return {r.pk: (r.used_seconds, r.state) for r in results(call).values()}


# --- Reading equals recomputing ------------------------------------------------------

#: Steps between reads: (minutes to wait, what to do then).
STEPS = st.lists(
    st.tuples(st.integers(1, 900), st.sampled_from(["pause", "resume", "hand_over", "sweep"])),
    max_size=6,
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    calendar=st.sampled_from(["world", "office", "always"]),
    steps=STEPS,
    wait=st.integers(0, 3000),
)
def test_a_ticking_clock_read_mid_period_equals_a_full_recompute(
    world, clock, calendar, steps, wait
):
    offices = BusinessCalendar.objects.filter(name="Kantoortijden")
    calendars = {"world": world.calendar, "office": offices.first() or office(world)}
    AgreementVersion.objects.filter(pk=world.sa_version.pk).update(calendar=calendars.get(calendar))
    if not AgreementVersion.objects.filter(agreement__link__isnull=False).exists():
        link_agreements(world)
    clock.advance(days=3)
    call = register(world)
    sweep.clock_sweep()
    for minutes, action in steps:
        clock.advance(minutes=minutes)
        paused = clocks.open_pause(call) is not None
        if action == "pause" and not paused:
            call = pauses.call_pause(
                call=call,
                by=world.coordinator,
                version=call.version,
                reason_kind=PauseReason.PLANNED,
            )
        elif action == "resume" and paused:
            call = pauses.call_resume(call=call, by=world.coordinator, version=call.version)
        elif action == "hand_over":
            to = world.links.specialists
            if call.current_link_id == to.pk:
                to = world.links.front
            call = hand_over(world, call, to, clock, 0)
        elif action == "sweep":
            sweep.clock_sweep()
    clock.advance(minutes=wait)
    seen = read(call)
    clocks.clock_recompute([call.pk], now=clock.now)
    assert seen == stored(call)
    assert seen  # the call has clocks: the test compares something


# --- The sweep touches only the due clocks -------------------------------------------


def _updates(captured) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if q["sql"].startswith("UPDATE")]


def test_the_sweep_touches_only_the_clocks_that_fell_due(world, clock):
    sa_norms(world, response=1000, resolution=100)
    first = register(world)
    clock.advance(minutes=40)
    later = [register(world) for _ in range(5)]
    sweep.clock_sweep(full=True)
    before = {r.pk: r.computed_at for r in ClockResult.objects.all()}
    clock.advance(minutes=36)  # the first call used 76 of 100 minutes; the others 36
    with CaptureQueriesContext(connection) as captured:
        report = sweep.clock_sweep()
    chain = ClockResult.objects.get(call=first, link=None, norm_kind=NormKind.RESOLUTION)
    assert report.ticking == 1 and report.warned_75 == [chain.pk]
    assert chain.warned_75_at == clock.now and chain.used_seconds == 76 * 60
    assert chain.computed_at == clock.now
    untouched = ClockResult.objects.exclude(pk=chain.pk)
    assert {r.pk: r.computed_at for r in untouched} == {
        pk: at for pk, at in before.items() if pk != chain.pk
    }
    # Their use is read, and right, without being written.
    assert all(used == 36 * 60 for call in later for used, _state in read(call).values())
    assert len(_updates(captured)) == 2  # the use of the due clock, its 75 % moment


def test_the_sweep_costs_the_same_for_few_and_many_open_calls(world, clock):
    def statements() -> int:
        clock.advance(minutes=1)
        with CaptureQueriesContext(connection) as captured:
            sweep.clock_sweep()
        return len(captured)

    register(world)
    sweep.clock_sweep()
    few = statements()
    for _ in range(12):
        register(world)
    sweep.clock_sweep()
    assert statements() == few


def test_a_full_sweep_still_recomputes_every_open_call(world, clock):
    calls = [register(world) for _ in range(3)]
    sweep.clock_sweep()
    clock.advance(minutes=30)
    report = sweep.clock_sweep(full=True)
    assert report.recomputed_calls == 3
    assert all(used == 30 * 60 for call in calls for used, _s in stored(call).values())


# --- Warnings once at 75 % and once at 100 % ----------------------------------------


def test_minute_by_minute_each_warning_is_given_once(world, clock):
    sa_norms(world, response=1000, resolution=20)
    call = register(world)
    sweep.clock_sweep()
    for _minute in range(23):
        clock.advance(minutes=1)
        clock_sweep_and_warn()
    chain = ClockResult.objects.get(call=call, link=None, norm_kind=NormKind.RESOLUTION)
    events = CallEvent.objects.filter(
        call=call,
        kind__in=(EventKind.CLOCK_WARNING, EventKind.CLOCK_BREACHED),
        data__result=chain.pk,
    ).order_by("id")
    assert [(e.kind, e.data["used_minutes"]) for e in events] == [
        (EventKind.CLOCK_WARNING, 15),
        (EventKind.CLOCK_BREACHED, 20),
    ]
    assert chain.state == ClockState.BREACHED
    assert chain.warned_75_at == MONDAY_9 + timedelta(minutes=15)
    assert chain.warned_100_at == MONDAY_9 + timedelta(minutes=20)


# --- A pause and a resume move the due positions --------------------------------------


def test_a_pause_empties_the_due_positions_and_a_resume_moves_them_on(world, clock):
    call = register(world)
    sweep.clock_sweep()
    chain = ClockResult.objects.get(call=call, link=None, norm_kind=NormKind.RESOLUTION)
    due = (chain.due_75_position, chain.due_100_position)
    assert due == (
        chain.norm_minutes * 45 - chain.ticking_offset,
        chain.norm_minutes * 60 - chain.ticking_offset,
    )
    clock.advance(minutes=10)
    call = pauses.call_pause(
        call=call, by=world.desk, version=call.version, reason_kind=PauseReason.REQUESTER
    )
    chain.refresh_from_db()
    assert (chain.due_75_position, chain.due_100_position, chain.ticking_offset) == (None,) * 3
    clock.advance(minutes=45)
    pauses.call_resume(call=call, by=world.desk, version=call.version)
    chain.refresh_from_db()
    # The world's calendar counts all of a weekday: the pause moved them 45 minutes on.
    assert (chain.due_75_position, chain.due_100_position) == (due[0] + 2700, due[1] + 2700)
    clock.advance(minutes=5)
    assert results(call)[("chain", NormKind.RESOLUTION)].used_seconds == 15 * 60


def test_a_stopped_clock_keeps_no_due_positions(world, clock):
    link_agreements(world)
    call = register(world)
    call = hand_over(world, call, world.links.specialists, clock, 20)
    front = results(call)[("KCC", NormKind.RESOLUTION)]
    assert front.stopped_at is not None
    assert (front.ticking_offset, front.due_75_position, front.due_100_position) == (None,) * 3
    assert front.used_seconds == 20 * 60
