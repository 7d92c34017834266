"""iCalendar (RFC 5545) in and out, as plain data: no models, no database.

In: :func:`feed_days` reads a holiday feed (the ``.ics`` a payroll system, a school
board or a public holiday service publishes) into the all-day dates it closes. It
checks the whole feed before anything is written and reports every problem at once.

Out: :func:`service_hours_ical` writes service hours as a calendar that Outlook,
Google Calendar and Apple Calendar subscribe to. One weekly recurring event per
window, in the calendar's own zone (``DTSTART;TZID=…`` and a ``VTIMEZONE``), so the
apps shift nothing across daylight saving time. Closed days are written twice, on
purpose: as ``EXDATE`` on each window's series, so that the app shows no service
hours on Koningsdag (an all-day event beside a still visible 08:30–17:00 block
would say "open" and "closed" at once), and as one all-day, free ("transparent")
event per closed day, so that the reader sees *why* there are no hours that day.
An ``EXDATE`` carries the zone and the exact start time of the occurrence it
removes: that is the form the three apps match occurrences on.

Limits: an event's length is its first occurrence's (``DTEND``); by RFC 5545 that
is an exact duration, so a window across the night of a DST change (Sunday 02:00
or 03:00) is shown an hour long or short on that one day by apps that follow the
RFC to the letter. Feeds with recurring events (``RRULE``) are refused rather than
expanded: a holiday feed lists its dates.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from stuurwiel.calendars.businesstime import _offset_changes

#: A feed with more events than this is refused (a holiday feed has a few dozen a year).
MAX_FEED_EVENTS = 2000
#: And so is one that closes more days than this (a multi-day event counts each day).
MAX_FEED_DAYS = 2000
#: The largest feed file read.
MAX_FEED_BYTES = 2 * 1024 * 1024
#: Problems listed in one error (the rest are counted).
MAX_LISTED_PROBLEMS = 10
PRODID = "-//Stuurwiel//Business calendars//NL"


@dataclass(frozen=True)
class FeedDay:
    """One closed date from a feed, with the event's summary as its name."""

    date: date
    name: str


def _event_label(number: int, summary: str) -> str:
    if summary:
        return _("Event {number} (“{summary}”)").format(number=number, summary=summary)
    return _("Event {number}").format(number=number)


def feed_days(data: bytes) -> list[FeedDay]:
    """The dates an iCalendar feed closes, in feed order, each date once.

    Every ``VEVENT`` must be all-day (``DTSTART;VALUE=DATE``); a multi-day event
    closes each date from its start up to, not including, its ``DTEND``. Cancelled
    events are left out. Raises ``ValidationError`` (on ``file``) listing every problem.
    """
    from icalendar import Calendar as ICalendar  # the one place that reads feeds

    if len(data) > MAX_FEED_BYTES:
        raise _feed_error(
            [
                _("The file is larger than {size} MB; a holiday feed is much smaller.").format(
                    size=MAX_FEED_BYTES // (1024 * 1024)
                )
            ]
        )
    try:
        parsed = ICalendar.from_ical(data)
    except (ValueError, IndexError, KeyError, TypeError, UnicodeDecodeError) as error:
        message = _("This is not an iCalendar file (.ics) that can be read: {error}")
        raise _feed_error([message.format(error=error)]) from error
    if parsed.name != "VCALENDAR":
        raise _feed_error([_("This file holds no VCALENDAR, so it is no iCalendar feed.")])
    events = parsed.walk("VEVENT")
    if len(events) > MAX_FEED_EVENTS:
        raise _feed_error(
            [
                _("The feed has {count} events; at most {limit} can be imported at once.").format(
                    count=len(events), limit=MAX_FEED_EVENTS
                )
            ]
        )
    problems: list[str] = []
    days: dict[date, FeedDay] = {}
    for number, event in enumerate(events, start=1):
        summary = str(event.get("SUMMARY", "")).strip()[:200]
        if str(event.get("STATUS", "")).upper() == "CANCELLED":
            continue
        dates, problem = _event_dates(event)
        if problem:
            problems.append(f"{_event_label(number, summary)}: {problem}")
            continue
        for day in dates:
            days.setdefault(day, FeedDay(date=day, name=summary or _("Closed (from the feed)")))
        if len(days) > MAX_FEED_DAYS:
            raise _feed_error(
                [_("The feed closes more than {limit} days.").format(limit=MAX_FEED_DAYS)]
            )
    if problems:
        raise _feed_error(problems)
    if not days and not events:
        raise _feed_error([_("The feed holds no events.")])
    return list(days.values())


