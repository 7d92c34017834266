"""Writes of business calendars: windows that overlap or end before they start are
refused on the field, holidays are copied once with their defaults, everything logs."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from stuurwiel.calendars import selectors, services
from stuurwiel.calendars.businesstime import business_duration
from stuurwiel.calendars.choices import ClosedDayKind
from stuurwiel.calendars.models import BusinessCalendar, ClosedDay, ServiceWindow
from stuurwiel.changelog.models import ChangeLogEntry
from stuurwiel.core.exceptions import ConflictError
from stuurwiel.organisations.access import AccessDenied

pytestmark = pytest.mark.django_db


def _window(calendar, by, weekday, start, end):
    return services.window_create(
        organisation=calendar.organisation,
        by=by,
        data={"calendar": calendar, "weekday": weekday, "start_minute": start, "end_minute": end},
    )


def test_a_window_that_overlaps_another_on_the_same_day_is_refused_on_its_start(
    calendar, manager_a
):
    _window(calendar, manager_a, 1, 510, 720)
    with pytest.raises(ValidationError) as refused:
        _window(calendar, manager_a, 1, 690, 900)
    assert "start_minute" in refused.value.message_dict
    assert "08:30–12:00" in refused.value.message_dict["start_minute"][0]
    assert calendar.windows.count() == 1


def test_a_window_that_ends_before_it_starts_is_refused_on_its_end(calendar, manager_a):
    with pytest.raises(ValidationError) as refused:
        _window(calendar, manager_a, 2, 900, 600)
    assert list(refused.value.message_dict) == ["end_minute"]
    assert not calendar.windows.exists()


def test_windows_that_touch_or_lie_on_other_days_are_fine(calendar, manager_a):
    _window(calendar, manager_a, 1, 510, 720)
    _window(calendar, manager_a, 1, 720, 780)  # touches: 12:00 is where the first ends
    _window(calendar, manager_a, 2, 600, 700)
    assert calendar.windows.count() == 3


def test_a_window_may_end_at_midnight_24_00_but_not_start_there(calendar, manager_a):
    window = _window(calendar, manager_a, 6, 1320, 1440)
    assert str(window).endswith("22:00–24:00")
    with pytest.raises(ValidationError) as refused:
        _window(calendar, manager_a, 7, 1440, 1440)
    assert "start_minute" in refused.value.message_dict


def test_moving_a_window_onto_another_is_refused_and_keeps_the_stored_one(calendar, manager_a):
    _window(calendar, manager_a, 1, 510, 720)
    later = _window(calendar, manager_a, 1, 780, 1020)
    with pytest.raises(ValidationError):
        services.window_update(
            instance=later, by=manager_a, data={"start_minute": 700}, version=later.version
        )
    later.refresh_from_db()
    assert (later.start_minute, later.version) == (780, 1)


def test_the_same_window_on_several_days_is_added_for_all_or_none(calendar, manager_a):
    _window(calendar, manager_a, 3, 600, 660)
    with pytest.raises(ValidationError):
        services.windows_create(
            calendar=calendar, weekdays=[1, 2, 3], start_minute=510, end_minute=1020, by=manager_a
        )
    assert calendar.windows.count() == 1
    created = services.windows_create(
        calendar=calendar, weekdays=[1, 2, 4, 5], start_minute=510, end_minute=1020, by=manager_a
    )
    assert [w.weekday for w in created] == [1, 2, 4, 5]


def test_an_operator_may_not_add_windows(calendar, operator_a):
    with pytest.raises(AccessDenied):
        _window(calendar, operator_a, 1, 510, 720)


def _copy(calendar, by, first, last):
    return services.calendar_holidays_copy(
        calendar=calendar, first_year=first, last_year=last, by=by
    )


def test_dutch_holidays_are_copied_with_their_defaults(calendar, manager_a):
    result = _copy(calendar, manager_a, 2025, 2026)
    days = {day.date: day for day in ClosedDay.objects.filter(calendar=calendar)}
    assert len(result.created) == len(days) == 22
    assert days[date(2025, 5, 5)].active  # Bevrijdingsdag, a lustrum year
    assert not days[date(2026, 5, 5)].active
    assert days[date(2025, 4, 18)].name.lower() == "goede vrijdag"
    assert not days[date(2025, 4, 18)].active
    assert days[date(2025, 4, 26)].name == "Koningsdag"  # 27 April 2025 is a Sunday
    assert date(2025, 4, 27) not in days
    assert days[date(2026, 4, 27)].name == "Koningsdag"
    assert {day.kind for day in days.values()} == {ClosedDayKind.HOLIDAY}


def test_copying_again_adds_nothing_and_keeps_what_the_user_changed(calendar, manager_a):
    _copy(calendar, manager_a, 2025, 2025)
    good_friday = ClosedDay.objects.get(calendar=calendar, date=date(2025, 4, 18))
    services.closed_day_set_active(
        instance=good_friday, active=True, by=manager_a, version=good_friday.version
    )
    again = _copy(calendar, manager_a, 2025, 2026)
    good_friday.refresh_from_db()
    assert good_friday.active and good_friday.version == 2
    assert len(again.skipped) == 11 and len(again.created) == 11
    assert ClosedDay.objects.filter(calendar=calendar).count() == 22


def test_each_copied_holiday_is_logged_under_its_calendar(calendar, manager_a):
    result = _copy(calendar, manager_a, 2026, 2026)
    entries = ChangeLogEntry.objects.filter(action="create", parent_object_id=calendar.pk)
    assert entries.count() == len(result.created) == 11
    entry = entries.get(object_id=str(result.created[0].pk))
    assert entry.actor == manager_a and entry.after["kind"] == "holiday"


@pytest.mark.parametrize(
    "first,last,field",
    [(2026, 2025, "last_year"), (2020, 2030, "last_year"), ("twee", 2026, "first_year")],
)
def test_a_reversed_too_long_or_unreadable_year_range_is_refused(
    calendar, manager_a, first, last, field
):
    with pytest.raises(ValidationError) as refused:
        _copy(calendar, manager_a, first, last)
    assert field in refused.value.message_dict
    assert not ClosedDay.objects.exists()


def test_an_operator_may_not_copy_holidays(calendar, operator_a):
    with pytest.raises(AccessDenied):
        _copy(calendar, operator_a, 2026, 2026)
    assert not ClosedDay.objects.exists()


def test_a_second_closed_day_on_one_date_is_refused_on_the_date(calendar, manager_a):
    data = {"calendar": calendar, "date": date(2026, 12, 24), "name": "Kerstavond"}
    services.closed_day_create(organisation=calendar.organisation, by=manager_a, data=data)
    with pytest.raises(ValidationError) as refused:
        services.closed_day_create(
            organisation=calendar.organisation, by=manager_a, data={**data, "name": "Anders"}
        )
    assert list(refused.value.message_dict) == ["date"]
    assert "Kerstavond" in refused.value.message_dict["date"][0]


def test_switching_a_day_on_a_stale_version_is_a_conflict(calendar, manager_a):
    day = ClosedDay.objects.create(
        organisation=calendar.organisation, calendar=calendar, date=date(2026, 5, 5), name="B"
    )
    services.closed_day_update(instance=day, by=manager_a, data={"name": "Bevrijding"}, version=1)
    with pytest.raises(ConflictError):
        services.closed_day_set_active(instance=day, active=False, by=manager_a, version=1)
    day.refresh_from_db()
    assert day.active and day.name == "Bevrijding"


def test_the_business_calendar_closes_only_on_active_days(office, manager_a):
    _copy(office, manager_a, 2026, 2026)
    measured = selectors.business_calendar(selectors.calendar_queryset().get(pk=office.pk))
    closed = {date.fromordinal(n) for n in measured.closed_ordinals}
    assert date(2026, 4, 27) in closed  # Koningsdag
    assert date(2026, 4, 3) not in closed  # Goede Vrijdag: listed, not a day off
    assert measured.week_total == (210 + 240 + 510 + 450) * 60


def test_deleting_a_calendar_takes_its_windows_and_days_along(office, manager_a):
    _copy(office, manager_a, 2026, 2026)
    services.calendar_delete(instance=office, by=manager_a)
    assert not ServiceWindow.objects.exists() and not ClosedDay.objects.exists()


# --- Copying a calendar ------------------------------------------------------------------


def _closed(calendar, day, name, kind=ClosedDayKind.HOLIDAY, active=True):
    return ClosedDay.objects.create(
        organisation=calendar.organisation,
        calendar=calendar,
        date=day,
        name=name,
        kind=kind,
        active=active,
    )


def _rows(calendar):
    windows = sorted(calendar.windows.values_list("weekday", "start_minute", "end_minute"))
    days = sorted(calendar.closed_days.values_list("date", "name", "kind", "active"))
    return windows, days


def test_a_copy_has_the_windows_and_closed_days_with_their_active_flags(office, manager_a):
    office.time_zone = "Europe/Brussels"
    office.description = "Het loket"
    office.save()
    _closed(office, date(2026, 4, 3), "Goede Vrijdag", active=False)
    _closed(office, date(2026, 12, 25), "Eerste Kerstdag")
    _closed(office, date(2026, 12, 24), "Kerstavond", kind=ClosedDayKind.CLOSING)
    copied = services.calendar_copy(calendar=office, name="Kantooruren zomer", by=manager_a)
    copy = copied.calendar
    assert copy.pk != office.pk and copy.name == "Kantooruren zomer"
    assert (copy.time_zone, copy.description) == ("Europe/Brussels", "Het loket")
    assert _rows(copy) == _rows(office)
    assert len(copied.windows) == 4 and len(copied.closed_days) == 3
    assert not copy.closed_days.get(name="Goede Vrijdag").active
    # The copy measures the same business time; the original is untouched.
    start = datetime(2026, 3, 30, 8, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
    span = (start, start + timedelta(days=300))
    assert business_duration(copy.as_business_time(), *span) == business_duration(
        office.as_business_time(), *span
    )
    assert office.windows.count() == 4 and office.closed_days.count() == 3


def test_a_copy_is_a_calendar_of_its_own(office, manager_a):
    copy = services.calendar_copy(calendar=office, name="Avonduren", by=manager_a).calendar
    window = copy.windows.get(weekday=2)
    services.window_update(
        instance=window, by=manager_a, data={"end_minute": 1200}, version=window.version
    )
    assert office.windows.get(weekday=2).end_minute == 1020


def test_a_copy_and_each_copied_row_are_logged_with_where_they_come_from(office, manager_a):
    _closed(office, date(2026, 12, 25), "Eerste Kerstdag")
    copy = services.calendar_copy(calendar=office, name="Kopie", by=manager_a).calendar
    created = ChangeLogEntry.objects.filter(action="create", actor=manager_a)
    assert created.filter(object_id=copy.pk, parent_object_id=None).count() == 1
    parts = created.filter(parent_object_id=copy.pk)
    assert parts.count() == 5  # four windows and one closed day
    assert {entry.reason for entry in created} == {"Gekopieerd van “Kantooruren”."}
    assert not ChangeLogEntry.objects.filter(parent_object_id=office.pk).exists()


def test_a_copy_takes_a_description_and_a_reason_when_given(office, manager_a):
    copy = services.calendar_copy(
        calendar=office, name="Kopie", description="", by=manager_a, reason="Zomerrooster"
    ).calendar
    assert copy.description == ""
    assert ChangeLogEntry.objects.get(object_id=copy.pk, action="create").reason == "Zomerrooster"


@pytest.mark.parametrize("name", ["Kantooruren", " Kantooruren ", ""])
def test_a_copy_needs_a_name_of_its_own(office, manager_a, name):
    with pytest.raises(ValidationError) as refused:
        services.calendar_copy(calendar=office, name=name, by=manager_a)
    assert "name" in refused.value.message_dict
    assert BusinessCalendar.objects.filter(organisation=office.organisation).count() == 1


def test_an_operator_may_not_copy_a_calendar(office, operator_a):
    with pytest.raises(AccessDenied):
        services.calendar_copy(calendar=office, name="Kopie", by=operator_a)
    assert not ServiceWindow.objects.exclude(calendar=office).exists()
