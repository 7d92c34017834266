"""Business calendars: the service hours agreements and clocks are measured on.

A calendar has windows per ISO weekday (several per day: lunch breaks, split
shifts), a time zone and closed days (Dutch public holidays copied from the
``holidays`` package into editable rows with an active flag, extra closing days,
days imported from a holiday feed). :meth:`BusinessCalendar.as_business_time`
turns it into the pure-Python :class:`stuurwiel.calendars.businesstime.Calendar`
that measures business durations.
"""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from stuurwiel.calendars.businesstime import DEFAULT_TIME_ZONE, Calendar
from stuurwiel.calendars.choices import ClosedDayKind, Weekday
from stuurwiel.core.models import OrganisationOwnedModel

MINUTES_PER_DAY = 24 * 60


def validate_time_zone(value: str) -> None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValidationError(
            _("Unknown time zone “{value}” (e.g. Europe/Amsterdam).").format(value=value),
            code="unknown_time_zone",
        ) from error


def minutes_label(minutes: int) -> str:
    """``HH:MM`` of minutes since midnight (1440 is 24:00)."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


_CLOCK = re.compile(r"^(\d{1,2})[:.](\d{2})$")


def minutes_from_label(value: str, *, end: bool) -> int:
    """Minutes since midnight of ``HH:MM`` (``H:MM`` and the Dutch ``HH.MM`` too);
    only an end may be 24:00. A ``ValidationError`` says what a time looks like."""
    match = _CLOCK.match(str(value).strip())
    hours, minutes = (int(match[1]), int(match[2])) if match else (-1, -1)
    if not match or minutes > 59 or hours > 24 or (hours == 24 and minutes):
        raise ValidationError(_("Enter a time of day as HH:MM, e.g. 08:30."), code="invalid_time")
    if hours == 24 and not end:
        raise ValidationError(
            _("24:00 can only be the end of a window; a window starts at 23:59 at the latest."),
            code="midnight_start",
        )
    return hours * 60 + minutes


def hours_summary(windows: dict[int, list[tuple[int, int]]]) -> str:
    """Service hours in a line a manager reads: weekdays with the same windows
    grouped, e.g. "Monday–Friday 08:30–12:00, 13:00–17:00; Saturday 10:00–14:00"."""
    groups: list[tuple[list[int], tuple[tuple[int, int], ...]]] = []
    for weekday in range(1, 8):
        spans = tuple(sorted(windows.get(weekday, ())))
        if groups and groups[-1][1] == spans and groups[-1][0][-1] == weekday - 1:
            groups[-1][0].append(weekday)
        else:
            groups.append(([weekday], spans))
    parts = []
    for days, spans in groups:
        if not spans:
            continue
        first, last = Weekday(days[0]).label, Weekday(days[-1]).label
        label = str(first) if len(days) == 1 else f"{first}–{last}"
        hours = ", ".join(f"{minutes_label(s)}–{minutes_label(e)}" for s, e in spans)
        parts.append(f"{label} {hours}")
    return "; ".join(parts) or str(_("no service hours"))


class BusinessCalendar(OrganisationOwnedModel):
    """Service hours: the windows per weekday and the closed days of one calendar."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    time_zone = models.CharField(
        _("time zone"),
        max_length=60,
        default=DEFAULT_TIME_ZONE,
        validators=[validate_time_zone],
        help_text=_("The zone the service hours are in, e.g. Europe/Amsterdam."),
    )

    url_namespace = "calendars"
    url_prefix = "calendar"
    writable_fields = ("name", "description", "time_zone")

    class Meta:
        ordering = ["name"]
        verbose_name = _("business calendar")
        verbose_name_plural = _("business calendars")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="calendar_unique_name")
        ]
        indexes = [models.Index(fields=["organisation", "name", "id"], name="calendar_org_name")]

    def __str__(self) -> str:
        return self.name

    def as_business_time(self) -> Calendar:
        """The calendar as the business-time module measures it (active closed days
        only). Prefetch ``windows`` and ``closed_days`` when doing this for many."""
        windows: dict[int, list[tuple[str, str]]] = {}
        for window in self.windows.all():
            windows.setdefault(window.weekday, []).append(
                (minutes_label(window.start_minute), minutes_label(window.end_minute))
            )
        closed = [day.date for day in self.closed_days.all() if day.active]
        return Calendar(windows, time_zone=self.time_zone, closed=closed)

    @property
    def hours_summary(self) -> str:
        """The windows in one line (see :func:`hours_summary`); prefetch ``windows``."""
        spans: dict[int, list[tuple[int, int]]] = {}
        for window in self.windows.all():
            spans.setdefault(window.weekday, []).append((window.start_minute, window.end_minute))
        return hours_summary(spans)


