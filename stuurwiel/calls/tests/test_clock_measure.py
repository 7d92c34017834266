"""The measuring underneath the clocks, on generated spans and pauses: a pause
takes off exactly the time it overlaps, and positions add up like durations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from stuurwiel.calendars.businesstime import Calendar, business_duration
from stuurwiel.calls.clocks import ALWAYS, measure, position, without_pauses

START = datetime(2026, 3, 20, 8, 0, tzinfo=UTC)
OFFICE = Calendar(
    {day: [("08:30", "12:00"), ("13:00", "17:00")] for day in range(1, 6)},
    closed=[datetime(2026, 3, 30).date()],
)


# No deadline: a shared machine may be slow for one example, which says nothing of the code.
PROPERTY = settings(max_examples=200, deadline=None)


def at(minutes: int) -> datetime:
    return START + timedelta(minutes=minutes)


@st.composite
def pause_list(draw):
    """Sorted, disjoint pauses (minutes from START); the last may be open."""
    cuts = sorted(set(draw(st.lists(st.integers(0, 30_000), max_size=12))))
    pairs = [(cuts[i], cuts[i + 1]) for i in range(0, len(cuts) - 1, 2)]
    spans = [(at(a), at(b)) for a, b in pairs]
    if draw(st.booleans()) and len(cuts) % 2:
        spans.append((at(cuts[-1]), None))
    return spans


def overlap(start, end, pauses) -> timedelta:
    total = timedelta(0)
    for pause_start, pause_end in pauses:
        pause_end = pause_end or end
        low, high = max(start, pause_start), min(end, pause_end)
        if high > low:
            total += high - low
    return total


@PROPERTY
@given(st.integers(0, 20_000), st.integers(0, 20_000), pause_list())
def test_pauses_subtract_exactly_the_time_they_overlap(first, length, pauses):
    start, end = at(first), at(first + length)
    used = measure(ALWAYS, [(start, end)], pauses, now=end).used
    assert used == ((end - start) - overlap(start, end, pauses)).total_seconds()


@PROPERTY
@given(st.integers(0, 20_000), st.integers(1, 20_000), pause_list())
def test_on_service_hours_the_pieces_and_the_pauses_make_up_the_whole(first, length, pauses):
    start, end = at(first), at(first + length)
    whole = business_duration(OFFICE, start, end).total_seconds()
    used = measure(OFFICE, [(start, end)], pauses, now=end).used
    paused = sum(
        business_duration(OFFICE, max(start, a), min(end, b or end)).total_seconds()
        for a, b in pauses
    )
    assert used + paused == whole


@PROPERTY
@given(st.integers(0, 20_000), st.integers(0, 20_000), pause_list())
def test_a_ticking_clock_reads_the_same_as_a_stopped_one(first, length, pauses):
    start, now = at(first), at(first + length)
    # Pauses lie in the past: they began before now, and an ended one ended by now.
    pauses = [(a, b) for a, b in pauses if a <= now and (b is None or b <= now)]
    ticking = measure(OFFICE, [(start, None)], pauses, now=now)
    stopped = measure(OFFICE, [(start, now)], pauses, now=now)
    assert ticking.used == stopped.used
    if ticking.ticking_offset is not None:
        assert ticking.ticking_offset + position(OFFICE, now) == stopped.used


@PROPERTY
@given(st.integers(-50_000, 500_000), st.integers(0, 500_000))
def test_positions_differ_by_the_business_duration(first, length):
    start, end = at(first * 10), at((first + length) * 10)
    assert position(OFFICE, end) - position(OFFICE, start) == (
        business_duration(OFFICE, start, end).total_seconds()
    )


def test_an_open_pause_cuts_off_the_rest():
    pieces = without_pauses(at(0), None, [(at(10), at(20)), (at(30), None)])
    assert pieces == [(at(0), at(10)), (at(20), at(30))]
