import pytest
from django.urls import reverse

from stuurwiel.changelog.models import ChangeLogEntry
from stuurwiel.parties.models import Person, Team

pytestmark = pytest.mark.django_db


def test_team_list_shows_only_own_organisation(client_a, org_a, org_b):
    Team.objects.create(organisation=org_a, name="Team Burgerzaken")
    Team.objects.create(organisation=org_b, name="Team Geheim")
    response = client_a.get(reverse("parties:team_list", kwargs={"org": "alfa"}))
    assert response.status_code == 200
    assert "Team Burgerzaken" in response.content.decode()
    assert "Team Geheim" not in response.content.decode()


def test_team_create_records_change_with_reason(client_a, admin_a, org_a):
    response = client_a.post(
        reverse("parties:team_add", kwargs={"org": "alfa"}),
        {
            "name": "Team Wmo",
            "code": "WMO",
            "domain": "Sociaal Domein",
            "change_reason": "Nieuw team",
        },
    )
    team = Team.objects.get(name="Team Wmo")
    assert response.status_code == 302
    entry = ChangeLogEntry.objects.get(object_id=str(team.pk))
    assert (entry.action, entry.actor, entry.reason, entry.source) == (
        "create",
        admin_a,
        "Nieuw team",
        "ui",
    )
    assert entry.after["name"] == "Team Wmo"


def test_team_update_with_stale_version_is_refused_and_keeps_data(client_a, org_a):
    team = Team.objects.create(organisation=org_a, name="Team IT")
    url = reverse("parties:team_edit", kwargs={"org": "alfa", "pk": team.pk})
    first = client_a.post(url, {"name": "Team ICT", "version": 1})
    second = client_a.post(url, {"name": "Team Informatievoorziening", "version": 1})
    team.refresh_from_db()
    assert first.status_code == 302
    assert second.status_code == 409
    assert team.name == "Team ICT" and team.version == 2


def test_team_form_refuses_coordinator_of_other_organisation(client_a, org_a, org_b):
    stranger = Person.objects.create(organisation=org_b, name="Vreemde")
    response = client_a.post(
        reverse("parties:team_add", kwargs={"org": "alfa"}),
        {"name": "Team X", "coordinator": stranger.pk},
    )
    assert response.status_code == 400
    assert not Team.objects.filter(name="Team X").exists()


def test_auditor_cannot_open_the_add_page(client, auditor_a, org_a):
    client.force_login(auditor_a)
    response = client.get(reverse("parties:team_add", kwargs={"org": "alfa"}))
    assert response.status_code == 403


def test_team_delete_records_before_values(client_a, org_a):
    team = Team.objects.create(organisation=org_a, name="Team Weg")
    client_a.post(reverse("parties:team_delete", kwargs={"org": "alfa", "pk": team.pk}))
    entry = ChangeLogEntry.objects.get(action="delete")
    assert entry.before["name"] == "Team Weg"
    assert not Team.objects.filter(pk=team.pk).exists()
