"""Writes for business calendars. Every function is atomic and logs to the change log.

Windows of one weekday may not overlap. ``ServiceWindow.clean`` checks that against
the stored windows, which two requests adding overlapping windows at the same moment
would both pass; so every window write first locks its calendar's row, and the
second request checks only after the first has committed (PostgreSQL). SQLite
serialises writing transactions anyway (``transaction_mode=IMMEDIATE``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from stuurwiel.calendars import ical
from stuurwiel.calendars.businesstime import dutch_holidays
from stuurwiel.calendars.choices import ClosedDayKind
from stuurwiel.calendars.models import BusinessCalendar, ClosedDay, ServiceWindow
from stuurwiel.changelog.choices import ChangeAction
from stuurwiel.changelog.services import change_entry, change_records_insert, snapshot
from stuurwiel.core.text import REASON_MAX_LENGTH, clean_text, whole_number
from stuurwiel.organisations import access
from stuurwiel.organisations.writes import (
    lock_fresh,
    object_create,
    object_delete,
    object_update,
    unique_race_as_validation,
)

#: Years of public holidays copied in one go.
MAX_HOLIDAY_YEARS = 10
#: The years the ``holidays`` package and this application make sense for.
HOLIDAY_YEARS = (1950, 2200)


@dataclass
class CalendarCopied:
    """What :func:`calendar_copy` made: the new calendar and its copied rows."""

    calendar: BusinessCalendar
    windows: list[ServiceWindow] = field(default_factory=list)
    closed_days: list[ClosedDay] = field(default_factory=list)


@dataclass
class ClosedDaysAdded:
    """What a copy or an import did: the days it added and the dates it left alone
    (already in the calendar; the stored day, with the user's edits, stays)."""

    created: list[ClosedDay] = field(default_factory=list)
    skipped: list[ClosedDay] = field(default_factory=list)


# --- Calendars ------------------------------------------------------------------------


def calendar_create(
    *, organisation, by, data: dict[str, Any], reason: str = ""
) -> BusinessCalendar:
    return object_create(
        model=BusinessCalendar, organisation=organisation, by=by, data=data, reason=reason
    )


def calendar_update(
    *, instance: BusinessCalendar, by, data: dict[str, Any], version, reason: str = ""
) -> BusinessCalendar:
    return object_update(instance=instance, by=by, data=data, version=version, reason=reason)


def calendar_delete(*, instance: BusinessCalendar, by, version=None, reason: str = "") -> None:
    """Deletes the calendar with its windows and closed days; refused while a service
    or an agreement measures on it."""
    object_delete(instance=instance, by=by, version=version, reason=reason)


@transaction.atomic
def calendar_copy(
    *,
    calendar: BusinessCalendar,
    name: Any,
    by,
    description: Any = None,
    reason: str = "",
) -> CalendarCopied:
    """A new calendar named ``name`` with the same time zone, windows and closed days
    (holidays, extra days and feed days, each with its name, kind and active flag)
    as ``calendar``; the description too unless ``description`` is given. The
    original is left as it is.

    The original's row is locked first, so its windows and days are read as one
    state (every window and closed-day write locks that row too). The copied rows
    were valid in the original and stay so (same windows, same dates), so they are
    inserted in one statement per kind and each is logged as created under the
    new calendar, in one more.
    """
    reason = clean_text(reason, field="reason", max_length=REASON_MAX_LENGTH)
    source = lock_fresh(BusinessCalendar, calendar.pk)
    access.require(by=by, organisation=source.organisation, action="view", obj=source)
    wanted = name.strip() if isinstance(name, str) else name
    if (
        isinstance(wanted, str)
        and BusinessCalendar.objects.filter(organisation=source.organisation, name=wanted).exists()
    ):
        # Said on the name, in words a manager reads (the unique constraint would
        # name the organisation and the name together).
        raise ValidationError(
            {
                "name": _(
                    "There is a calendar named “{name}” already: choose another name."
                ).format(name=wanted)
            },
            code="name_taken",
        )
    why = reason or _("Copied from “{name}”.").format(name=source)
    copy = object_create(
        model=BusinessCalendar,
        organisation=source.organisation,
        by=by,
        data={
            "name": wanted,
            "time_zone": source.time_zone,
            "description": source.description if description is None else description,
        },
        reason=why,
    )
    # Windows and closed days are written by whoever may change calendars; the
    # calendar itself was just created under that same check.
    o = {"organisation": copy.organisation, "calendar": copy}
    windows = ServiceWindow.objects.bulk_create(
        ServiceWindow(**o, weekday=w.weekday, start_minute=w.start_minute, end_minute=w.end_minute)
        for w in source.windows.order_by("weekday", "start_minute")
    )
    days = ClosedDay.objects.bulk_create(
        ClosedDay(**o, date=d.date, name=d.name, kind=d.kind, active=d.active)
        for d in source.closed_days.order_by("date")
    )
    entries = [
        change_entry(
            instance=row,
            action=ChangeAction.CREATE,
            by=by,
            after=snapshot(row),
            reason=why,
            parent=copy,
        )
        for row in (*windows, *days)
    ]
    change_records_insert([entry for entry in entries if entry is not None])
    return CalendarCopied(copy, windows, days)


# --- Windows --------------------------------------------------------------------------


def _lock_calendars(*calendars: Any) -> None:
    """Lock the calendar rows (in id order, so two writers never wait on each other
    crosswise) before the windows of a weekday are checked for overlap."""
    ids = sorted({c.pk for c in calendars if getattr(c, "pk", None) is not None})
    for pk in ids:
        lock_fresh(BusinessCalendar, pk)


@transaction.atomic
def window_create(*, organisation, by, data: dict[str, Any], reason: str = "") -> ServiceWindow:
    _lock_calendars(data.get("calendar"))
    return object_create(
        model=ServiceWindow, organisation=organisation, by=by, data=data, reason=reason
    )


@transaction.atomic
def window_update(
    *, instance: ServiceWindow, by, data: dict[str, Any], version, reason: str = ""
) -> ServiceWindow:
    _lock_calendars(instance.calendar, data.get("calendar"))
    return object_update(instance=instance, by=by, data=data, version=version, reason=reason)


def window_delete(*, instance: ServiceWindow, by, version=None, reason: str = "") -> None:
    object_delete(instance=instance, by=by, version=version, reason=reason)


@transaction.atomic
def windows_create(
    *,
    calendar: BusinessCalendar,
    weekdays: Iterable[int],
    start_minute: int,
    end_minute: int,
    by,
    reason: str = "",
) -> list[ServiceWindow]:
    """The same window on several weekdays (Monday to Friday 08:30–12:00): all or
    none. An overlap on any day refuses the lot and names the day."""
    days = sorted(set(weekdays))
    if not days:
        raise ValidationError({"weekdays": _("Choose at least one weekday.")}, code="no_weekdays")
    created = []
    for weekday in days:
        data = {
            "calendar": calendar,
            "weekday": weekday,
            "start_minute": start_minute,
            "end_minute": end_minute,
        }
        created.append(
            window_create(organisation=calendar.organisation, by=by, data=data, reason=reason)
        )
    return created


# --- Closed days ----------------------------------------------------------------------


def closed_day_create(*, organisation, by, data: dict[str, Any], reason: str = "") -> ClosedDay:
    return object_create(
        model=ClosedDay, organisation=organisation, by=by, data=data, reason=reason
    )


def closed_day_update(
    *, instance: ClosedDay, by, data: dict[str, Any], version, reason: str = ""
) -> ClosedDay:
    return object_update(instance=instance, by=by, data=data, version=version, reason=reason)


def closed_day_delete(*, instance: ClosedDay, by, version=None, reason: str = "") -> None:
    object_delete(instance=instance, by=by, version=version, reason=reason)


def closed_day_set_active(
    *, instance: ClosedDay, active: bool, by, version, reason: str = ""
) -> ClosedDay:
    """Open or close the service on a closed day (the toggle on the calendar page).
    Setting what is already stored is no change; otherwise ``version`` must match."""
    if instance.active == active:
        return instance
    return object_update(
        instance=instance, by=by, data={"active": active}, version=version, reason=reason
    )


def _year(value: Any, name: str) -> int:
    year = whole_number(value)
    low, high = HOLIDAY_YEARS
    if year is None or not low <= year <= high:
        raise ValidationError(
            {name: _("Give a year from {low} to {high}.").format(low=low, high=high)},
            code="invalid_year",
        )
    return year


@transaction.atomic
def calendar_holidays_copy(
    *, calendar: BusinessCalendar, first_year: Any, last_year: Any, by, reason: str = ""
) -> ClosedDaysAdded:
    """Copy the Dutch public holidays of ``first_year``–``last_year`` into the
    calendar as editable closed days (kind "public holiday"), each with its default
    ``active`` flag (Goede Vrijdag open, Bevrijdingsdag closed in lustrum years only).

    Idempotent: a date the calendar already has is left as it is, so a holiday the
    user opened stays open when the years are copied again.
    """
    first, last = _year(first_year, "first_year"), _year(last_year, "last_year")
    if last < first:
        raise ValidationError(
            {"last_year": _("The last year comes on or after the first.")}, code="years_reversed"
        )
    if last - first >= MAX_HOLIDAY_YEARS:
        raise ValidationError(
            {"last_year": _("Copy at most {count} years at once.").format(count=MAX_HOLIDAY_YEARS)},
            code="too_many_years",
        )
    fresh = _lock_for_closed_days(calendar, by)
    days = [
        ClosedDay(
            organisation=fresh.organisation,
            calendar=fresh,
            date=row.date,
            name=row.name[:200],
            kind=ClosedDayKind.HOLIDAY,
            active=row.active,
        )
        for row in dutch_holidays(first, last)
    ]
    return _closed_days_add(fresh, days, by=by, reason=reason)


@transaction.atomic
def calendar_feed_import(
    *, calendar: BusinessCalendar, data: bytes, by, reason: str = ""
) -> ClosedDaysAdded:
    """Import the all-day events of an iCalendar holiday feed as closed days (kind
    "from a holiday feed"). The whole feed is checked first: a file that cannot be
    read, has more than :data:`~stuurwiel.calendars.ical.MAX_FEED_EVENTS` events or
    events at a time of day writes nothing and says why. Dates already in the
    calendar are skipped and reported."""
    fresh = _lock_for_closed_days(calendar, by)
    found = ical.feed_days(data)
    days = [
        ClosedDay(
            organisation=fresh.organisation,
            calendar=fresh,
            date=day.date,
            name=day.name,
            kind=ClosedDayKind.FEED,
            active=True,
        )
        for day in found
    ]
    return _closed_days_add(fresh, days, by=by, reason=reason)


def _lock_for_closed_days(calendar: BusinessCalendar, by) -> BusinessCalendar:
    fresh = lock_fresh(BusinessCalendar, calendar.pk)
    access.require(
        by=by,
        organisation=fresh.organisation,
        action="change",
        obj=ClosedDay(organisation=fresh.organisation, calendar=fresh),
    )
    return fresh


def _closed_days_add(
    calendar: BusinessCalendar, days: Sequence[ClosedDay], *, by, reason: str
) -> ClosedDaysAdded:
    """Insert ``days`` whose dates the (locked) calendar does not have yet, in one
    statement, and log each as created, in one more."""
    reason = clean_text(reason, field="reason", max_length=REASON_MAX_LENGTH)
    stored = {
        day.date: day
        for day in ClosedDay.objects.filter(calendar=calendar, date__in=[d.date for d in days])
    }
    result = ClosedDaysAdded()
    for day in days:
        if day.date in stored:
            result.skipped.append(stored[day.date])
            continue
        # Field checks only: the dates were just compared under the calendar's lock,
        # and the calendar is the organisation's own.
        day.clean_fields(exclude=["organisation", "calendar"])
        result.created.append(day)
        stored[day.date] = day
    with unique_race_as_validation(ClosedDay):
        ClosedDay.objects.bulk_create(result.created)
    entries = [
        change_entry(
            instance=day,
            action=ChangeAction.CREATE,
            by=by,
            after=snapshot(day),
            reason=reason,
            parent=calendar,
        )
        for day in result.created
    ]
    change_records_insert([entry for entry in entries if entry is not None])
    return result
