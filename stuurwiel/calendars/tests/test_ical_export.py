"""The iCalendar export, read back with the icalendar package as a calendar app
would: one weekly event per window in the calendar's zone, closed days left out."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr
from icalendar import Calendar as ICalendar

from stuurwiel.calendars import selectors, services
from stuurwiel.calendars.tests.conftest import OFFICE

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")


def export(calendar, first=date(2026, 1, 1), last=date(2026, 12, 31)) -> ICalendar:
    fresh = selectors.calendar_queryset().get(pk=calendar.pk)
    return ICalendar.from_ical(selectors.calendar_ical(fresh, first, last))


def series(parsed: ICalendar):
    return [event for event in parsed.walk("VEVENT") if "RRULE" in event]


def _minutes(moment: datetime) -> int:
    return moment.hour * 60 + moment.minute


def test_each_window_comes_back_as_a_weekly_event_in_the_calendars_zone(office):
    events = series(export(office))
    found = set()
    for event in events:
        start, end = event["DTSTART"].dt, event["DTEND"].dt
        assert start.tzinfo.key == "Europe/Amsterdam"
        assert event["DTSTART"].params["TZID"] == "Europe/Amsterdam"
        assert event["RRULE"]["FREQ"] == ["WEEKLY"]
        found.add((start.isoweekday(), _minutes(start), _minutes(end)))
    assert found == set(OFFICE)


def test_occurrences_keep_their_local_time_across_daylight_saving(office):
    [monday] = [
        e
        for e in series(export(office))
        if e["DTSTART"].dt.hour == 8 and e["DTSTART"].dt.isoweekday() == 1
    ]
    rule = rrulestr(monday["RRULE"].to_ical().decode(), dtstart=monday["DTSTART"].dt)
    before = rule.after(datetime(2026, 3, 20, tzinfo=AMS))  # Monday 23 March, winter time
    after = rule.after(datetime(2026, 3, 27, tzinfo=AMS))  # Monday 30 March, summer time
    assert before.astimezone(UTC).time() == time(7, 30)
    assert after.astimezone(UTC).time() == time(6, 30)
    assert before.astimezone(AMS).time() == after.astimezone(AMS).time() == time(8, 30)


def test_the_timezone_definition_agrees_with_the_zone_database(office):
    [vtimezone] = export(office).walk("VTIMEZONE")
    assert vtimezone["TZID"] == "Europe/Amsterdam"
    zone = vtimezone.to_tz()
    for moment in ("2026-03-29T00:59", "2026-03-29T01:00", "2026-10-25T00:59", "2026-10-25T01:00"):
        instant = datetime.fromisoformat(moment).replace(tzinfo=UTC)
        assert instant.astimezone(zone).utcoffset() == instant.astimezone(AMS).utcoffset()


def test_an_active_closed_day_is_an_exception_of_its_weekday_and_an_all_day_event(
    office, manager_a
):
    services.calendar_holidays_copy(calendar=office, first_year=2026, last_year=2026, by=manager_a)
    parsed = export(office)
    koningsdag = datetime(2026, 4, 27, 8, 30, tzinfo=AMS)  # a Monday
    exceptions = {
        (event["DTSTART"].dt.isoweekday(), event["DTSTART"].dt.hour): [
            moment.dt for value in _list(event.get("EXDATE")) for moment in value.dts
        ]
        for event in series(parsed)
    }
    assert koningsdag in exceptions[(1, 8)]
    assert not any(d.date() == date(2026, 4, 3) for ds in exceptions.values() for d in ds)
    all_days = {
        e["DTSTART"].dt: str(e["SUMMARY"]) for e in parsed.walk("VEVENT") if "RRULE" not in e
    }
    assert "Koningsdag" in all_days[date(2026, 4, 27)]
    assert date(2026, 4, 3) not in all_days  # Goede Vrijdag is not a day off by default


def _list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def test_a_window_until_24_00_ends_at_the_next_midnight(calendar):
    calendar.windows.create(
        organisation=calendar.organisation, weekday=7, start_minute=0, end_minute=1440
    )
    [event] = series(export(calendar))
    assert event["DTEND"].dt - event["DTSTART"].dt == timedelta(days=1)
    assert event["DTEND"].dt.time() == time(0, 0)


def test_an_export_range_that_is_reversed_or_too_long_is_refused(office):
    fresh = selectors.calendar_queryset().get(pk=office.pk)
    with pytest.raises(ValueError):
        selectors.calendar_ical(fresh, date(2026, 2, 1), date(2026, 1, 1))
    with pytest.raises(ValueError):
        selectors.calendar_ical(fresh, date(2026, 1, 1), date(2030, 1, 1))
