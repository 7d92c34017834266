"""Importing a holiday feed: all-day events become closed days; a feed with any
problem writes nothing and says which event is wrong."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from stuurwiel.calendars import ical, services
from stuurwiel.calendars.choices import ClosedDayKind
from stuurwiel.calendars.models import ClosedDay

pytestmark = pytest.mark.django_db


def feed(*events: str) -> bytes:
    body = "".join(
        f"BEGIN:VEVENT\r\nUID:{n}@test\r\n{e}END:VEVENT\r\n" for n, e in enumerate(events)
    )
    return (
        f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//NL\r\n{body}END:VCALENDAR\r\n".encode()
    )


def all_day(start: str, summary: str, end: str = "") -> str:
    text = f"SUMMARY:{summary}\r\nDTSTART;VALUE=DATE:{start}\r\n"
    return text + (f"DTEND;VALUE=DATE:{end}\r\n" if end else "")


def _import(calendar, by, data):
    return services.calendar_feed_import(calendar=calendar, data=data, by=by)


def test_all_day_events_become_closed_days_from_the_feed(calendar, manager_a):
    result = _import(
        calendar,
        manager_a,
        feed(all_day("20261224", "Kerstsluiting", end="20261227"), all_day("20261231", "Oud")),
    )
    days = list(ClosedDay.objects.filter(calendar=calendar).values_list("date", "name", "kind"))
    assert days == [
        (date(2026, 12, 24), "Kerstsluiting", ClosedDayKind.FEED),
        (date(2026, 12, 25), "Kerstsluiting", ClosedDayKind.FEED),
        (date(2026, 12, 26), "Kerstsluiting", ClosedDayKind.FEED),
        (date(2026, 12, 31), "Oud", ClosedDayKind.FEED),
    ]
    assert len(result.created) == 4 and result.skipped == []


def test_dates_the_calendar_has_are_skipped_and_reported(calendar, manager_a):
    services.calendar_holidays_copy(
        calendar=calendar, first_year=2026, last_year=2026, by=manager_a
    )
    result = _import(
        calendar, manager_a, feed(all_day("20261225", "Kerst"), all_day("20261224", "Avond"))
    )
    assert [day.date for day in result.skipped] == [date(2026, 12, 25)]
    assert result.skipped[0].kind == ClosedDayKind.HOLIDAY  # the stored day, untouched
    assert [day.name for day in result.created] == ["Avond"]


def test_a_broken_file_writes_nothing_and_says_so(calendar, manager_a):
    with pytest.raises(ValidationError) as refused:
        _import(calendar, manager_a, b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:nonsense\r\n")
    assert list(refused.value.message_dict) == ["file"]
    assert not ClosedDay.objects.exists()


def test_one_event_at_a_time_of_day_refuses_the_whole_feed(calendar, manager_a):
    timed = "SUMMARY:Teamuitje\r\nDTSTART:20261002T130000Z\r\nDTEND:20261002T170000Z\r\n"
    with pytest.raises(ValidationError) as refused:
        _import(calendar, manager_a, feed(all_day("20261224", "Avond"), timed))
    [message] = refused.value.message_dict["file"]
    assert "Teamuitje" in message and "2" in message
    assert not ClosedDay.objects.exists()


def test_a_feed_with_more_than_2000_events_is_refused(calendar, manager_a):
    events = [all_day(f"{2026 + n // 365}0101", f"Dag {n}") for n in range(2001)]
    with pytest.raises(ValidationError) as refused:
        _import(calendar, manager_a, feed(*events))
    assert "2001" in refused.value.message_dict["file"][0]
    assert not ClosedDay.objects.exists()


def test_repeating_events_are_refused_and_cancelled_ones_left_out(calendar, manager_a):
    repeating = all_day("20260101", "Elk jaar") + "RRULE:FREQ=YEARLY\r\n"
    with pytest.raises(ValidationError):
        _import(calendar, manager_a, feed(repeating))
    cancelled = all_day("20260102", "Toch niet") + "STATUS:CANCELLED\r\n"
    result = _import(calendar, manager_a, feed(cancelled, all_day("20260105", "Wel")))
    assert [day.name for day in result.created] == ["Wel"]


def test_many_problems_are_listed_up_to_a_limit():
    timed = "SUMMARY:Vergadering\r\nDTSTART:20261002T130000\r\n"
    with pytest.raises(ValidationError) as refused:
        ical.feed_days(feed(*[timed] * 15))
    messages = refused.value.message_dict["file"]
    assert len(messages) == ical.MAX_LISTED_PROBLEMS + 1 and "5" in messages[-1]
