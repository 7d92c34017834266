"""The agreements API: versions with nested norms, new version and activation
as actions (409 on conflicts, 400 per field), and a service's findings."""

import pytest

from stuurwiel.agreements.tests.factories import (
    draft_of,
    every_priority,
    in_force,
    make_agreement,
    make_service,
    set_norms,
    supplier_link,
    team_link,
)
from stuurwiel.organisations.choices import Role
from stuurwiel.parties.models import Person

pytestmark = pytest.mark.django_db

VERSIONS = "/api/o/alfa/agreements/versions/"


def _norms(resolution=480):
    return [
        {"priority": p, "response_minutes": 30, "resolution_minutes": resolution}
        for p in range(1, 6)
    ]


def test_a_draft_gets_its_norms_nested_and_is_put_in_force(api_client, manager_a, org_a):
    draft = draft_of(make_agreement(make_service(org_a)))
    api = api_client(manager_a)
    url = f"{VERSIONS}{draft.pk}/"
    updated = api.patch(
        url, {"norms": _norms(), "availability": "99.5", "version": 1}, format="json"
    )
    assert updated.status_code == 200, updated.content
    assert [n["resolution_minutes"] for n in updated.json()["norms"]] == [480] * 5
    activated = api.post(f"{url}activate/", {"version": updated.json()["version"]}, format="json")
    assert activated.status_code == 200, activated.content
    assert activated.json()["status"] == "active" and activated.json()["valid_from"]


def test_a_second_activation_is_409_with_the_reason(api_client, manager_a, org_a):
    draft = set_norms(draft_of(make_agreement(make_service(org_a))), every_priority(30, 480))
    api = api_client(manager_a)
    assert api.post(f"{VERSIONS}{draft.pk}/activate/", {}, format="json").status_code == 200
    again = api.post(f"{VERSIONS}{draft.pk}/activate/", {}, format="json")
    assert again.status_code == 409
    assert "in force already" in again.json()["detail"]


def test_activation_with_missing_norms_is_400_on_norms(api_client, manager_a, org_a):
    draft = set_norms(draft_of(make_agreement(make_service(org_a))), {1: (30, 60)})
    response = api_client(manager_a).post(f"{VERSIONS}{draft.pk}/activate/", {}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["norms"]


def test_resolution_before_response_is_400_on_the_norms_field(api_client, manager_a, org_a):
    draft = draft_of(make_agreement(make_service(org_a)))
    norms = _norms()
    norms[2] = {"priority": 3, "response_minutes": 120, "resolution_minutes": 60}
    response = api_client(manager_a).patch(
        f"{VERSIONS}{draft.pk}/", {"norms": norms, "version": 1}, format="json"
    )
    assert response.status_code == 400
    # The third norm (index 2), on its field.
    assert response.json() == {
        "norms": {"2": {"resolution_minutes": ["Resolution cannot come before the response."]}}
    }


def test_new_version_is_201_then_409_while_the_draft_exists(api_client, manager_a, org_a):
    agreement = make_agreement(make_service(org_a))
    active = in_force(agreement)
    api = api_client(manager_a)
    created = api.post(f"{VERSIONS}{active.pk}/new-version/", {}, format="json")
    assert created.status_code == 201 and created.json()["number"] == 2
    assert len(created.json()["norms"]) == 5
    again = api.post(f"{VERSIONS}{active.pk}/new-version/", {}, format="json")
    assert again.status_code == 409 and "already has a draft" in again.json()["detail"]


def test_a_version_in_force_is_not_changed_through_the_api(api_client, manager_a, org_a):
    active = in_force(make_agreement(make_service(org_a)))
    response = api_client(manager_a).patch(
        f"{VERSIONS}{active.pk}/", {"notes": "x", "version": active.version}, format="json"
    )
    assert response.status_code == 400
    assert "Make a new version" in response.json()["detail"][0]


def test_an_operator_gets_403_on_writes(api_client, operator_a, org_a):
    draft = set_norms(draft_of(make_agreement(make_service(org_a))), every_priority(30, 480))
    api = api_client(operator_a)
    assert api.get(f"{VERSIONS}{draft.pk}/").status_code == 200
    assert api.post(f"{VERSIONS}{draft.pk}/activate/", {}, format="json").status_code == 403
    assert api.patch(f"{VERSIONS}{draft.pk}/", {"notes": "x"}, format="json").status_code == 403


def test_a_supplier_user_reads_only_its_own_uc(api_client, make_member, org_a):
    service = make_service(org_a)
    link = supplier_link(service, "Leverancier")
    uc = make_agreement(service, "uc", link)
    make_agreement(service)
    user = make_member(org_a, Role.SUPPLIER_USER, username="lev")
    Person.objects.create(organisation=org_a, name="Lev", supplier=link.supplier, user=user)
    api = api_client(user)
    agreements = api.get("/api/o/alfa/agreements/agreements/").json()["results"]
    assert [a["id"] for a in agreements] == [uc.pk]
    versions = api.get(VERSIONS).json()["results"]
    assert [v["agreement"] for v in versions] == [uc.pk]


def test_findings_of_a_service_with_numbers(api_client, manager_a, org_a):
    service = make_service(org_a, "Verhuizing")
    team_link(service, "KCC")
    in_force(make_agreement(service), every_priority(30, 480))
    response = api_client(manager_a).get(
        f"/api/o/alfa/agreements/agreements/findings/?service={service.pk}"
    )
    assert response.status_code == 200
    [finding] = response.json()
    assert finding["code"] == "agreement_missing"
    assert finding["object"]["type"] == "link" and finding["object"]["name"] == "KCC"


def test_findings_without_a_service_is_400(api_client, manager_a):
    response = api_client(manager_a).get("/api/o/alfa/agreements/agreements/findings/")
    assert response.status_code == 400 and list(response.json()) == ["service"]
