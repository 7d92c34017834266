"""Reads for business calendars: querysets for the pages, the week grid, the
business-time calendar the clocks measure on, and the iCalendar export."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from stuurwiel.calendars import ical
from stuurwiel.calendars.businesstime import Calendar
from stuurwiel.calendars.choices import Weekday
from stuurwiel.calendars.models import (
    MINUTES_PER_DAY,
    BusinessCalendar,
    ClosedDay,
    ServiceWindow,
    minutes_label,
)

#: The longest stretch one export covers.
MAX_EXPORT_DAYS = 3 * 366


def calendar_queryset() -> QuerySet[BusinessCalendar]:
    """Calendars with their windows and closed days (what the detail page, the
    export and :func:`business_calendar` read), ordered like the list index."""
    return (
        BusinessCalendar.objects.select_related("organisation")
        .prefetch_related(
            Prefetch("windows", queryset=ServiceWindow.objects.order_by("weekday", "start_minute")),
            Prefetch("closed_days", queryset=ClosedDay.objects.order_by("date")),
        )
        .order_by("name", "id")
    )


def calendar_list_queryset() -> QuerySet[BusinessCalendar]:
    """Calendars with their windows (for the hours summary) and ``closed_day_count``,
    the closed days that close the service, counted for the page's rows only."""
    closed = (
        ClosedDay.objects.filter(calendar=OuterRef("pk"), active=True)
        .order_by()
        .values("calendar")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        BusinessCalendar.objects.select_related("organisation")
        .prefetch_related(
            Prefetch("windows", queryset=ServiceWindow.objects.order_by("weekday", "start_minute"))
        )
        .annotate(closed_day_count=Coalesce(Subquery(closed, output_field=IntegerField()), 0))
        .order_by("name", "id")
    )


def window_queryset() -> QuerySet[ServiceWindow]:
    return ServiceWindow.objects.select_related("organisation", "calendar").order_by(
        "calendar__name", "calendar_id", "weekday", "start_minute", "id"
    )


def closed_day_queryset() -> QuerySet[ClosedDay]:
    return ClosedDay.objects.select_related("organisation", "calendar").order_by(
        "date", "calendar__name", "id"
    )


def business_calendar(calendar: BusinessCalendar) -> Calendar:
    """The calendar as :mod:`~stuurwiel.calendars.businesstime` measures it."""
    return calendar.as_business_time()


def calendar_today(calendar: BusinessCalendar) -> date:
    """Today in the calendar's own zone (after 23:00 UTC it is tomorrow in Amsterdam)."""
    return timezone.now().astimezone(ZoneInfo(calendar.time_zone)).date()


# --- The week grid ----------------------------------------------------------------------


@dataclass(frozen=True)
class GridWindow:
    window: ServiceWindow
    label: str  # "08:30–12:00"
    left: float  # where it starts, in percent of the day
    width: float  # its length, in percent of the day


@dataclass(frozen=True)
class GridDay:
    weekday: int
    label: str
    windows: list[GridWindow]
    minutes: int

    @property
    def hours(self) -> str:
        """The day's service time as "7:30" (hours:minutes)."""
        return f"{self.minutes // 60}:{self.minutes % 60:02d}"


def calendar_week(calendar: BusinessCalendar) -> list[GridDay]:
    """Monday to Sunday with the windows of each day, placed on a 24-hour bar."""
    by_day: dict[int, list[ServiceWindow]] = {}
    for window in calendar.windows.all():
        by_day.setdefault(window.weekday, []).append(window)
    days = []
    for weekday in Weekday:
        windows = sorted(by_day.get(weekday.value, []), key=lambda w: w.start_minute)
        days.append(
            GridDay(
                weekday=weekday.value,
                label=str(weekday.label),
                windows=[
                    GridWindow(
                        window=w,
                        label=f"{minutes_label(w.start_minute)}–{minutes_label(w.end_minute)}",
                        left=round(100 * w.start_minute / MINUTES_PER_DAY, 3),
                        width=round(100 * (w.end_minute - w.start_minute) / MINUTES_PER_DAY, 3),
                    )
                    for w in windows
                ],
                minutes=sum(w.end_minute - w.start_minute for w in windows),
            )
        )
    return days


def week_minutes(days: list[GridDay]) -> int:
    return sum(day.minutes for day in days)


def upcoming_closed_days(
    calendar: BusinessCalendar, *, first: date | None = None, days: int = 366
) -> list[ClosedDay]:
    """The closed days (active or not) from ``first`` (today) for ``days`` days,
    from the prefetched ``closed_days``."""
    first = first or calendar_today(calendar)
    last = first + timedelta(days=days - 1)
    return [day for day in calendar.closed_days.all() if first <= day.date <= last]


# --- Export -------------------------------------------------------------------------------


def export_range(
    calendar: BusinessCalendar, first: date | None, last: date | None
) -> tuple[date, date]:
    """The export's first and last day: today and a year on by default. Raises
    ``ValueError`` for a range that is reversed or longer than three years."""
    first = first or calendar_today(calendar)
    last = last or first + timedelta(days=365)
    if last < first or (last - first).days > MAX_EXPORT_DAYS:
        raise ValueError("export range")
    return first, last


def calendar_ical(
    calendar: BusinessCalendar, first: date | None = None, last: date | None = None
) -> bytes:
    """The service hours from ``first`` to ``last`` as an iCalendar file: a weekly
    event per window, the active closed days as exceptions and as all-day events
    (why both: :mod:`stuurwiel.calendars.ical`)."""
    first, last = export_range(calendar, first, last)
    slug = calendar.organisation.slug
    windows = [
        ical.ExportWindow(
            uid=f"window-{w.pk}@{slug}.stuurwiel",
            weekday=w.weekday,
            start_minute=w.start_minute,
            end_minute=w.end_minute,
        )
        for w in calendar.windows.all()
    ]
    closed = [
        ical.ExportClosedDay(uid=f"closed-{d.pk}@{slug}.stuurwiel", date=d.date, name=d.name)
        for d in calendar.closed_days.all()
        if d.active
    ]
    return ical.service_hours_ical(
        name=calendar.name,
        time_zone=calendar.time_zone,
        windows=windows,
        closed=closed,
        first=first,
        last=last,
        stamp=timezone.now().replace(microsecond=0),
    )


def ical_filename(calendar: BusinessCalendar) -> str:
    """A file name for the export: the calendar's name in safe characters."""
    safe = "".join(c if c.isalnum() else "-" for c in calendar.name.lower()).strip("-")
    return f"{safe or 'calendar'}.ics"
