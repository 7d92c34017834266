"""The REST API of the connected model: CRUD through the services, optimistic
locking, parts as URNs, the shared filters and the lens."""

import pytest

from stuurwiel.changelog.models import ChangeLogEntry
from stuurwiel.graph import services
from stuurwiel.graph.models import Element, Relation

pytestmark = pytest.mark.django_db

BASE = "/api/o/alfa/model"


@pytest.fixture
def api(api_client, admin_a):
    return api_client(admin_a)


def test_subject_crud_with_framework_urns(api, compass):
    created = api.post(
        f"{BASE}/subjects/",
        {"name": "Wmo-aanvraag", "kind": "service", "frameworks": [compass.framework.urn]},
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["frameworks"] == [compass.framework.urn] and body["version"] == 1
    pk = body["id"]
    updated = api.patch(f"{BASE}/subjects/{pk}/", {"status": "active", "version": 1}, format="json")
    assert updated.status_code == 200 and updated.json()["version"] == 2
    assert api.get(f"{BASE}/subjects/{pk}/").json()["status"] == "active"
    assert api.delete(f"{BASE}/subjects/{pk}/").status_code == 204
    actions = ChangeLogEntry.objects.filter(content_type__model="subject", object_id=str(pk))
    assert sorted(actions.values_list("action", "source")) == [
        ("create", "api"),
        ("delete", "api"),
        ("update", "api"),
    ]


def test_element_parts_are_urns_in_and_out(api, service_subject, compass):
    created = api.post(
        f"{BASE}/elements/",
        {
            "name": "Kortere doorlooptijd",
            "element_type": "outcome",
            "subject": service_subject.pk,
            "parts": [compass.what.urn, compass.measure.urn],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert sorted(body["parts"]) == sorted([compass.what.urn, compass.measure.urn])
    assert body["subject"] == service_subject.pk
    pk = body["id"]
    reclassified = api.patch(
        f"{BASE}/elements/{pk}/", {"parts": [compass.why.urn], "version": 1}, format="json"
    )
    assert reclassified.status_code == 200 and reclassified.json()["parts"] == [compass.why.urn]
    entry = ChangeLogEntry.objects.get(content_type__model="element", action="update")
    assert entry.after == {"parts": [compass.why.pk]}


def test_unknown_part_urn_and_part_of_another_framework_are_400(
    api, service_subject, other_framework
):
    unknown = api.post(
        f"{BASE}/elements/",
        {"name": "X", "element_type": "goal", "parts": ["urn:nergens"]},
        format="json",
    )
    assert unknown.status_code == 400 and "parts" in unknown.json()
    stranger = api.post(
        f"{BASE}/elements/",
        {
            "name": "X",
            "element_type": "goal",
            "subject": service_subject.pk,
            "parts": [other_framework.part.urn],
        },
        format="json",
    )
    assert stranger.status_code == 400 and "parts" in stranger.json()


def test_update_needs_a_version_and_a_stale_one_is_409(api, make_element):
    element = make_element("Doel")
    path = f"{BASE}/elements/{element.pk}/"
    missing = api.patch(path, {"name": "Doel 2"}, format="json")
    assert missing.status_code == 400 and "version" in missing.json()
    assert (
        api.patch(path, {"name": "Doel 2"}, format="json", HTTP_IF_MATCH='"1"').status_code == 200
    )
    stale = api.patch(path, {"name": "Doel 3", "version": 1}, format="json")
    assert stale.status_code == 409 and stale.json()["current_version"] == 2


def test_relation_crud_and_link_type_rule(api, make_element, compass):
    why, what = make_element("Reden", compass.why), make_element("Resultaat", compass.what)
    wrong = api.post(
        f"{BASE}/relations/",
        {
            "source": what.pk,
            "target": why.pk,
            "relation_type": "influence",
            "link_type": compass.link.urn,
        },
        format="json",
    )
    assert wrong.status_code == 400 and {"source", "target"} <= set(wrong.json())
    made = api.post(
        f"{BASE}/relations/",
        {
            "source": why.pk,
            "target": what.pk,
            "relation_type": "influence",
            "link_type": compass.link.urn,
        },
        format="json",
    )
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    assert made.json()["link_type"] == compass.link.urn
    changed = api.patch(
        f"{BASE}/relations/{pk}/", {"description": "Aangetoond", "version": 1}, format="json"
    )
    assert changed.status_code == 200
    assert api.delete(f"{BASE}/relations/{pk}/").status_code == 204
    assert not Relation.objects.exists()


def test_element_of_another_organisation_cannot_be_linked(api, make_element, org_b):
    foreign = Element.objects.create(organisation=org_b, name="Vreemd", element_type="goal")
    response = api.post(
        f"{BASE}/relations/",
        {"source": make_element("Eigen").pk, "target": foreign.pk, "relation_type": "flow"},
        format="json",
    )
    assert response.status_code == 400 and "target" in response.json()


def test_deleting_a_subject_with_elements_is_409(api, make_element):
    element = make_element("Blijft")
    response = api.delete(f"{BASE}/subjects/{element.subject_id}/")
    assert response.status_code == 409 and "1 element" in response.json()["detail"]


def test_element_delete_takes_its_relations(api, make_element, org_a, admin_a):
    a, b = make_element("A"), make_element("B")
    services.relation_create(
        organisation=org_a,
        by=admin_a,
        data={"source": a, "target": b, "relation_type": "aggregation"},
    )
    assert api.delete(f"{BASE}/elements/{a.pk}/").status_code == 204
    assert not Relation.objects.exists()
    assert (
        ChangeLogEntry.objects.filter(content_type__model="relation", action="delete").count() == 1
    )


def test_filters(api, make_element, org_a, admin_a, compass, other_framework):
    why = make_element("Te lange wachttijd", compass.why, element_type="driver")
    what = make_element("Snelle verhuizing", compass.measure, element_type="outcome")
    make_element("Los element", other_framework.part, subject=None)
    services.relation_create(
        organisation=org_a,
        by=admin_a,
        data={
            "source": why,
            "target": what,
            "relation_type": "influence",
            "link_type": compass.link,
        },
    )

    def names(path, **params):
        response = api.get(f"{BASE}/{path}/", params)
        assert response.status_code == 200, response.content
        return sorted(row.get("name", row.get("id")) for row in response.json()["results"])

    assert names("elements", element_type="driver") == ["Te lange wachttijd"]
    assert names("elements", q="verhuiz") == ["Snelle verhuizing"]
    assert names("elements", part=compass.measure.urn) == ["Snelle verhuizing"]
    assert names("elements", framework="kompas") == ["Snelle verhuizing", "Te lange wachttijd"]
    assert names("elements", subject=why.subject_id) == ["Snelle verhuizing", "Te lange wachttijd"]
    assert names("subjects", framework="kompas", kind="service") == ["Verhuizing"]
    assert names("subjects", kind="capability") == []
    assert len(names("relations", source=why.pk)) == 1
    assert names("relations", target=why.pk) == []
    assert len(names("relations", link_type=compass.link.urn, relation_type="influence")) == 1
    assert len(names("relations", subject=why.subject_id, q="wachttijd")) == 1
    assert api.get(f"{BASE}/elements/", {"element_type": "koning"}).status_code == 400


def test_subject_filter_does_not_accept_another_organisations_subject(api, org_b):
    from stuurwiel.graph.models import Subject

    foreign = Subject.objects.create(organisation=org_b, name="Geheim", kind="service")
    assert api.get(f"{BASE}/elements/", {"subject": foreign.pk}).status_code == 400


def test_lens_endpoint_answers_each_part(api, make_element, compass):
    element = make_element("Te lange wachttijd", compass.why)
    response = api.get(f"{BASE}/subjects/{element.subject_id}/lens/")
    assert response.status_code == 200
    [lens] = response.json()
    assert lens["framework"] == compass.framework.urn
    assert (lens["part_count"], lens["answered_count"]) == (3, 1)
    why = next(part for part in lens["parts"] if part["urn"] == compass.why.urn)
    assert why["elements"] == [{"id": element.pk, "name": element.name, "element_type": "goal"}]


def test_auditor_reads_but_cannot_write(api_client, auditor_a, make_element):
    api = api_client(auditor_a)
    element = make_element("Doel")
    assert api.get(f"{BASE}/elements/").status_code == 200
    assert api.post(f"{BASE}/elements/", {"name": "X", "element_type": "goal"}).status_code == 403
    assert api.patch(f"{BASE}/elements/{element.pk}/", {"version": 1}).status_code == 403
    assert api.delete(f"{BASE}/elements/{element.pk}/").status_code == 403


def test_other_organisation_is_404(api, org_b):
    element = Element.objects.create(organisation=org_b, name="Geheim", element_type="goal")
    assert api.get("/api/o/beta/model/elements/").status_code == 404
    assert api.get(f"{BASE}/elements/{element.pk}/").status_code == 404