def _event_dates(event) -> tuple[list[date], str]:
    """The dates of one all-day event, or a problem with it."""
    if "RRULE" in event or "RDATE" in event:
        return [], _("it repeats (RRULE); only single dates can be imported.")
    start = event.get("DTSTART")
    if start is None:
        return [], _("it has no start date (DTSTART).")
    first = start.dt
    if isinstance(first, datetime) or not isinstance(first, date):
        return [], _("it starts at a time of day, not on a date; only all-day events close days.")
    end = event.get("DTEND")
    last = end.dt if end is not None else first + timedelta(days=1)
    if isinstance(last, datetime) or not isinstance(last, date):
        return [], _("it ends at a time of day, not on a date.")
    if last <= first:
        last = first + timedelta(days=1)  # a DTEND equal to DTSTART: one day, as apps read it
    if (last - first).days > 366:
        return [], _("it lasts more than a year.")
    return [first + timedelta(days=n) for n in range((last - first).days)], ""


def _feed_error(problems: Sequence[str]) -> ValidationError:
    listed = list(problems[:MAX_LISTED_PROBLEMS])
    if len(problems) > MAX_LISTED_PROBLEMS:
        listed.append(
            _("… and {count} more problems.").format(count=len(problems) - MAX_LISTED_PROBLEMS)
        )
    return ValidationError({"file": listed}, code="invalid_feed")


# --- Export -------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportWindow:
    """A window as the export needs it: a stable id, ISO weekday, minutes."""

    uid: str
    weekday: int
    start_minute: int
    end_minute: int


@dataclass(frozen=True)
class ExportClosedDay:
    uid: str
    date: date
    name: str


