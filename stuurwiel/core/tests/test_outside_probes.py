"""Regression tests for the server errors found by probing the running product
from outside (issue 5). Each used to answer 500; each now gets a clear 4xx, in JSON
under /api/, and nothing is stored."""

from __future__ import annotations

import json
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.http import Http404
from django.test import Client
from django.urls import reverse

from stuurwiel.changelog.models import ChangeLogEntry
from stuurwiel.parties import services as party_services
from stuurwiel.parties.models import Team

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks and unique races need PostgreSQL"
)


@pytest.fixture
def admin_api(api_client, admin_a):
    return api_client(admin_a)


@pytest.fixture
def team(org_a):
    return Team.objects.create(organisation=org_a, name="Burgerzaken")


def _team_url(team) -> str:
    return reverse("parties-api:team-detail", kwargs={"org": "alfa", "pk": team.pk})


def _is_json(response) -> bool:
    return response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize(
    "reason",
    ["\ud800", "waarom\x00", {"a": 1}, ["a"], 42, "x" * 1001],
    ids=["lone-surrogate", "nul", "object", "list", "number", "too-long"],
)
def test_a_reason_that_is_not_storable_text_is_refused(admin_api, team, reason):
    body = json.dumps({"name": "Nieuw", "version": team.version, "reason": reason})
    response = admin_api.patch(_team_url(team), body, content_type="application/json")
    assert response.status_code == 400 and _is_json(response)
    team.refresh_from_db()
    assert team.name == "Burgerzaken" and not ChangeLogEntry.objects.filter(reason__contains="x")


def test_a_reason_is_checked_by_the_service_too(team, admin_a):
    with pytest.raises(ValidationError) as caught:
        party_services.team_update(
            instance=team, by=admin_a, data={"name": "N"}, version=team.version, reason={"a": 1}
        )
    assert "reason" in caught.value.message_dict


def test_deeply_nested_json_is_a_400_not_a_recursion_error(admin_api):
    url = reverse("parties-api:team-list", kwargs={"org": "alfa"})
    response = admin_api.post(url, "[" * 2000, content_type="application/json")
    assert response.status_code == 400 and _is_json(response)


def test_a_body_over_the_limit_is_refused(admin_api, settings):
    settings.STUURWIEL_API_MAX_BODY = 1000
    url = reverse("parties-api:team-list", kwargs={"org": "alfa"})
    body = json.dumps({"name": "T", "description": "x" * 2000})
    response = admin_api.post(url, body, content_type="application/json")
    assert response.status_code == 413 and _is_json(response)
    assert not Team.objects.exists()


@pytest.mark.parametrize("value", ["9223372036854775808", "-9223372036854775809", "1" * 40])
def test_an_integer_filter_out_of_range_finds_nothing_instead_of_failing(
    admin_api, client_a, value
):
    api = admin_api.get(reverse("parties-api:person-list", kwargs={"org": "alfa"}), {"team": value})
    assert api.status_code in (200, 400) and _is_json(api)
    page = client_a.get(reverse("parties:person_list", kwargs={"org": "alfa"}), {"team": value})
    assert page.status_code in (200, 400)


def test_an_object_id_out_of_range_is_not_found(admin_api, client_a):
    big = 2**70
    api = admin_api.get(f"/api/o/alfa/parties/teams/{big}/")
    assert api.status_code == 404 and _is_json(api)
    assert client_a.get(f"/o/alfa/parties/teams/{big}/").status_code == 404


def test_a_nul_in_a_slug_list_is_refused(admin_api, org_a):
    url = reverse("graph-api:element-list", kwargs={"org": "alfa"})
    body = json.dumps({"name": "E", "element_type": "goal", "parts": ["a\u0000"]})
    response = admin_api.post(url, body, content_type="application/json")
    assert response.status_code == 400 and _is_json(response)


@pytest.mark.parametrize("path", ["/api/frameworks/parts/%00/", "/o/alfa/parties/teams/?q=%00"])
def test_a_nul_in_the_address_is_refused(admin_api, path):
    response = admin_api.get(path)
    assert response.status_code in (400, 404)


