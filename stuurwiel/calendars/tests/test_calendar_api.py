"""The calendar API: windows as HH:MM, errors as JSON on the field that is wrong,
versions on every update, and the holidays, feed and iCalendar actions."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from stuurwiel.calendars.models import BusinessCalendar, ClosedDay, ServiceWindow
from stuurwiel.calendars.tests.test_feed_import import all_day, feed

pytestmark = pytest.mark.django_db
BASE = "/api/o/alfa/calendars"


@pytest.fixture
def api(api_client, manager_a):
    return api_client(manager_a)


def _window(api, calendar, start, end, weekday=1):
    return api.post(
        f"{BASE}/windows/",
        {"calendar": calendar.pk, "weekday": weekday, "start": start, "end": end},
        format="json",
    )


def test_a_window_is_written_and_read_as_hh_mm(api, calendar):
    created = _window(api, calendar, "08:30", "24:00")
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["start"], body["end"], body["version"]) == ("08:30", "24:00", 1)
    assert ServiceWindow.objects.get().end_minute == 1440
    read = api.get(f"{BASE}/windows/{body['id']}/")
    assert read.json()["start"] == "08:30" and read["ETag"] == '"1"'


def test_an_overlapping_window_is_refused_as_json_on_start(api, office):
    refused = _window(api, office, "11:00", "14:00")
    assert refused.status_code == 400
    assert refused["Content-Type"].startswith("application/json")
    assert list(refused.json()) == ["start"]
    assert "08:30–12:00" in refused.json()["start"][0]


def test_an_inverted_window_is_refused_on_end_and_a_bad_time_on_its_field(api, calendar):
    inverted = _window(api, calendar, "17:00", "09:00")
    assert inverted.status_code == 400 and list(inverted.json()) == ["end"]
    unreadable = _window(api, calendar, "24:00", "25:00")
    assert unreadable.status_code == 400 and set(unreadable.json()) == {"start", "end"}
    assert not ServiceWindow.objects.exists()


def test_updating_a_window_needs_the_version_read(api, office):
    window = office.windows.get(weekday=2)
    path = f"{BASE}/windows/{window.pk}/"
    missing = api.patch(path, {"end": "18:00"}, format="json")
    assert missing.status_code == 400 and "version" in missing.json()
    ok = api.patch(path, {"end": "18:00", "version": 1}, format="json")
    assert ok.status_code == 200 and ok.json()["end"] == "18:00"
    stale = api.patch(path, {"end": "19:00", "version": 1}, format="json")
    assert stale.status_code == 409 and stale.json()["current_version"] == 2


def test_the_calendar_list_gives_the_hours_in_one_line(api, office):
    response = api.get(f"{BASE}/calendars/", HTTP_ACCEPT_LANGUAGE="en")
    [calendar] = response.json()["results"]
    assert calendar["hours_summary"] == (
        "Monday 08:30–12:00, 13:00–17:00; Tuesday 08:30–17:00; Friday 08:30–16:00"
    )


def test_holidays_are_copied_through_the_api(api, calendar):
    response = api.post(
        f"{BASE}/calendars/{calendar.pk}/holidays/",
        {"first_year": 2026, "last_year": 2026},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert len(response.json()["created"]) == 11 and response.json()["skipped"] == []
    again = api.post(
        f"{BASE}/calendars/{calendar.pk}/holidays/",
        {"first_year": 2026, "last_year": 2026},
        format="json",
    )
    assert len(again.json()["skipped"]) == 11
    bad = api.post(
        f"{BASE}/calendars/{calendar.pk}/holidays/",
        {"first_year": 2026, "last_year": 2020},
        format="json",
    )
    assert bad.status_code == 400 and "last_year" in bad.json()


def test_a_feed_is_imported_through_the_api_and_a_broken_one_refused(api, calendar):
    path = f"{BASE}/calendars/{calendar.pk}/feed/"
    good = SimpleUploadedFile("vrij.ics", feed(all_day("20261231", "Oudjaar")))
    assert api.post(path, {"file": good}, format="multipart").status_code == 200
    broken = api.post(path, {"file": SimpleUploadedFile("x.ics", b"geen")}, format="multipart")
    assert broken.status_code == 400 and "file" in broken.json()
    assert list(ClosedDay.objects.values_list("name", flat=True)) == ["Oudjaar"]


def test_the_ical_action_answers_text_calendar(api, office):
    response = api.get(f"{BASE}/calendars/{office.pk}/ical/?first=2026-01-01&last=2026-03-31")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response.content.count(b"RRULE:FREQ=WEEKLY") == 4
    asked = api.get(f"{BASE}/calendars/{office.pk}/ical/", HTTP_ACCEPT="text/calendar")
    assert asked.status_code == 200
    bad = api.get(f"{BASE}/calendars/{office.pk}/ical/?first=2026-03-01&last=2026-01-01")
    assert bad.status_code == 400 and "first" in bad.json()


def test_an_operator_reads_but_may_not_write(api_client, operator_a, office):
    api = api_client(operator_a)
    assert api.get(f"{BASE}/windows/").status_code == 200
    refused = _window(api, office, "18:00", "20:00")
    assert refused.status_code == 403 and "detail" in refused.json()
    copy = api.post(
        f"{BASE}/calendars/{office.pk}/holidays/", {"first_year": 2026, "last_year": 2026}
    )
    assert copy.status_code == 403
    assert not ClosedDay.objects.exists()


def test_a_calendar_is_copied_through_the_api(api, office):
    ClosedDay.objects.create(
        organisation=office.organisation, calendar=office, date=date(2026, 12, 25), name="Kerst"
    )
    answer = api.post(
        f"{BASE}/calendars/{office.pk}/copy/",
        {"name": "Zomeruren", "reason": "Zomerrooster"},
        format="json",
    )
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["name"] == "Zomeruren" and body["id"] != office.pk
    assert (
        body["hours_summary"] == api.get(f"{BASE}/calendars/{office.pk}/").json()["hours_summary"]
    )
    copy = BusinessCalendar.objects.get(pk=body["id"])
    assert copy.closed_days.get().name == "Kerst"


def test_a_copy_through_the_api_needs_a_free_name_and_a_calendar_of_ones_own(api, office, org_b):
    taken = api.post(f"{BASE}/calendars/{office.pk}/copy/", {"name": "Kantooruren"}, format="json")
    assert taken.status_code == 400 and "name" in taken.json()
    missing = api.post(f"{BASE}/calendars/{office.pk}/copy/", {}, format="json")
    assert missing.status_code == 400 and "name" in missing.json()
    other = BusinessCalendar.objects.create(organisation=org_b, name="Geheime uren")
    hidden = api.post(f"{BASE}/calendars/{other.pk}/copy/", {"name": "Buit"}, format="json")
    assert hidden.status_code == 404
    assert BusinessCalendar.objects.count() == 2


def test_an_operator_may_not_copy_a_calendar_through_the_api(api_client, operator_a, office):
    api = api_client(operator_a)
    refused = api.post(f"{BASE}/calendars/{office.pk}/copy/", {"name": "Kopie"}, format="json")
    assert refused.status_code == 403 and "detail" in refused.json()
    assert BusinessCalendar.objects.count() == 1
