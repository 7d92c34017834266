"""Business time on a calendar of service hours: pure Python, no models.

The model
    A calendar has, per ISO weekday, a few windows of local wall-clock time
    (start, end; end may be 24:00; no overlap, none inverted), a time zone
    (zoneinfo, default Europe/Amsterdam) and a set of closed dates. An instant
    is business time when its local wall-clock time lies in a window of an
    open day. ``business_duration`` measures real elapsed time inside those
    windows, so a window across a DST change counts the minutes that really
    pass (01:00-04:00 on the last Sunday of March is two hours, on the last
    Sunday of October four); a 00:00-24:00 day then has 23 or 25 hours.

How it stays independent of the span
    ``_wall(x)`` counts the business seconds of wall-clock time from
    0001-01-01 (a Monday) to the naive local time x: whole weeks times the
    precomputed week total, the weekdays before x in its week, the part of x's
    own day, minus the closed dates before x (a sorted list with prefix sums,
    found by bisect). A real duration is ``_wall(end) - _wall(start)`` plus,
    for each UTC-offset change in between, the wall-clock business seconds the
    clock skipped (minus) or repeated (plus). Offset changes are found once
    per zone and year and cached, so a span costs O(log closed dates) plus
    one step per calendar year it crosses, never a walk over its days.
    ``add_business_minutes`` inverts the duration by a doubling then a
    bisection search over whole seconds: O(log span) duration calls.

Limits
    Calendar errors (``CalendarError``) carry a ``code`` and a translated message.
    Everything is in whole seconds: sub-second parts of instants are dropped.
    The offset finder samples each year weekly, so a zone that changes its
    offset twice within seven days would be missed (no real zone does today).
    Closed dates close the whole local day. Naive datetimes are refused.
"""

from __future__ import annotations

import bisect
import functools
import re
import time as _time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

DEFAULT_TIME_ZONE = "Europe/Amsterdam"
DAY = 86400
_TIME_RE = re.compile(r"^(\d{1,2}):(\d{2})$")


