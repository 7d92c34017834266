"""Whom an agreement is with: the SA with the customer, an OLA with a team link,
a UC with a supplier link — of the same service. Refused per field, in the model
and in the API."""

import pytest
from django.core.exceptions import ValidationError

from stuurwiel.agreements import services
from stuurwiel.agreements.tests.factories import (
    in_force,
    make_agreement,
    make_service,
    supplier_link,
    team_link,
)

pytestmark = pytest.mark.django_db


def _create(org, by, **data):
    return services.agreement_create(organisation=org, by=by, data=data)


def test_an_agreement_for_a_link_of_another_service_is_refused_on_the_link(org_a, manager_a):
    service, other = make_service(org_a, "Verhuizing"), make_service(org_a, "Parkeren")
    link = team_link(other, "Team Parkeren")
    with pytest.raises(ValidationError) as caught:
        _create(org_a, manager_a, service=service, kind="ola", link=link)
    assert caught.value.message_dict == {"link": ["Choose a link of this service's chain."]}


def test_an_ola_for_a_supplier_link_is_refused_on_the_kind(org_a, manager_a):
    service = make_service(org_a)
    link = supplier_link(service, "Leverancier")
    with pytest.raises(ValidationError) as caught:
        _create(org_a, manager_a, service=service, kind="ola", link=link)
    assert caught.value.message_dict == {
        "kind": ["An external supplier gets an underpinning contract (UC), not an OLA."]
    }


def test_a_uc_for_a_team_and_an_sa_with_a_link_are_refused(org_a, manager_a):
    service = make_service(org_a)
    link = team_link(service, "Team")
    with pytest.raises(ValidationError, match="An internal team gets an OLA"):
        _create(org_a, manager_a, service=service, kind="uc", link=link)
    with pytest.raises(ValidationError, match="made with the customer"):
        _create(org_a, manager_a, service=service, kind="sa", link=link)


def test_one_sa_per_service_and_one_agreement_per_link(org_a, manager_a):
    service = make_service(org_a)
    link = team_link(service, "Team")
    make_agreement(service)
    make_agreement(service, "ola", link)
    with pytest.raises(ValidationError):
        _create(org_a, manager_a, service=service, kind="sa", link=None)
    with pytest.raises(ValidationError):
        _create(org_a, manager_a, service=service, kind="ola", link=link)


def test_once_in_force_an_agreement_keeps_whom_it_is_with(org_a, manager_a):
    service = make_service(org_a)
    first, second = team_link(service, "Team A"), team_link(service, "Team B")
    ola = make_agreement(service, "ola", first)
    in_force(ola)
    with pytest.raises(ValidationError) as caught:
        services.agreement_update(instance=ola, by=manager_a, data={"link": second}, version=1)
    assert list(caught.value.message_dict) == ["link"]
    renamed = services.agreement_update(
        instance=ola, by=manager_a, data={"name": "OLA Team A", "link": first}, version=1
    )
    assert renamed.name == "OLA Team A"


# --- The same in the API ------------------------------------------------------------


def test_api_refuses_a_link_of_another_service_on_the_field(api_client, manager_a, org_a):
    service, other = make_service(org_a, "Verhuizing"), make_service(org_a, "Parkeren")
    link = team_link(other, "Team Parkeren")
    response = api_client(manager_a).post(
        "/api/o/alfa/agreements/agreements/",
        {"service": service.pk, "kind": "ola", "link": link.pk},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"link": ["Choose a link of this service's chain."]}


def test_api_refuses_an_ola_for_a_supplier_on_the_kind(api_client, manager_a, org_a):
    service = make_service(org_a)
    link = supplier_link(service, "Leverancier")
    response = api_client(manager_a).post(
        "/api/o/alfa/agreements/agreements/",
        {"service": service.pk, "kind": "ola", "link": link.pk},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["kind"]


def test_api_creates_a_uc_with_version_1(api_client, manager_a, org_a):
    service = make_service(org_a, "Verhuizing")
    link = supplier_link(service, "Leverancier")
    response = api_client(manager_a).post(
        "/api/o/alfa/agreements/agreements/",
        {"service": service.pk, "kind": "uc", "link": link.pk},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "UC Leverancier for Verhuizing"
    assert [(v["number"], v["status"]) for v in body["versions"]] == [(1, "draft")]
