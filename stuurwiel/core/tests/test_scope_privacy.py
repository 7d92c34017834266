"""A member whose role is scoped to one subject learns nothing of what lies outside
it, on any page they can reach, and writes nothing outside it — also not through a
filter's choices, a form helper, a cascade or a history entry. Regression tests for
what a review of the access layer found."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.urls import reverse

from stuurwiel.core.exceptions import ConflictError
from stuurwiel.graph import services as graph_services
from stuurwiel.graph.models import Element, Relation, Subject
from stuurwiel.organisations.access import AccessDenied
from stuurwiel.organisations.models import Membership, RoleAssignment
from stuurwiel.parties.models import Person

pytestmark = pytest.mark.django_db

SECRET = "Geheimpje"
HREF = re.compile(r'href="(/o/alfa/[^"#]*)"')


@pytest.fixture
def world(org_a, admin_a):
    inside = Subject.objects.create(organisation=org_a, name="Binnen", kind="service")
    outside = Subject.objects.create(organisation=org_a, name=f"{SECRET} onderwerp", kind="service")
    person = Person.objects.create(organisation=org_a, name=f"{SECRET} persoon")
    mine = Element.objects.create(
        organisation=org_a, subject=inside, name="Binnen 1", element_type="goal", owner=person
    )
    other = Element.objects.create(
        organisation=org_a, subject=outside, name=f"{SECRET} element", element_type="goal"
    )
    across = Relation.objects.create(
        organisation=org_a, source=other, target=mine, relation_type="association"
    )
    return {"inside": inside, "outside": outside, "mine": mine, "other": other, "across": across}


def _scoped(org, subject, role, username):
    user = get_user_model().objects.create_user(username=username)
    membership = Membership.objects.create(organisation=org, user=user, name=username.title())
    RoleAssignment.objects.create(membership=membership, role=role, subject=subject)
    return user


@pytest.fixture
def supplier(org_a, world):
    return _scoped(org_a, world["inside"], "supplier_user", "leverancier")


@pytest.fixture
def owner(org_a, world):
    return _scoped(org_a, world["inside"], "service_owner", "eigenaar")


def test_no_page_a_scoped_supplier_can_reach_names_anything_outside_the_scope(supplier, world):
    client = Client()
    client.force_login(supplier)
    todo, seen = ["/o/alfa/"], set()
    extra = [
        f"/o/alfa/model/relations/?source={world['other'].pk}",
        f"/o/alfa/model/relations/?target={world['other'].pk}",
        f"/o/alfa/model/elements/?subject={world['outside'].pk}",
        f"/o/alfa/model/elements/lookup/?field=source&pick={world['other'].pk}",
        "/o/alfa/model/elements/lookup/?field=source&lookup=Geheim",
        f"/api/o/alfa/model/subjects/{world['inside'].pk}/lens/",
        "/api/o/alfa/model/elements/",
        "/api/o/alfa/model/relations/",
        "/api/o/alfa/parties/persons/",
    ]
    todo += extra
    while todo:
        url = todo.pop().replace("&amp;", "&")
        if url in seen or "/logout" in url:
            continue
        seen.add(url)
        response = client.get(url)
        body = response.content.decode()
        assert SECRET not in body, f"{url} names something outside the scope"
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            todo += [link for link in HREF.findall(body) if link not in seen]
    assert len(seen) > 10


def test_a_supplier_may_not_use_the_form_helpers(supplier, world):
    client = Client()
    client.force_login(supplier)
    url = reverse("graph:relation_types", kwargs={"org": "alfa"})
    assert client.get(url, {"source": world["mine"].pk}).status_code == 403


def test_deleting_an_element_may_not_delete_a_relation_outside_the_scope(owner, world):
    with pytest.raises(AccessDenied):
        graph_services.element_delete(instance=world["mine"], by=owner)
    assert Relation.objects.filter(pk=world["across"].pk).exists()
    assert Element.objects.filter(pk=world["mine"].pk).exists()


def test_deleting_an_element_twice_is_not_found_not_a_server_error(world):
    from django.http import Http404

    stale = Element.objects.get(pk=world["other"].pk)
    graph_services.element_delete(instance=world["other"], by=None)
    with pytest.raises(Http404):
        graph_services.element_delete(instance=stale, by=None)


def test_the_history_names_a_member_as_the_organisation_knows_them(org_a, admin_a, client_a, world):
    invited = get_user_model().objects.create_user(username="anna.geheim@example.org")
    membership = Membership.objects.create(organisation=org_a, user=invited, name="Anna")
    RoleAssignment.objects.create(membership=membership, role="manager")
    client = Client()
    client.force_login(invited)
    url = reverse("graph:element_edit", kwargs={"org": "alfa", "pk": world["mine"].pk})
    client.post(url, {"name": "Binnen één", "element_type": "goal", "version": 1})
    history = client_a.get(
        reverse("graph:element_history", kwargs={"org": "alfa", "pk": world["mine"].pk})
    ).content.decode()
    assert "anna.geheim@example.org" not in history


# --- Inputs that used to answer 500 ---------------------------------------------------


def test_a_version_that_is_no_number_is_refused_on_delete_and_deactivate(client_a, world, admin_a):
    url = reverse("graph:element_delete", kwargs={"org": "alfa", "pk": world["mine"].pk})
    response = client_a.post(url, {"version": "abc"})
    assert response.status_code == 302 and Element.objects.filter(pk=world["mine"].pk).exists()
    other = Membership.objects.create(
        organisation=world["mine"].organisation,
        user=get_user_model().objects.create_user(username="tweede"),
    )
    url = reverse("organisations:membership_deactivate", kwargs={"org": "alfa", "pk": other.pk})
    assert client_a.post(url, {"version": "abc"}).status_code == 302
    with pytest.raises(Exception) as caught:
        graph_services.element_delete(instance=world["mine"], by=None, version="²")
    assert not isinstance(caught.value, (ValueError, ConflictError))


def test_a_delete_reason_over_the_limit_is_a_message_not_a_server_error(client_a, world):
    url = reverse("graph:relation_delete", kwargs={"org": "alfa", "pk": world["across"].pk})
    response = client_a.post(url, {"change_reason": "x" * 1001})
    assert response.status_code == 302 and Relation.objects.filter(pk=world["across"].pk).exists()


@pytest.mark.parametrize(
    "path",
    [
        "/o/alfa/model/elements/add/?subject=%C2%B2",
        "/o/alfa/model/relations/add/?source=%C2%B2",
        "/o/alfa/model/relations/link-types/?link_type=%C2%B2",
        "/o/alfa/model/elements/parts/?subject=1&parts=%C2%B2",
    ],
)
def test_digits_that_are_not_ascii_are_ignored(client_a, world, path):
    assert client_a.get(path).status_code in (200, 400)


def test_an_if_match_that_is_not_ascii_digits_asks_for_the_version(api_client, admin_a, world):
    url = f"/api/o/alfa/model/elements/{world['mine'].pk}/"
    response = api_client(admin_a).patch(url, {"name": "X"}, format="json", HTTP_IF_MATCH="²")
    assert response.status_code == 400 and "version" in response.json()


def test_a_delete_with_a_list_as_body_is_not_a_server_error(api_client, admin_a, world):
    url = f"/api/o/alfa/model/elements/{world['mine'].pk}/"
    response = api_client(admin_a).delete(url, json.dumps([1]), content_type="application/json")
    assert response.status_code < 500


def test_a_nul_in_a_form_encoded_patch_is_refused(api_client, admin_a, world):
    url = f"/api/o/alfa/model/elements/{world['mine'].pk}/"
    response = api_client(admin_a).patch(
        url, "parts=a%00&version=1", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert connection.vendor in ("sqlite", "postgresql")


def test_the_menu_offers_only_lists_the_member_may_open(org_a, world):
    auditor = _scoped(org_a, world["inside"], "auditor", "toetser")
    client = Client()
    client.force_login(auditor)
    html = client.get("/o/alfa/").content.decode()
    # A scoped auditor reads the model but opens no change feed (403 if tried).
    assert "/o/alfa/model/subjects/" in html and "/o/alfa/changes/" not in html
    assert client.get("/o/alfa/changes/").status_code == 403
