"""Business time: exact cases, holidays and properties against a minute-by-minute reference."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stuurwiel.calendars.businesstime import (
    Calendar,
    CalendarError,
    add_business_minutes,
    business_duration,
    dutch_holidays,
)

AMS = ZoneInfo("Europe/Amsterdam")
SPRING = date(2026, 3, 29)  # last Sunday of March 2026: 02:00 becomes 03:00
AUTUMN = date(2026, 10, 25)  # last Sunday of October 2026: 03:00 becomes 02:00
OFFICE = {d: [("08:30", "12:00"), ("13:00", "17:00")] for d in range(1, 6)}
ALL_DAY = {d: [("00:00", "24:00")] for d in range(1, 8)}


def at(day: date, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=AMS)


def reference_minutes(calendar_windows, closed, start: datetime, end: datetime) -> int:
    """Walk every real minute and ask whether its local wall time is in a window."""
    windows = {
        wd: [(_minutes(s), _minutes(e)) for s, e in spans] for wd, spans in calendar_windows.items()
    }
    count = 0
    moment = start.astimezone(UTC)
    stop = end.astimezone(UTC)
    while moment < stop:
        local = moment.astimezone(AMS)
        if local.date() not in closed:
            minute = local.hour * 60 + local.minute
            if any(s <= minute < e for s, e in windows.get(local.isoweekday(), ())):
                count += 1
        moment += timedelta(minutes=1)
    return count


def _minutes(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


# --- exact cases -----------------------------------------------------------------------------


def test_an_all_day_window_counts_23_hours_on_the_spring_dst_day_and_25_in_autumn():
    calendar = Calendar(ALL_DAY)
    assert business_duration(calendar, at(SPRING), at(SPRING + timedelta(days=1))) == timedelta(
        hours=23
    )
    assert business_duration(calendar, at(AUTUMN), at(AUTUMN + timedelta(days=1))) == timedelta(
        hours=25
    )
    assert business_duration(calendar, at(date(2026, 6, 7)), at(date(2026, 6, 8))) == timedelta(
        hours=24
    )


def test_a_window_straddling_the_dst_change_counts_real_elapsed_time():
    calendar = Calendar({7: [("01:00", "04:00")]})
    assert business_duration(calendar, at(SPRING), at(SPRING, 23)) == timedelta(hours=2)
    assert business_duration(calendar, at(AUTUMN), at(AUTUMN, 23)) == timedelta(hours=4)
    # 90 minutes after 01:00 on the spring day: 01:00 + 60 min reaches 02:00 = 03:00 CEST.
    assert add_business_minutes(calendar, at(SPRING), 90) == datetime(
        2026, 3, 29, 1, 30, tzinfo=UTC
    )


def test_office_week_with_lunch_break():
    calendar = Calendar(OFFICE)
    monday = date(2026, 6, 1)
    week = business_duration(calendar, at(monday), at(monday + timedelta(days=7)))
    assert week == timedelta(hours=5 * 7.5)
    assert business_duration(calendar, at(monday, 11), at(monday, 14)) == timedelta(hours=2)


def test_closed_dates_are_subtracted():
    monday = date(2026, 6, 1)
    calendar = Calendar(OFFICE, closed=[monday + timedelta(days=2), monday + timedelta(days=5)])
    span = business_duration(calendar, at(monday), at(monday + timedelta(days=7)))
    assert span == timedelta(hours=4 * 7.5)  # the Saturday had no hours anyway


def test_add_from_outside_service_hours_begins_at_the_next_window():
    calendar = Calendar(OFFICE)
    friday_evening = at(date(2026, 6, 5), 19)
    assert add_business_minutes(calendar, friday_evening, 0) == at(date(2026, 6, 8), 8, 30)
    assert add_business_minutes(calendar, friday_evening, 240) == at(date(2026, 6, 8), 13, 30)
    assert add_business_minutes(calendar, at(date(2026, 6, 8), 12, 30), 0) == at(
        date(2026, 6, 8), 13
    )


def test_a_year_span_equals_the_sum_of_its_days():
    calendar = Calendar(OFFICE, closed=[r.date for r in dutch_holidays(2026, 2027) if r.active])
    start = at(date(2026, 1, 1))
    days = [start + timedelta(days=i) for i in range(366)]
    by_day = sum(
        (business_duration(calendar, a, b) for a, b in zip(days, days[1:], strict=False)),
        timedelta(0),
    )
    assert business_duration(calendar, days[0], days[-1]) == by_day


def test_end_not_after_start_gives_zero_and_naive_datetimes_are_refused():
    calendar = Calendar(ALL_DAY)
    assert business_duration(calendar, at(SPRING, 5), at(SPRING, 4)) == timedelta(0)
    with pytest.raises(ValueError):
        business_duration(calendar, datetime(2026, 1, 1), at(SPRING))


@pytest.mark.parametrize(
    ("windows", "code"),
    [
        ({1: [("10:00", "09:00")]}, "inverted_window"),
        ({1: [("09:00", "09:00")]}, "inverted_window"),
        ({1: [("09:00", "12:00"), ("11:00", "13:00")]}, "overlapping_windows"),
        ({1: [("24:00", "24:00")]}, "invalid_time"),
        ({1: [("09:00", "25:00")]}, "invalid_time"),
        ({8: [("09:00", "10:00")]}, "invalid_weekday"),
    ],
)
def test_bad_windows_are_refused(windows, code):
    with pytest.raises(CalendarError) as caught:
        Calendar(windows)
    assert caught.value.code == code


def test_windows_may_touch_and_take_time_objects():
    calendar = Calendar({1: [(time(9), time(12)), ("12:00", "24:00")]})
    monday = date(2026, 6, 1)
    assert business_duration(calendar, at(monday), at(monday + timedelta(days=1))) == timedelta(
        hours=15
    )


# --- holidays --------------------------------------------------------------------------------


def test_koningsdag_moves_to_26_april_when_27_april_is_a_sunday():
    rows = {r.date: r for r in dutch_holidays(2025, 2026)}
    assert date(2025, 4, 26) in rows and date(2025, 4, 27) not in rows
    assert rows[date(2025, 4, 26)].name == "Koningsdag" and rows[date(2025, 4, 26)].active
    assert date(2026, 4, 27) in rows


def test_goede_vrijdag_is_listed_but_not_a_day_off_by_default():
    rows = {r.date: r for r in dutch_holidays(2026, 2026)}
    assert rows[date(2026, 4, 3)].active is False
    assert rows[date(2026, 4, 6)].active is True  # Tweede paasdag


def test_bevrijdingsdag_is_listed_every_year_and_a_day_off_only_in_lustrum_years():
    rows = {r.date: r for r in dutch_holidays(2024, 2031)}
    for year in range(2024, 2032):
        assert rows[date(year, 5, 5)].active is (year % 5 == 0)


# --- properties ------------------------------------------------------------------------------

QUARTERS = [f"{q // 4:02d}:{q % 4 * 15:02d}" for q in range(97)]


@st.composite
def calendars(draw):
    windows = {}
    for weekday in range(1, 8):
        bounds = draw(st.lists(st.integers(0, 96), unique=True, max_size=6).map(sorted))
        if len(bounds) % 2:
            bounds = bounds[:-1]
        windows[weekday] = [
            (QUARTERS[a], QUARTERS[b]) for a, b in zip(bounds[::2], bounds[1::2], strict=True)
        ]
    if not any(windows.values()):
        windows[1] = [("09:00", "17:00")]
    holidays = [r.date for r in dutch_holidays(2026, 2026) if r.active]
    extra = draw(st.lists(st.dates(date(2026, 3, 20), date(2026, 11, 10)), max_size=4))
    closed = set(draw(st.lists(st.sampled_from(holidays), max_size=4))) | set(extra)
    return windows, closed


SPAN_START = datetime(2026, 3, 20, tzinfo=UTC)
instants = st.integers(0, 235 * 24 * 60).map(lambda m: SPAN_START + timedelta(minutes=m))
near_dst = st.sampled_from([SPRING, AUTUMN]).flatmap(
    lambda day: st.integers(-5 * 24 * 60, 5 * 24 * 60).map(lambda m: at(day) + timedelta(minutes=m))
)
PROPERTY = settings(max_examples=200, deadline=None)


@PROPERTY
@given(calendars(), st.one_of(instants, near_dst), st.integers(0, 10 * 24 * 60))
def test_equals_the_minute_by_minute_reference(drawn, start, length):
    windows, closed = drawn
    end = start + timedelta(minutes=length)
    expected = reference_minutes(windows, closed, start, end)
    assert business_duration(Calendar(windows, closed=closed), start, end) == timedelta(
        minutes=expected
    )


@PROPERTY
@given(calendars(), st.one_of(instants, near_dst), st.integers(0, 20 * 24 * 60))
def test_add_then_measure_returns_the_same_duration(drawn, start, minutes):
    windows, closed = drawn
    calendar = Calendar(windows, closed=closed)
    end = add_business_minutes(calendar, start, minutes)
    assert end >= start
    assert business_duration(calendar, start, end) == timedelta(minutes=minutes)
    if minutes:  # the earliest such instant: a real minute earlier is short of it
        # In UTC: aware arithmetic in the zone is wall-clock arithmetic, and 03:00
        # minus a minute on the spring DST night is 02:59, a time that does not exist.
        earlier = end.astimezone(UTC) - timedelta(minutes=1)
        assert business_duration(calendar, start, earlier) < timedelta(minutes=minutes)


@PROPERTY
@given(calendars(), instants, instants, instants)
def test_monotone_in_the_end_and_additive_over_a_split_point(drawn, a, b, c):
    windows, closed = drawn
    calendar = Calendar(windows, closed=closed)
    a, b, c = sorted([a, b, c])
    assert business_duration(calendar, a, b) <= business_duration(calendar, a, c)
    assert business_duration(calendar, a, c) == business_duration(
        calendar, a, b
    ) + business_duration(calendar, b, c)