class ServiceWindow(OrganisationOwnedModel):
    """One window of service hours on a weekday, in minutes since local midnight
    (an end of 1440 is 24:00). Windows of one weekday may not overlap."""

    calendar = models.ForeignKey(
        BusinessCalendar,
        on_delete=models.CASCADE,
        related_name="windows",
        verbose_name=_("calendar"),
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start_minute = models.PositiveSmallIntegerField(
        _("from"), validators=[MaxValueValidator(MINUTES_PER_DAY - 1)]
    )
    end_minute = models.PositiveSmallIntegerField(
        _("until"), validators=[MinValueValidator(1), MaxValueValidator(MINUTES_PER_DAY)]
    )

    url_namespace = "calendars"
    url_prefix = "window"
    changelog_parent_field = "calendar"
    writable_fields = ("calendar", "weekday", "start_minute", "end_minute")

    class Meta:
        ordering = ["calendar", "weekday", "start_minute"]
        verbose_name = _("service window")
        verbose_name_plural = _("service windows")
        indexes = [models.Index(fields=["organisation", "calendar"], name="window_org_calendar")]

    def __str__(self) -> str:
        start, end = minutes_label(self.start_minute), minutes_label(self.end_minute)
        return f"{self.get_weekday_display()} {start}–{end}"

    @property
    def start_label(self) -> str:
        return minutes_label(self.start_minute)

    @property
    def end_label(self) -> str:
        return minutes_label(self.end_minute)

    def clean(self) -> None:
        super().clean()
        if self.start_minute is None or self.end_minute is None:
            return
        if self.end_minute <= self.start_minute:
            raise ValidationError(
                {"end_minute": _("A window ends after it starts.")}, code="inverted_window"
            )
        if self.calendar_id is None:
            return
        overlapping = (
            ServiceWindow.objects.filter(calendar_id=self.calendar_id, weekday=self.weekday)
            .exclude(pk=self.pk)
            .filter(start_minute__lt=self.end_minute, end_minute__gt=self.start_minute)
            .first()
        )
        if overlapping is not None:
            raise ValidationError(
                {
                    "start_minute": _("This window overlaps {window} on the same day.").format(
                        window=overlapping
                    )
                },
                code="overlapping_windows",
            )


class ClosedDay(OrganisationOwnedModel):
    """A day the calendar is closed: a public holiday, an extra closing day or a
    day from a holiday feed. Inactive rows are kept (Goede Vrijdag is not everyone's
    day off) and do not close the calendar."""

    calendar = models.ForeignKey(
        BusinessCalendar,
        on_delete=models.CASCADE,
        related_name="closed_days",
        verbose_name=_("calendar"),
    )
    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=10, choices=ClosedDayKind.choices, default=ClosedDayKind.CLOSING
    )
    active = models.BooleanField(
        _("closed"), default=True, help_text=_("Whether the service is closed on this day.")
    )

    url_namespace = "calendars"
    changelog_parent_field = "calendar"
    writable_fields = ("calendar", "date", "name", "kind", "active")

    class Meta:
        ordering = ["calendar", "date"]
        verbose_name = _("closed day")
        verbose_name_plural = _("closed days")
        constraints = [
            models.UniqueConstraint(fields=["calendar", "date"], name="closed_day_unique_date")
        ]
        indexes = [
            models.Index(fields=["organisation", "calendar", "date"], name="closed_org_date")
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"

    def clean(self) -> None:
        super().clean()
        # The unique constraint would say so too, but for the form as a whole; this
        # names the field (and, once it has, the constraint is not checked again).
        if self.calendar_id is None or self.date is None:
            return
        other = (
            ClosedDay.objects.filter(calendar_id=self.calendar_id, date=self.date)
            .exclude(pk=self.pk)
            .first()
        )
        if other is not None:
            message = _("This calendar already has a closed day on this date: {name}.")
            raise ValidationError(
                {"date": message.format(name=other.name)}, code="duplicate_closed_day"
            )
