"""The service design over the REST API: CRUD through the services, field-level
errors, the gate, status moves, approvals and the JSON exchange."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from stuurwiel.changelog.models import ChangeLogEntry
from stuurwiel.organisations.choices import Role
from stuurwiel.parties.models import Person, Stakeholder, Supplier, Team
from stuurwiel.services import exchange, gate
from stuurwiel.services.models import CanvasItem, Link, Service
from stuurwiel.services.tests.conftest import full_design

pytestmark = pytest.mark.django_db

BASE = "/api/o/alfa/services"


@pytest.fixture
def designer(make_member, org_a):
    return make_member(org_a, Role.MANAGER, username="ontwerper")


@pytest.fixture
def api(api_client, designer):
    return api_client(designer)


@pytest.fixture
def service(api, org_a):
    created = api.post(f"{BASE}/services/", {"name": "Verhuizing"}, format="json")
    assert created.status_code == 201, created.content
    return Service.objects.get(pk=created.json()["id"])


# --- Services -----------------------------------------------------------------------


def test_service_crud_goes_through_the_services_and_the_change_log(api, org_a):
    owner = Person.objects.create(organisation=org_a, name="Fatima")
    inwoners = Stakeholder.objects.create(
        organisation=org_a, name="Inwoners", category="people", interest="high", influence="low"
    )
    created = api.post(
        f"{BASE}/services/",
        {"name": "Verhuizing", "owner": owner.pk, "customers": [inwoners.pk]},
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "draft" and body["link_count"] == 0 and body["version"] == 1
    assert Service.objects.get(pk=body["id"]).subject.owner == owner
    url = f"{BASE}/services/{body['id']}/"
    updated = api.patch(
        url, {"customer_value": "Op tijd ingeschreven", "version": 1}, format="json"
    )
    assert updated.status_code == 200 and updated.json()["version"] == 2
    stale = api.patch(url, {"customer_value": "Anders", "version": 1}, format="json")
    assert stale.status_code == 409 and stale.json()["current_version"] == 2
    assert api.delete(url).status_code == 204
    sources = set(
        ChangeLogEntry.objects.filter(content_type__model="service").values_list(
            "source", flat=True
        )
    )
    assert sources == {"api"}


def test_the_status_is_read_only_outside_the_transitions(api, service):
    response = api.patch(
        f"{BASE}/services/{service.pk}/", {"status": "live", "version": 1}, format="json"
    )
    assert response.status_code == 200 and response.json()["status"] == "draft"


def test_a_service_has_one_owner_so_a_list_of_owners_is_refused(api, org_a):
    first = Person.objects.create(organisation=org_a, name="Een")
    second = Person.objects.create(organisation=org_a, name="Twee")
    response = api.post(
        f"{BASE}/services/", {"name": "Twee bazen", "owner": [first.pk, second.pk]}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["owner"]
    assert not Service.objects.exists()


def test_objects_of_another_organisation_cannot_be_chosen(api, org_b):
    stranger = Person.objects.create(organisation=org_b, name="Buitenstaander")
    response = api.post(f"{BASE}/services/", {"name": "Lek", "owner": stranger.pk}, format="json")
    assert response.status_code == 400 and "owner" in response.json()


def test_an_auditor_reads_services_but_does_not_write(api_client, auditor_a, service):
    api = api_client(auditor_a)
    assert api.get(f"{BASE}/services/").status_code == 200
    assert api.post(f"{BASE}/services/", {"name": "X"}, format="json").status_code == 403
    assert api.post(f"{BASE}/services/import/", {}, format="json").status_code == 403


# --- Parts of the design --------------------------------------------------------------------


def _crud(api, path: str, payload: dict, change: dict) -> dict:
    created = api.post(f"{BASE}/{path}/", payload, format="json")
    assert created.status_code == 201, created.content
    url = f"{BASE}/{path}/{created.json()['id']}/"
    updated = api.patch(url, {**change, "version": 1}, format="json")
    assert updated.status_code == 200, updated.content
    body = updated.json()
    assert all(body[key] == value for key, value in change.items())
    assert api.get(f"{BASE}/{path}/?service={payload['service']}").json()["count"] >= 1
    assert api.delete(url).status_code == 204
    return body


def test_canvas_items_crud(api, service):
    _crud(
        api,
        "canvas-items",
        {
            "service": service.pk,
            "section": "voorziening",
            "name": "Formulier",
            "values": {"voorziening-goederen": "Een formulier"},
        },
        {"values": {"voorziening-handelingen": "Invullen"}},
    )


def test_links_crud(api, service, org_a):
    team = Team.objects.create(organisation=org_a, name="Burgerzaken")
    _crud(
        api,
        "links",
        {"service": service.pk, "team": team.pk, "steps": ["uitvoeren-aannemen"]},
        {"position": 3, "steps": ["uitvoeren-uitvoeren"]},
    )


def test_interfaces_crud(api, service, org_a):
    link = Link.objects.create(
        organisation=org_a,
        service=service,
        team=Team.objects.create(organisation=org_a, name="Team"),
    )
    _crud(
        api,
        "interfaces",
        {
            "service": service.pk,
            "name": "Aanvraag",
            "source_kind": "customer",
            "target_link": link.pk,
        },
        {"norm_minutes": 60},
    )


def test_components_crud(api, service):
    _crud(
        api,
        "infrastructure",
        {"service": service.pk, "name": "BRP", "kind": "application"},
        {"description": "Basisregistratie"},
    )


def test_part_errors_are_field_level(api, service, org_a):
    team = Team.objects.create(organisation=org_a, name="Team")
    supplier = Supplier.objects.create(organisation=org_a, name="Lev")
    other = Service.objects.create(
        organisation=org_a,
        subject=service.subject.__class__.objects.create(
            organisation=org_a, name="Ander", kind="service"
        ),
        name="Ander",
    )
    foreign_item = CanvasItem.objects.create(
        organisation=org_a, service=other, section="voorziening", name="Van een ander"
    )
    cases = [
        ("canvas-items", {"service": service.pk, "section": "nergens", "name": "X"}, "section"),
        (
            "links",
            {"service": service.pk, "team": team.pk, "supplier": supplier.pk},
            "team",
        ),
        ("links", {"service": service.pk, "team": team.pk, "steps": ["vliegen"]}, "steps"),
        (
            "links",
            {"service": service.pk, "team": team.pk, "canvas_items": [foreign_item.pk]},
            "canvas_items",
        ),
        (
            "interfaces",
            {
                "service": service.pk,
                "name": "X",
                "source_kind": "customer",
                "target_kind": "customer",
            },
            "target_kind",
        ),
        ("infrastructure", {"service": service.pk, "name": "X", "kind": "ruimteschip"}, "kind"),
    ]
    for path, payload, field in cases:
        response = api.post(f"{BASE}/{path}/", payload, format="json")
        assert response.status_code == 400, (path, response.content)
        assert field in response.json(), (path, response.json())


def test_a_part_stays_with_its_service(api, service, org_a):
    item = CanvasItem.objects.create(
        organisation=org_a, service=service, section="voorziening", name="Formulier"
    )
    other = api.post(f"{BASE}/services/", {"name": "Ander"}, format="json").json()["id"]
    response = api.patch(
        f"{BASE}/canvas-items/{item.pk}/", {"service": other, "version": 1}, format="json"
    )
    assert response.status_code == 400 and "service" in response.json()


# --- Gate, status moves and approvals ---------------------------------------------------------


def test_the_gate_lists_its_conditions_with_codes(api, service):
    response = api.get(f"{BASE}/services/{service.pk}/gate/")
    assert response.status_code == 200
    body = response.json()
    assert body["open"] is False
    codes = [condition["code"] for condition in body["conditions"]]
    assert codes[:3] == ["definition", "canvas", "owner"]
    owner = next(c for c in body["conditions"] if c["code"] == "owner")
    assert owner["met"] is False
    assert owner["gaps"][0]["code"] == "owner_missing" and owner["gaps"][0]["group"] == "owner"
    assert owner["gaps"][0]["fix_url"].endswith(f"/services/{service.pk}/edit/")


def test_a_move_the_status_does_not_allow_is_refused_on_status(api, service):
    response = api.post(
        f"{BASE}/services/{service.pk}/transition/", {"to": "live", "version": 1}, format="json"
    )
    assert response.status_code == 400 and list(response.json()) == ["status"]


def test_starting_the_design_and_a_stale_version(api, service):
    url = f"{BASE}/services/{service.pk}/transition/"
    moved = api.post(url, {"to": "in_design", "version": 1, "reason": "Start"}, format="json")
    assert moved.status_code == 200 and moved.json()["status"] == "in_design"
    stale = api.post(url, {"to": "draft", "version": 1}, format="json")
    assert stale.status_code == 409


def test_going_live_with_gaps_is_refused_with_every_gap(api, service):
    Service.objects.filter(pk=service.pk).update(status="designed")
    service.refresh_from_db()
    response = api.post(
        f"{BASE}/services/{service.pk}/transition/",
        {"to": "live", "version": service.version},
        format="json",
        HTTP_ACCEPT_LANGUAGE="nl",
    )
    assert response.status_code == 400
    body = response.json()
    expected = gate.gate_gaps(service)
    assert [gap["code"] for gap in body["gaps"]] == [gap.code for gap in expected]
    assert {"owner_missing", "chain_empty", "sa_missing", "approval_missing"} <= {
        gap["code"] for gap in body["gaps"]
    }
    assert body["status"] == [gap["message"] for gap in body["gaps"]]
    owner = next(gap for gap in body["gaps"] if gap["code"] == "owner_missing")
    assert owner["message"] == "Noem de eigenaar van de ketenprestatie."
    assert set(body["gaps"][0]) == {"code", "message", "group", "fix_url"}
    service.refresh_from_db()
    assert service.status == "designed"


def _in_design(api, service) -> int:
    moved = api.post(
        f"{BASE}/services/{service.pk}/transition/",
        {"to": "in_design", "version": 1},
        format="json",
    )
    return moved.json()["version"]


def test_approving_ones_own_design_is_refused_with_the_separation_rule(api, service):
    version = _in_design(api, service)
    url = f"{BASE}/services/{service.pk}/approve/"
    dutch = api.post(
        url,
        {"decision": "approved", "version": version},
        format="json",
        HTTP_ACCEPT_LANGUAGE="nl",
    )
    assert dutch.status_code == 403
    assert dutch.json() == {
        "detail": "Niemand keurt zijn eigen ontwerp goed: wie aan het ontwerp van deze service "
        "heeft gewerkt, laat de goedkeuring aan een ander."
    }
    english = api.post(
        url, {"decision": "approved", "version": version}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert english.json()["detail"].startswith("Nobody approves their own design")
    service.refresh_from_db()
    assert service.status == "in_design" and not service.approvals.exists()


def test_another_member_approves_and_the_service_is_designed(
    api, api_client, make_member, org_a, service
):
    version = _in_design(api, service)
    approver = api_client(make_member(org_a, Role.ARCHITECT, username="architect"))
    url = f"{BASE}/services/{service.pk}/approve/"
    stale = approver.post(url, {"decision": "approved", "version": version - 1}, format="json")
    assert stale.status_code == 409
    response = approver.post(
        url, {"decision": "approved", "version": version, "comment": "Helder"}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["decision"] == "approved"
    assert response.json()["service_version"] == version
    service.refresh_from_db()
    assert service.status == "designed"
    listed = approver.get(f"{BASE}/approvals/?service={service.pk}").json()
    assert [row["id"] for row in listed["results"]] == [response.json()["id"]]
    assert approver.post(f"{BASE}/approvals/", {}, format="json").status_code == 405


def test_a_member_who_may_not_approve_gets_403(api, api_client, make_member, org_a, service):
    version = _in_design(api, service)
    other = api_client(make_member(org_a, Role.WORKFLOW_MANAGER, username="werkstroom"))
    response = other.post(
        f"{BASE}/services/{service.pk}/approve/",
        {"decision": "approved", "version": version},
        format="json",
    )
    assert response.status_code == 403


def test_rejecting_needs_a_reason(api, api_client, make_member, org_a, service):
    version = _in_design(api, service)
    approver = api_client(make_member(org_a, Role.ARCHITECT, username="architect"))
    response = approver.post(
        f"{BASE}/services/{service.pk}/approve/",
        {"decision": "rejected", "version": version},
        format="json",
    )
    assert response.status_code == 400 and list(response.json()) == ["comment"]


# --- Exchange ---------------------------------------------------------------------------------


def test_export_gives_the_design_by_names(api, design_a):
    response = api.get(f"{BASE}/services/{design_a.pk}/export/")
    assert response.status_code == 200
    body = response.json()
    assert body["format"] == exchange.FORMAT and body["service"]["name"] == "Verhuizing"
    assert body["service"]["links"][0]["team"] == "Burgerzaken"


def test_import_a_json_body_into_another_organisation(api_client, make_member, org_b, design_a):
    api = api_client(make_member(org_b, Role.MANAGER, username="manager-b"))
    response = api.post(
        "/api/o/beta/services/services/import/", exchange.service_export(design_a), format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "Verhuizing" and body["status"] == "draft"
    assert {"kind": "team", "name": "Burgerzaken"} in body["created"]
    assert len(body["notes"]) == 3
    assert Service.objects.get(pk=body["id"]).organisation == org_b


def test_import_an_uploaded_file(api_client, make_member, org_b, design_a):
    api = api_client(make_member(org_b, Role.MANAGER, username="manager-b"))
    upload = SimpleUploadedFile(
        "verhuizing.json",
        exchange.service_export_json(design_a).encode(),
        content_type="application/json",
    )
    response = api.post("/api/o/beta/services/services/import/", {"file": upload})
    assert response.status_code == 201, response.content


def test_a_refused_import_lists_every_problem_and_writes_nothing(api, design_a):
    data = exchange.service_export(design_a)
    data["service"]["canvas"][0]["section"] = "nergens"
    data["service"]["links"][1]["steps"] = ["vliegen"]
    before = Service.objects.count()
    response = api.post(f"{BASE}/services/import/", data, format="json", HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "Het bestand is niet geïmporteerd: 3 problemen."
    assert [problem["path"] for problem in body["problems"]] == [
        "/service/name",  # this organisation has it already
        "/service/canvas/0/section",
        "/service/links/1/steps/0",
    ]
    assert Service.objects.count() == before


def test_an_upload_that_is_not_json_is_refused(api):
    upload = SimpleUploadedFile("x.json", b"{kapot", content_type="application/json")
    response = api.post(f"{BASE}/services/import/", {"file": upload})
    assert response.status_code == 400 and response.json()["problems"][0]["path"] == ""
    missing = api.post(f"{BASE}/services/import/", {"other": "x"})
    assert missing.status_code == 400 and len(missing.json()["problems"]) == 1


def test_the_round_trip_through_the_api(api_client, make_member, org_a, org_b):
    source = full_design(org_a, name="Parkeervergunning")
    exported = api_client(make_member(org_a, Role.AUDITOR, username="lezer")).get(
        f"{BASE}/services/{source.pk}/export/"
    )
    api = api_client(make_member(org_b, Role.MANAGER, username="manager-b"))
    created = api.post("/api/o/beta/services/services/import/", exported.json(), format="json")
    again = api.get(f"/api/o/beta/services/services/{created.json()['id']}/export/").json()
    first = exported.json()
    for data in (first, again):
        data["service"].pop("status")
        data["service"].pop("approvals")
        for agreement in data["service"]["agreements"]:
            for version in agreement["versions"]:
                version.pop("status")
    assert json.dumps(again, sort_keys=True) == json.dumps(first, sort_keys=True)
