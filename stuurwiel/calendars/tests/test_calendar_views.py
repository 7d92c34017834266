"""The calendar pages: the week grid, the inline forms, the toggle and the export;
every page that changes something is refused to an operator."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from stuurwiel.calendars.models import BusinessCalendar, ClosedDay, ServiceWindow
from stuurwiel.calendars.tests.test_feed_import import all_day, feed

pytestmark = pytest.mark.django_db


def url(name, calendar=None, **kwargs):
    if calendar is not None:
        kwargs["pk"] = calendar.pk
    return reverse(f"calendars:{name}", kwargs={"org": "alfa", **kwargs})


@pytest.fixture
def manager_client(client, manager_a):
    client.force_login(manager_a)
    return client


@pytest.fixture
def operator_client(client, operator_a):
    client.force_login(operator_a)
    return client


def test_the_list_shows_each_calendars_hours_in_one_line(manager_client, office, org_b):
    BusinessCalendar.objects.create(organisation=org_b, name="Geheime uren")
    page = manager_client.get(url("calendar_list")).content.decode()
    assert "Kantooruren" in page and "Geheime uren" not in page
    assert "08:30–12:00, 13:00–17:00" in page


def test_the_detail_page_shows_the_week_and_the_coming_closed_days(manager_client, office):
    ClosedDay.objects.create(
        organisation=office.organisation,
        calendar=office,
        date=date.today().replace(day=1).replace(year=date.today().year + 1),
        name="Volgend jaar dicht",
    )
    page = manager_client.get(url("calendar_detail", office)).content.decode()
    assert "08:30–12:00" in page and "13:00–17:00" in page and "08:30–16:00" in page
    assert "23:30" in page  # 3:30 + 4:00 + 8:30 + 7:30 hours a week
    assert "Volgend jaar dicht" in page
    assert url("calendar_windows", office) in page  # the inline form for a manager
    assert url("calendar_ical", office) in page


def test_an_operator_sees_the_calendar_but_no_forms(operator_client, office):
    page = operator_client.get(url("calendar_detail", office)).content.decode()
    assert "08:30–12:00" in page
    assert url("calendar_windows", office) not in page
    assert url("calendar_holidays", office) not in page


@pytest.mark.parametrize(
    "name", ["calendar_edit", "calendar_windows", "calendar_holidays", "calendar_feed_import"]
)
def test_an_operator_may_not_open_a_page_that_changes_a_calendar(operator_client, office, name):
    assert operator_client.get(url(name, office)).status_code == 403
    assert operator_client.post(url(name, office), {"name": "X"}).status_code == 403
    office.refresh_from_db()
    assert office.name == "Kantooruren"


def test_an_operator_may_not_add_a_window_or_a_closed_day(operator_client, office):
    assert operator_client.get(url("window_add")).status_code == 403
    assert operator_client.get(url("closedday_add")).status_code == 403


def test_the_inline_form_adds_a_window_on_each_chosen_day(manager_client, calendar):
    response = manager_client.post(
        url("calendar_windows", calendar),
        {"weekdays": ["1", "2", "3"], "start_minute": "8.30", "end_minute": "17:00"},
    )
    assert response.status_code == 302
    assert list(calendar.windows.values_list("weekday", "start_minute", "end_minute")) == [
        (1, 510, 1020),
        (2, 510, 1020),
        (3, 510, 1020),
    ]


def test_an_overlapping_window_is_refused_on_the_field_in_dutch(manager_client, office):
    with translation.override("nl"):
        response = manager_client.post(
            url("calendar_windows", office),
            {"weekdays": ["1"], "start_minute": "11:00", "end_minute": "14:00"},
            HTTP_ACCEPT_LANGUAGE="nl",
        )
    assert response.status_code == 400
    form = response.context["form"]
    assert "start_minute" in form.errors
    assert "overlapt" in form.errors["start_minute"][0]
    assert office.windows.count() == 4


def test_an_inverted_or_unreadable_time_is_refused_on_its_field(manager_client, calendar):
    inverted = manager_client.post(
        url("window_add"),
        {"calendar": calendar.pk, "weekday": 1, "start_minute": "17:00", "end_minute": "09:00"},
    )
    assert inverted.status_code == 400 and "end_minute" in inverted.context["form"].errors
    unreadable = manager_client.post(
        url("window_add"),
        {"calendar": calendar.pk, "weekday": 1, "start_minute": "negen", "end_minute": "25:00"},
    )
    errors = unreadable.context["form"].errors
    assert unreadable.status_code == 400 and {"start_minute", "end_minute"} <= set(errors)
    assert not calendar.windows.exists()


def test_a_window_may_be_saved_until_24_00_and_leads_back_to_its_calendar(manager_client, calendar):
    response = manager_client.post(
        url("window_add"),
        {"calendar": calendar.pk, "weekday": 6, "start_minute": "20:00", "end_minute": "24:00"},
    )
    assert response.status_code == 302
    assert response["Location"] == calendar.get_absolute_url() + "#week"
    assert calendar.windows.get().end_minute == 1440


def test_a_second_edit_of_a_window_shows_both_versions_in_hh_mm(manager_client, office):
    window = office.windows.get(weekday=2)
    edit = url("window_edit", pk=window.pk)
    form = manager_client.get(edit).context["form"]
    assert form["end_minute"].value() == "17:00"
    started = form["started_from"].value()
    first = manager_client.post(
        edit,
        {
            "weekday": 2,
            "start_minute": "08:30",
            "end_minute": "18:00",
            "version": 1,
            "started_from": started,
        },
    )
    second = manager_client.post(
        edit,
        {
            "weekday": 2,
            "start_minute": "09:00",
            "end_minute": "17:00",
            "version": 1,
            "started_from": started,
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert first.status_code == 302 and second.status_code == 409
    rows = {row.label: row for row in second.context["conflict"]["rows"]}
    assert rows["Until"].theirs == "18:00" and rows["From"].yours == "09:00"
    kept = second.context["form"]
    assert kept["start_minute"].value() == "09:00" and kept["end_minute"].value() == "18:00"
    window.refresh_from_db()
    assert (window.start_minute, window.end_minute) == (510, 1080)


def test_holidays_are_copied_from_the_page(manager_client, calendar):
    response = manager_client.post(
        url("calendar_holidays", calendar), {"first_year": 2025, "last_year": 2025}, follow=True
    )
    assert response.status_code == 200
    assert ClosedDay.objects.filter(calendar=calendar).count() == 11
    again = manager_client.post(
        url("calendar_holidays", calendar), {"first_year": 2025, "last_year": 2025}, follow=True
    )
    assert "2025-01-01, 2025-04-18" in again.content.decode()  # the skipped dates are named


def test_a_feed_is_imported_from_the_page_and_a_broken_one_writes_nothing(manager_client, calendar):
    good = SimpleUploadedFile("vrij.ics", feed(all_day("20261224", "Kerstavond")))
    assert (
        manager_client.post(url("calendar_feed_import", calendar), {"file": good}).status_code
        == 302
    )
    broken = SimpleUploadedFile("kapot.ics", b"dit is geen agenda")
    response = manager_client.post(url("calendar_feed_import", calendar), {"file": broken})
    assert response.status_code == 400 and "file" in response.context["form"].errors
    assert list(ClosedDay.objects.values_list("name", flat=True)) == ["Kerstavond"]


def test_the_toggle_opens_a_day_and_refuses_a_stale_one(manager_client, calendar):
    day = ClosedDay.objects.create(
        organisation=calendar.organisation, calendar=calendar, date=date(2026, 4, 3), name="GV"
    )
    toggle = url("closedday_toggle", pk=day.pk)
    assert manager_client.post(toggle, {"active": "0", "version": 1}).status_code == 302
    day.refresh_from_db()
    assert not day.active and day.version == 2
    stale = manager_client.post(
        toggle, {"active": "1", "version": 1}, follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    day.refresh_from_db()
    assert not day.active
    assert "version 2" in stale.content.decode()


def test_an_operator_may_not_toggle_a_day(operator_client, calendar):
    day = ClosedDay.objects.create(
        organisation=calendar.organisation, calendar=calendar, date=date(2026, 4, 3), name="GV"
    )
    response = operator_client.post(url("closedday_toggle", pk=day.pk), {"active": "0"})
    assert response.status_code == 403
    day.refresh_from_db()
    assert day.active


def test_the_export_is_an_ics_file_and_a_bad_range_a_clear_400(manager_client, office):
    response = manager_client.get(url("calendar_ical", office))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response.content.startswith(b"BEGIN:VCALENDAR")
    assert 'filename="kantooruren.ics"' in response["Content-Disposition"]
    bad = manager_client.get(url("calendar_ical", office) + "?first=2026-13-01")
    assert bad.status_code == 400 and "JJJJ-MM-DD" in bad.content.decode()  # in Dutch first


def test_deleting_a_window_leads_back_to_the_calendar(manager_client, office):
    window = office.windows.first()
    response = manager_client.post(url("window_delete", pk=window.pk))
    assert response["Location"].endswith("#week")
    assert not ServiceWindow.objects.filter(pk=window.pk).exists()


def test_a_calendar_is_copied_from_its_page_and_the_copy_opens(manager_client, office):
    ClosedDay.objects.create(
        organisation=office.organisation,
        calendar=office,
        date=date(2026, 4, 3),
        name="Goede Vrijdag",
        active=False,
    )
    assert (
        url("calendar_copy", office)
        in manager_client.get(url("calendar_detail", office)).content.decode()
    )
    form = manager_client.get(url("calendar_copy", office))
    assert form.status_code == 200
    assert form.context["copy_form"]["name"].value() == "Kantooruren (kopie)"
    response = manager_client.post(url("calendar_copy", office), {"name": "Zomeruren"}, follow=True)
    copy = BusinessCalendar.objects.get(name="Zomeruren")
    assert response.redirect_chain[-1][0] == copy.get_absolute_url()
    page = response.content.decode()
    assert "4 tijdvakken" in page and "1 sluitingsdag" in page
    assert copy.windows.count() == 4 and not copy.closed_days.get().active


def test_a_copy_under_a_name_in_use_is_refused_on_the_name(manager_client, office):
    response = manager_client.post(url("calendar_copy", office), {"name": "Kantooruren"})
    assert response.status_code == 400
    assert response.context["form"].errors["name"]
    assert BusinessCalendar.objects.count() == 1


def test_an_operator_may_not_copy_a_calendar_from_its_page(operator_client, office):
    assert (
        url("calendar_copy", office)
        not in operator_client.get(url("calendar_detail", office)).content.decode()
    )
    assert operator_client.get(url("calendar_copy", office)).status_code == 403
    assert operator_client.post(url("calendar_copy", office), {"name": "Kopie"}).status_code == 403
    assert BusinessCalendar.objects.count() == 1


def test_the_hours_form_shows_the_format_not_a_time_that_looks_filled_in(manager_client, office):
    page = manager_client.get(url("calendar_detail", office)).content.decode()
    assert page.count('placeholder="uu:mm"') == 2
    assert 'placeholder="08:30"' not in page
