"""Persons, suppliers and stakeholders: every write through the web pages and the
API lands in the change log, with who, where from, and before/after values."""

import pytest
from django.urls import reverse

from stuurwiel.changelog.models import ChangeLogEntry
from stuurwiel.parties.models import Person, Stakeholder, Supplier

pytestmark = pytest.mark.django_db

KINDS = {
    "person": (
        Person,
        "persons",
        {"name": "Fatima El Amrani", "email": "f.elamrani@alfa.nl", "job_title": "Adviseur"},
        {"job_title": "Senior adviseur"},
    ),
    "supplier": (
        Supplier,
        "suppliers",
        {"name": "Centric", "contract_reference": "C-2026-01", "contact_email": "s@centric.nl"},
        {"contact_name": "Sanne de Boer"},
    ),
    "stakeholder": (
        Stakeholder,
        "stakeholders",
        {"name": "Inwoners", "category": "people", "interest": "high", "influence": "medium"},
        {"influence": "high"},
    ),
}


def url(kind, action, **kwargs):
    return reverse(f"parties:{kind}_{action}", kwargs={"org": "alfa", **kwargs})


def _log(obj_id):
    return list(
        ChangeLogEntry.objects.filter(object_id=str(obj_id))
        .order_by("id")
        .values_list("action", "source", "actor__username")
    )


@pytest.mark.parametrize("kind", KINDS)
def test_create_update_delete_via_the_pages_are_logged(client_a, org_a, kind):
    model, _, create, update = KINDS[kind]
    created = client_a.post(url(kind, "add"), {**create, "change_reason": "Intake"})
    obj = model.objects.get(organisation=org_a, name=create["name"])
    assert created.status_code == 302 and created["Location"] == obj.get_absolute_url()

    assert client_a.get(obj.get_absolute_url()).status_code == 200
    updated = client_a.post(url(kind, "edit", pk=obj.pk), {**create, **update, "version": 1})
    assert updated.status_code == 302
    obj.refresh_from_db()
    assert obj.version == 2
    assert all(getattr(obj, field) == value for field, value in update.items())

    history = client_a.get(url(kind, "history", pk=obj.pk))
    assert history.status_code == 200 and "Intake" in history.content.decode()

    deleted = client_a.post(url(kind, "delete", pk=obj.pk), {"version": 2})
    assert deleted.status_code == 302 and not model.objects.filter(pk=obj.pk).exists()

    assert _log(obj.pk) == [
        ("create", "ui", "admin-a"),
        ("update", "ui", "admin-a"),
        ("delete", "ui", "admin-a"),
    ]
    update_entry = ChangeLogEntry.objects.get(object_id=str(obj.pk), action="update")
    assert set(update_entry.after) == set(update)
    assert (
        ChangeLogEntry.objects.get(object_id=str(obj.pk), action="delete").before["name"]
        == (create["name"])
    )


@pytest.mark.parametrize("kind", KINDS)
def test_create_update_delete_via_the_api_are_logged(api_client, admin_a, kind):
    model, path, create, update = KINDS[kind]
    api = api_client(admin_a)
    base = f"/api/o/alfa/parties/{path}/"
    created = api.post(base, create, format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    updated = api.patch(f"{base}{pk}/", {**update, "version": 1}, format="json")
    assert updated.status_code == 200 and updated.json()["version"] == 2
    assert api.delete(f"{base}{pk}/").status_code == 204
    assert not model.objects.filter(pk=pk).exists()
    assert _log(pk) == [
        ("create", "api", "admin-a"),
        ("update", "api", "admin-a"),
        ("delete", "api", "admin-a"),
    ]


@pytest.mark.parametrize("kind", KINDS)
def test_auditor_cannot_write_via_pages_or_api(client, api_client, auditor_a, org_a, kind):
    model, path, create, _ = KINDS[kind]
    client.force_login(auditor_a)
    assert client.get(url(kind, "add")).status_code == 403
    assert client.post(url(kind, "add"), create).status_code == 403
    assert (
        api_client(auditor_a)
        .post(f"/api/o/alfa/parties/{path}/", create, format="json")
        .status_code
        == 403
    )
    assert not model.objects.exists() and not ChangeLogEntry.objects.exists()


def test_person_in_a_team_of_another_organisation_is_refused(client_a, org_b):
    from stuurwiel.parties.models import Team

    foreign = Team.objects.create(organisation=org_b, name="Team Geheim")
    response = client_a.post(url("person", "add"), {"name": "X", "team": foreign.pk})
    assert response.status_code == 400 and not Person.objects.filter(name="X").exists()


def test_stakeholder_contact_of_another_organisation_is_refused_by_the_api(
    api_client, admin_a, org_b
):
    stranger = Person.objects.create(organisation=org_b, name="Vreemde")
    response = api_client(admin_a).post(
        "/api/o/alfa/parties/stakeholders/",
        {**KINDS["stakeholder"][2], "contact": stranger.pk},
        format="json",
    )
    assert response.status_code == 400 and "contact" in response.json()


def test_deleting_a_person_logs_what_lost_its_reference(org_a, admin_a):
    from stuurwiel.graph.models import Element
    from stuurwiel.parties import services
    from stuurwiel.parties.models import Team

    person = Person.objects.create(organisation=org_a, name="Piet Vertrekt")
    team = Team.objects.create(organisation=org_a, name="Team Wmo", coordinator=person)
    element = Element.objects.create(
        organisation=org_a, name="Doel", element_type="goal", owner=person
    )
    services.person_delete(instance=person, by=admin_a, version=1, reason="Uit dienst")
    team.refresh_from_db()
    element.refresh_from_db()
    assert team.coordinator is None and team.version == 2
    assert element.owner is None and element.version == 2
    for obj, field in ((team, "coordinator"), (element, "owner")):
        entry = ChangeLogEntry.objects.get(
            object_id=str(obj.pk), action="update", content_type__model=obj._meta.model_name
        )
        assert entry.before[field] == person.pk and entry.after[field] is None
        assert entry.reason == "Uit dienst" and entry.actor == admin_a


def test_delete_page_says_what_else_changes(client_a, org_a):
    from stuurwiel.graph.models import Element
    from stuurwiel.parties.models import Team

    person = Person.objects.create(organisation=org_a, name="Piet Vertrekt")
    Team.objects.create(organisation=org_a, name="Team Wmo", coordinator=person)
    for name in ("Doel", "Middel"):
        Element.objects.create(organisation=org_a, name=name, element_type="goal", owner=person)
    page = client_a.get(url("person", "delete", pk=person.pk)).content.decode()
    assert "<strong>1 team</strong> (teamcoördinator)" in page
    assert "<strong>2 elementen</strong> (eigenaar)" in page
    assert "verliest deze verwijzing (staat in zijn geschiedenis)" in page  # the one team
    assert "verliezen deze verwijzing (staat in hun geschiedenis)" in page  # both elements
    lone = Person.objects.create(organisation=org_a, name="Alleen")
    assert "consequences" not in client_a.get(url("person", "delete", pk=lone.pk)).content.decode()