class CalendarError(ValueError):
    """A calendar definition that cannot be used; ``code`` names the problem."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def _seconds_of(value: time | str, *, is_end: bool) -> int:
    """Seconds since midnight of a window bound; only an end may be 24:00."""
    if isinstance(value, time):
        return value.hour * 3600 + value.minute * 60 + value.second
    match = _TIME_RE.match(value)
    if not match:
        raise CalendarError(
            "invalid_time", _("Not a time of day (HH:MM): {value}").format(value=value)
        )
    hours, minutes = int(match[1]), int(match[2])
    if minutes > 59 or hours > 24 or (hours == 24 and (minutes or not is_end)):
        raise CalendarError(
            "invalid_time", _("Not a time of day (HH:MM): {value}").format(value=value)
        )
    return hours * 3600 + minutes * 60


@dataclass(frozen=True)
class HolidayRow:
    """A holiday as plain data, for a later model to copy into editable rows."""

    date: date
    name: str
    active: bool


class Calendar:
    """Service hours: windows per ISO weekday (1 = Monday), a zone, closed dates."""

    def __init__(
        self,
        windows: Mapping[int, Sequence[tuple[time | str, time | str]]],
        *,
        time_zone: str = DEFAULT_TIME_ZONE,
        closed: Iterable[date] = (),
    ) -> None:
        self.zone = ZoneInfo(time_zone)
        self.windows: list[tuple[tuple[int, int], ...]] = []
        for iso_weekday in range(1, 8):
            spans = sorted(
                (_seconds_of(s, is_end=False), _seconds_of(e, is_end=True))
                for s, e in windows.get(iso_weekday, ())
            )
            for start, end in spans:
                if end <= start:
                    raise CalendarError(
                        "inverted_window",
                        _("Weekday {weekday}: a window ends before it starts.").format(
                            weekday=iso_weekday
                        ),
                    )
            for (_start, end), (start, _end) in zip(spans, spans[1:], strict=False):
                if start < end:
                    raise CalendarError(
                        "overlapping_windows",
                        _("Weekday {weekday}: windows overlap.").format(weekday=iso_weekday),
                    )
            self.windows.append(tuple(spans))
        if set(windows) - set(range(1, 8)):
            raise CalendarError(
                "invalid_weekday", _("Weekdays are numbered 1 (Monday) to 7 (Sunday).")
            )
        self.day_totals = [sum(e - s for s, e in spans) for spans in self.windows]
        self.week_total = sum(self.day_totals)
        self.week_prefix = [sum(self.day_totals[:i]) for i in range(8)]
        self.closed_ordinals = sorted({d.toordinal() for d in closed})
        self._closed_set = frozenset(self.closed_ordinals)
        self.closed_prefix = [0]
        for ordinal in self.closed_ordinals:
            self.closed_prefix.append(self.closed_prefix[-1] + self.day_totals[(ordinal - 1) % 7])
        self._year_corrections: dict[int, list[tuple[int, int]]] = {}

    def _wall(self, local: datetime) -> int:
        """Business seconds of wall-clock time from 0001-01-01 00:00 up to ``local`` (naive)."""
        ordinal = local.toordinal()
        weeks, weekday = divmod(ordinal - 1, 7)  # ordinal 1 is a Monday
        total = weeks * self.week_total + self.week_prefix[weekday]
        total -= self.closed_prefix[bisect.bisect_left(self.closed_ordinals, ordinal)]
        if ordinal not in self._closed_set:
            second = local.hour * 3600 + local.minute * 60 + local.second
            for start, end in self.windows[weekday]:
                if second <= start:
                    break
                total += min(second, end) - start
        return total

    def _corrections(self, year: int) -> list[tuple[int, int]]:
        """(UTC second of an offset change, business seconds to add) within ``year``."""
        found = self._year_corrections.get(year)
        if found is None:
            found = [
                (moment, self._wall(before) - self._wall(after))
                for moment, before, after in _offset_changes(self.zone, year)
            ]
            self._year_corrections[year] = found
        return found

    def _seconds_between(self, start: int, end: int) -> int:
        """Business seconds in [start, end), both whole UTC epoch seconds, start < end."""
        total = self._wall(_local(self.zone, end)) - self._wall(_local(self.zone, start))
        for year in range(_utc_year(start), _utc_year(end) + 1):
            for moment, correction in self._corrections(year):
                if start < moment <= end:
                    total += correction
        return total


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _epoch_seconds(instant: datetime) -> int:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError("Business time needs aware datetimes.")
    return (instant - _EPOCH) // timedelta(seconds=1)


def _local(zone: ZoneInfo, seconds: int) -> datetime:
    # One C call (the zone's fromutc, with the fold of a repeated hour), not three objects.
    return datetime.fromtimestamp(seconds, zone).replace(tzinfo=None)


def _utc_year(seconds: int) -> int:
    return _time.gmtime(seconds).tm_year


def _offset(zone: ZoneInfo, seconds: int) -> timedelta:
    offset = (_EPOCH + timedelta(seconds=seconds)).astimezone(zone).utcoffset()
    assert offset is not None
    return offset


@functools.cache
def _offset_changes(zone: ZoneInfo, year: int) -> tuple[tuple[int, datetime, datetime], ...]:
    """Offset changes in (1 Jan ``year``, 1 Jan ``year + 1``] UTC: (second, wall before, after).

    Sampled weekly, then bisected to the second at which the new offset holds.
    """
    first = _epoch_seconds(datetime(year, 1, 1, tzinfo=UTC))
    last = _epoch_seconds(datetime(year + 1, 1, 1, tzinfo=UTC))
    samples = list(range(first, last, 7 * DAY)) + [last]
    changes = []
    for low, high in zip(samples, samples[1:], strict=False):
        old = _offset(zone, low)
        new = _offset(zone, high)
        if old == new:
            continue
        while high - low > 1:  # invariant: offset(low) == old, offset(high) != old
            middle = (low + high) // 2
            if _offset(zone, middle) == old:
                low = middle
            else:
                high = middle
        moment = _EPOCH + timedelta(seconds=high)
        changes.append(
            (high, (moment + old).replace(tzinfo=None), (moment + new).replace(tzinfo=None))
        )
    return tuple(changes)


def business_duration(calendar: Calendar, start: datetime, end: datetime) -> timedelta:
    """Business time in [start, end) on ``calendar``; zero when end is not after start."""
    first, last = _epoch_seconds(start), _epoch_seconds(end)
    if last <= first:
        return timedelta(0)
    return timedelta(seconds=calendar._seconds_between(first, last))


def add_business_minutes(calendar: Calendar, start: datetime, minutes: int) -> datetime:
    """The earliest instant with ``minutes`` business minutes after ``start``, in start's zone.

    A start outside service hours begins at the next window: with ``minutes == 0`` the
    answer is that window's start (or ``start`` itself when it lies inside a window).
    """
    if minutes < 0:
        raise ValueError("minutes must not be negative")
    if calendar.week_total == 0:
        raise CalendarError("no_service_hours", _("The calendar has no service hours."))
    origin = _epoch_seconds(start)
    # With zero minutes, find the first business second and step back to where it begins.
    target = minutes * 60 if minutes else 1

    def reached(seconds: int) -> bool:
        return seconds > origin and calendar._seconds_between(origin, seconds) >= target

    step = max(target, DAY)
    low, high = origin, origin + step
    while not reached(high):  # doubling: O(log span) steps, closed stretches included
        low, step = high, step * 2
        high = low + step
    while high - low > 1:  # invariant: not reached(low), reached(high)
        middle = (low + high) // 2
        if reached(middle):
            high = middle
        else:
            low = middle
    if not minutes:
        high -= 1
    return (_EPOCH + timedelta(seconds=high)).astimezone(start.tzinfo)


def dutch_holidays(first_year: int, last_year: int) -> list[HolidayRow]:
    """Dutch public holidays from the ``holidays`` package with a default ``active`` flag.

    Goede Vrijdag is not everyone's day off: inactive by default. Bevrijdingsdag (5 May)
    is a day off by default only in lustrum years (year % 5 == 0), listed every year.
    Koningsdag is taken as the package gives it (26 April when 27 April is a Sunday).
    """
    import holidays  # imported here: only this function needs the package

    found = holidays.country_holidays(
        "NL",
        years=range(first_year, last_year + 1),
        categories=("public", "optional"),
        language="nl",
    )
    rows = []
    for day, name in sorted(found.items()):
        active = True
        if day.month == 5 and day.day == 5:
            active = day.year % 5 == 0
        elif str(name).lower() == "goede vrijdag":
            active = False
        rows.append(HolidayRow(date=day, name=str(name), active=active))
    return rows