def test_a_server_error_in_the_api_answers_in_json(admin_a, monkeypatch):
    from stuurwiel.parties.api import views

    def broken(*args, **kwargs):
        raise RuntimeError("kapot")

    monkeypatch.setattr(views.TeamViewSet, "list", broken)
    client = Client(raise_request_exception=False)
    client.force_login(admin_a)
    response = client.get(reverse("parties-api:team-list", kwargs={"org": "alfa"}))
    assert response.status_code == 500 and _is_json(response)
    assert "kapot" not in response.content.decode()


def test_an_unknown_api_address_answers_in_json(admin_api):
    response = admin_api.get("/api/o/alfa/nergens/")
    assert response.status_code == 404 and _is_json(response)


# --- Safe writes ------------------------------------------------------------------


def test_the_generic_update_cannot_move_an_object_to_another_organisation(team, org_b, admin_a):
    with pytest.raises(ValidationError) as caught:
        party_services.team_update(
            instance=team, by=None, data={"organisation": org_b}, version=team.version
        )
    assert "organisation" in caught.value.message_dict
    team.refresh_from_db()
    assert team.organisation_id != org_b.pk


@pytest.mark.parametrize("key", ["organisation", "version", "id", "created_at", "nonsense"])
def test_a_create_refuses_keys_it_may_not_set(org_a, org_b, key):
    with pytest.raises(ValidationError) as caught:
        party_services.team_create(organisation=org_a, by=None, data={"name": "T", key: org_b})
    assert key in caught.value.message_dict
    assert not Team.objects.exists()


def test_deleting_an_object_someone_just_deleted_is_not_found(team):
    stale = Team.objects.get(pk=team.pk)
    party_services.team_delete(instance=team, by=None)
    with pytest.raises(Http404):
        party_services.team_delete(instance=stale, by=None)
    with pytest.raises(Http404):
        party_services.team_update(instance=stale, by=None, data={"name": "N"}, version=1)


def test_the_api_answers_404_for_a_delete_after_a_delete(admin_api, team):
    assert admin_api.delete(_team_url(team)).status_code == 204
    second = admin_api.delete(_team_url(team))
    assert second.status_code == 404 and _is_json(second)


def test_a_uniqueness_violation_that_slips_past_the_check_is_a_validation_error(
    org_a, team, monkeypatch
):
    # What two simultaneous creates do: both pass full_clean, one insert fails.
    monkeypatch.setattr(Team, "validate_unique", lambda self, exclude=None: None)
    monkeypatch.setattr(Team, "validate_constraints", lambda self, exclude=None: None)
    with pytest.raises(ValidationError):
        party_services.team_create(organisation=org_a, by=None, data={"name": "Burgerzaken"})
    assert Team.objects.filter(name="Burgerzaken").count() == 1


# --- Real concurrency on PostgreSQL ---------------------------------------------------


def _in_threads(count: int, work) -> list:
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = work(index)
        except Exception as exc:  # noqa: BLE001 - the test inspects what each thread got
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_deletes_of_one_object_answer_204_and_404(org_a, admin_a, api_client):
    team = Team.objects.create(organisation=org_a, name="Eén")
    clients = [api_client(admin_a) for _ in range(4)]
    statuses = _in_threads(4, lambda i: clients[i].delete(_team_url(team)).status_code)
    assert sorted(statuses) == [204, 404, 404, 404]


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_creates_of_one_name_answer_201_and_400(org_a, admin_a, api_client):
    url = reverse("parties-api:team-list", kwargs={"org": "alfa"})
    clients = [api_client(admin_a) for _ in range(4)]
    statuses = _in_threads(
        4, lambda i: clients[i].post(url, {"name": "Dubbel"}, format="json").status_code
    )
    assert sorted(statuses) == [201, 400, 400, 400]
    assert Team.objects.filter(name="Dubbel").count() == 1


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_delete_and_a_patch_at_once_never_fail(org_a, admin_a, api_client):
    team = Team.objects.create(organisation=org_a, name="Twee")
    clients = [api_client(admin_a) for _ in range(2)]

    def work(index: int) -> int:
        if index == 0:
            return clients[0].delete(_team_url(team)).status_code
        body = {"name": "Drie", "version": team.version}
        return clients[1].patch(_team_url(team), body, format="json").status_code

    statuses = _in_threads(2, work)
    assert all(status in (200, 204, 404, 409) for status in statuses), statuses
