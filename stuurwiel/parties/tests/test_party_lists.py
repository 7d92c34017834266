"""List pages and API lists: filters shared between the two, and query budgets."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stuurwiel.parties.models import Person, Stakeholder, Team

pytestmark = pytest.mark.django_db


@pytest.fixture
def stakeholders(org_a, org_b):
    for name, category in [("Inwoners", "people"), ("Natuurmonumenten", "planet")]:
        Stakeholder.objects.create(
            organisation=org_a, name=name, category=category, interest="high", influence="low"
        )
    Stakeholder.objects.create(
        organisation=org_b, name="Geheim", category="planet", interest="low", influence="low"
    )


def test_stakeholder_list_page_filters_on_category(client_a, stakeholders):
    response = client_a.get(
        reverse("parties:stakeholder_list", kwargs={"org": "alfa"}), {"category": "planet"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Natuurmonumenten" in html and "Inwoners" not in html and "Geheim" not in html


def test_stakeholder_list_filter_answers_htmx_with_the_table_only(client_a, stakeholders):
    response = client_a.get(
        reverse("parties:stakeholder_list", kwargs={"org": "alfa"}),
        {"category": "people"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert "Inwoners" in html and "Natuurmonumenten" not in html
    assert "<html" not in html


def test_stakeholder_api_filters_on_category(api_client, admin_a, stakeholders):
    response = api_client(admin_a).get("/api/o/alfa/parties/stakeholders/", {"category": "people"})
    assert [s["name"] for s in response.json()["results"]] == ["Inwoners"]


def test_invalid_category_is_reported_not_ignored(client_a, api_client, admin_a, stakeholders):
    page = client_a.get(
        reverse("parties:stakeholder_list", kwargs={"org": "alfa"}), {"category": "koning"}
    )
    api = api_client(admin_a).get("/api/o/alfa/parties/stakeholders/", {"category": "koning"})
    assert page.status_code == 200 and 'role="alert"' in page.content.decode()
    assert api.status_code == 400


def test_person_filters_on_team(api_client, admin_a, org_a):
    team = Team.objects.create(organisation=org_a, name="Team Wmo")
    Person.objects.create(organisation=org_a, name="In team", team=team)
    Person.objects.create(organisation=org_a, name="Zonder team")
    response = api_client(admin_a).get("/api/o/alfa/parties/persons/", {"team": team.pk})
    assert [p["name"] for p in response.json()["results"]] == ["In team"]


def _make_teams(org, start, count):
    for i in range(start, start + count):
        coordinator = Person.objects.create(organisation=org, name=f"Coördinator {i}")
        team = Team.objects.create(organisation=org, name=f"Team {i:02d}", coordinator=coordinator)
        Person.objects.create(organisation=org, name=f"Lid {i}", team=team)


def _queries(fetch) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = fetch()
    assert response.status_code == 200
    return len(queries)


def test_team_list_page_query_count_is_the_same_for_3_and_30_teams(client_a, org_a):
    def fetch():
        return client_a.get(reverse("parties:team_list", kwargs={"org": "alfa"}))

    _make_teams(org_a, 0, 3)
    few = _queries(fetch)
    _make_teams(org_a, 3, 27)
    response = fetch()
    assert response.content.decode().count("Coördinator") == 30
    assert _queries(fetch) == few


def test_team_api_query_count_is_the_same_for_3_and_30_teams(api_client, admin_a, org_a):
    api = api_client(admin_a)

    def fetch():
        return api.get("/api/o/alfa/parties/teams/")

    _make_teams(org_a, 0, 3)
    few = _queries(fetch)
    _make_teams(org_a, 3, 27)
    assert fetch().json()["count"] == 30
    assert _queries(fetch) == few