def service_hours_ical(
    *,
    name: str,
    time_zone: str,
    windows: Iterable[ExportWindow],
    closed: Iterable[ExportClosedDay],
    first: date,
    last: date,
    stamp: datetime,
) -> bytes:
    """Service hours from ``first`` to ``last`` (inclusive) as an iCalendar file."""
    from icalendar import Calendar as ICalendar
    from icalendar import Event, vRecur

    zone = ZoneInfo(time_zone)
    closed = sorted(closed, key=lambda day: day.date)
    closed_dates = {day.date for day in closed}
    calendar = ICalendar()
    calendar.add("PRODID", PRODID)
    calendar.add("VERSION", "2.0")
    calendar.add("CALSCALE", "GREGORIAN")
    calendar.add("METHOD", "PUBLISH")
    calendar.add("X-WR-CALNAME", name)
    calendar.add("X-WR-TIMEZONE", time_zone)
    calendar.add_component(vtimezone(time_zone, first, last))
    # RFC 5545: with a zoned DTSTART, UNTIL is in UTC; the end of ``last`` there.
    until = datetime.combine(last + timedelta(days=1), time(), zone).astimezone(UTC)
    for window in windows:
        day = first + timedelta(days=(window.weekday - first.isoweekday()) % 7)
        if day > last:
            continue
        event = Event()
        event.add("UID", window.uid)
        event.add("DTSTAMP", stamp)
        event.add("SUMMARY", _("Service hours: {name}").format(name=name))
        event.add("DTSTART", _wall(day, window.start_minute, zone))
        event.add("DTEND", _wall(day, window.end_minute, zone))
        event.add("RRULE", vRecur({"FREQ": "WEEKLY", "UNTIL": until}))
        event.add("TRANSP", "OPAQUE")
        skipped = [
            _wall(d, window.start_minute, zone)
            for d in sorted(closed_dates)
            if day <= d <= last and d.isoweekday() == window.weekday
        ]
        if skipped:
            event.add("EXDATE", skipped)
        calendar.add_component(event)
    for closed_day in closed:
        if not first <= closed_day.date <= last:
            continue
        event = Event()
        event.add("UID", closed_day.uid)
        event.add("DTSTAMP", stamp)
        event.add("SUMMARY", _("Closed: {name}").format(name=closed_day.name))
        event.add("DTSTART", closed_day.date)
        event.add("DTEND", closed_day.date + timedelta(days=1))
        event.add("TRANSP", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()


def _wall(day: date, minutes: int, zone: ZoneInfo) -> datetime:
    """The local wall-clock time ``minutes`` after midnight of ``day`` (1440 is the
    next midnight), zoned: what a DTSTART;TZID holds."""
    return datetime.combine(day, time(), zone) + timedelta(minutes=minutes)


_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def vtimezone(time_zone: str, first: date, last: date):
    """A ``VTIMEZONE`` for ``time_zone`` that holds from ``first`` to ``last``.

    Each offset change is written with its onset in the local time *before* the
    change (RFC 5545 §3.6.5: 02:00 for the spring change in Europe/Amsterdam).
    Changes that keep one yearly rule (the last Sunday of March, 02:00) become one
    sub-component with an ``RRULE``, which Outlook needs; irregular ones one each.
    """
    from icalendar import Timezone, TimezoneDaylight, TimezoneStandard, vRecur

    zone = ZoneInfo(time_zone)
    component = Timezone()
    component.add("TZID", time_zone)
    changes = [
        change
        for year in range(first.year - 1, last.year + 2)
        for change in _offset_changes(zone, year)
    ]
    if not changes:
        moment = datetime.combine(first, time(12), zone)
        standard = TimezoneStandard()
        standard.add("DTSTART", datetime(1970, 1, 1))
        standard.add("TZOFFSETFROM", moment.utcoffset())
        standard.add("TZOFFSETTO", moment.utcoffset())
        standard.add("TZNAME", moment.tzname() or time_zone)
        component.add_component(standard)
        return component
    groups: dict[tuple, list[datetime]] = {}
    for second, before, after in changes:
        instant = datetime.fromtimestamp(second, UTC).astimezone(zone)
        offset_to = instant.utcoffset()
        offset_from = offset_to - (after - before) if offset_to is not None else None
        daylight = bool(instant.dst())
        key = (daylight, offset_from, offset_to, instant.tzname() or time_zone)
        groups.setdefault(key, []).append(before)
    for (daylight, offset_from, offset_to, tzname), onsets in groups.items():
        rule = _yearly_rule(onsets)
        # One yearly rule where the changes keep one, else one component per change.
        parts = [(onsets[0], rule)] if rule is not None else [(onset, None) for onset in onsets]
        for onset, recur in parts:
            sub = TimezoneDaylight() if daylight else TimezoneStandard()
            sub.add("DTSTART", onset)
            sub.add("TZOFFSETFROM", offset_from)
            sub.add("TZOFFSETTO", offset_to)
            sub.add("TZNAME", tzname)
            if recur is not None:
                sub.add("RRULE", vRecur(recur))
            component.add_component(sub)
    return component


def _yearly_rule(onsets: list[datetime]) -> dict | None:
    """``FREQ=YEARLY;BYMONTH=m;BYDAY=nWD`` if every onset, one per consecutive
    year, falls on the same weekday position of the same month at the same time."""
    if len(onsets) < 2:
        return None
    shapes = set()
    for onset in onsets:
        last_of_month = (onset + timedelta(days=7)).month != onset.month
        position = -1 if last_of_month else (onset.day - 1) // 7 + 1
        shapes.add((onset.month, position, onset.weekday(), onset.time()))
    years = [onset.year for onset in onsets]
    if len(shapes) != 1 or years != list(range(years[0], years[0] + len(years))):
        return None
    month, position, weekday, _time = shapes.pop()
    return {"FREQ": "YEARLY", "BYMONTH": month, "BYDAY": f"{position}{_WEEKDAYS[weekday]}"}
