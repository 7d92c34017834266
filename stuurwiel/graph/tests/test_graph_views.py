"""The pages of the connected model: lists, details with lens and neighbourhood,
forms that never list every element, writes through the services, permissions."""

import re

import pytest
from django.urls import reverse

from stuurwiel.changelog.models import ChangeLogEntry
from stuurwiel.graph import services
from stuurwiel.graph.models import Element, Relation, Subject

pytestmark = pytest.mark.django_db


def url(name, **kwargs):
    return reverse(f"graph:{name}", kwargs={"org": "alfa", **kwargs})


def html(response):
    return response.content.decode()


def part_box(page: str, pk) -> str:
    """The checkbox of part ``pk`` in the element form's "answers", or ""."""
    match = re.search(rf'<input type="checkbox" name="parts" value="{pk}"[^>]*>', page)
    return match.group(0) if match else ""


@pytest.fixture
def chain(make_element, org_a, admin_a, compass):
    """Two elements of the subject linked by a relation that realises the link type."""
    why = make_element("Te lange wachttijd", compass.why, element_type="driver")
    what = make_element("Doorlooptijd binnen 5 dagen", compass.what, element_type="outcome")
    relation = services.relation_create(
        organisation=org_a,
        by=admin_a,
        data={
            "source": why,
            "target": what,
            "relation_type": "influence",
            "link_type": compass.link,
        },
    )
    return why, what, relation


def test_lists_show_only_the_own_organisation(client_a, chain, org_b):
    Subject.objects.create(organisation=org_b, name="Geheim onderwerp", kind="service")
    Element.objects.create(organisation=org_b, name="Geheim element", element_type="goal")
    for name, expected in [
        ("subject_list", "Verhuizing"),
        ("element_list", "Te lange wachttijd"),
        ("relation_list", "Doorlooptijd binnen 5 dagen"),
    ]:
        page = html(client_a.get(url(name)))
        assert expected in page and "Geheim" not in page


def test_element_list_filters_on_part_and_shows_what_each_answers(client_a, chain, compass):
    page = html(client_a.get(url("element_list"), {"part": compass.why.urn}))
    assert "Te lange wachttijd" in page and "Doorlooptijd" not in page
    assert "Motivatie" in page  # the "answers" column


def test_subject_lens_in_dutch_marks_answered_and_unanswered_parts(client_a, chain, compass):
    response = client_a.get(url("subject_detail", pk=chain[0].subject_id))
    page = html(response)
    assert response.status_code == 200
    assert 'id="lens-kompas"' in page and "Kompas" in page
    assert "Motivatie" in page and "Waarom?" in page and "Te lange wachttijd" in page
    assert "<details" in page and "Welk probleem lossen we op?" in page
    # Meten has no element: unanswered, listed as such; Resultaat is answered itself.
    assert 'class="lens-part is-open" id="lens-kompas-meten"' in page
    assert 'class="lens-part is-answered" id="lens-kompas-resultaat"' in page
    assert "2 of 3 parts answered" in page or "2 van 3" in page


def test_subject_lens_follows_the_active_language(client_a, chain):
    page = html(
        client_a.get(url("subject_detail", pk=chain[0].subject_id), HTTP_ACCEPT_LANGUAGE="en")
    )
    assert "Compass" in page and "Motivation" in page and "Why?" in page
    assert "Which problem do we solve?" in page and "Motivatie" not in page


def test_subject_without_frameworks_says_how_to_add_a_lens(client_a, org_a, admin_a):
    subject = services.subject_create(
        organisation=org_a, by=admin_a, data={"name": "Kaal", "kind": "capability"}
    )
    response = client_a.get(url("subject_detail", pk=subject.pk), HTTP_ACCEPT_LANGUAGE="en")
    assert "No framework is applied to this subject yet" in html(response)


def test_element_detail_shows_classification_and_relations_both_ways(client_a, chain):
    why, what, relation = chain
    page = html(client_a.get(url("element_detail", pk=what.pk), HTTP_ACCEPT_LANGUAGE="en"))
    assert "Result" in page  # the part it answers, in English
    assert url("element_detail", pk=why.pk) in page  # incoming relation's other end
    assert url("relation_detail", pk=relation.pk) in page
    assert "Motivation justifies Result" in page
    outgoing = html(client_a.get(url("element_detail", pk=why.pk)))
    assert url("element_detail", pk=what.pk) in outgoing


def test_element_created_through_the_form_is_classified_and_logged(
    client_a, service_subject, compass
):
    response = client_a.post(
        url("element_add"),
        {
            "name": "Inwoner verhuist in één keer",
            "element_type": "outcome",
            "subject": service_subject.pk,
            "parts": [compass.what.pk, compass.measure.pk],
            "change_reason": "Intake",
        },
    )
    element = Element.objects.get(name="Inwoner verhuist in één keer")
    assert response.status_code == 302 and response["Location"] == element.get_absolute_url()
    assert set(element.parts.all()) == {compass.what, compass.measure}
    entry = ChangeLogEntry.objects.get(
        content_type__model="element", object_id=str(element.pk), action="create"
    )
    assert (entry.source, entry.reason) == ("ui", "Intake")


def test_element_form_explains_a_part_outside_the_subjects_frameworks(
    client_a, service_subject, other_framework
):
    response = client_a.post(
        url("element_add"),
        {
            "name": "Verkeerd",
            "element_type": "goal",
            "subject": service_subject.pk,
            "parts": [other_framework.part.pk],
        },
    )
    assert response.status_code == 400 and "Ander model: Iets" in html(response)


def test_element_add_page_starts_in_the_subject_answering_the_part(
    client_a, service_subject, compass
):
    page = html(
        client_a.get(url("element_add"), {"subject": service_subject.pk, "part": compass.why.urn})
    )
    assert f'value="{service_subject.pk}"' in page and "Verhuizing" in page
    assert "checked" in part_box(page, compass.why.pk)


def test_element_form_offers_only_the_parts_of_the_subjects_lenses(
    client_a, service_subject, compass, other_framework
):
    page = html(client_a.get(url("element_add"), {"subject": service_subject.pk}))
    assert part_box(page, compass.why.pk)
    assert not part_box(page, other_framework.part.pk)
    unscoped = html(client_a.get(url("element_add")))
    assert part_box(unscoped, other_framework.part.pk)


def test_parts_choices_follow_the_chosen_subject_and_keep_the_choice(
    client_a, org_a, service_subject, compass, other_framework
):
    other = Subject.objects.create(organisation=org_a, name="Ander", kind="capability")
    other.frameworks.add(other_framework.framework)
    compass_parts = client_a.get(
        url("element_parts"), {"subject": service_subject.pk, "parts": [compass.why.pk]}
    )
    assert compass_parts.status_code == 200
    assert "checked" in part_box(html(compass_parts), compass.why.pk)
    assert f'value="{other_framework.part.pk}"' not in html(compass_parts)
    switched = html(client_a.get(url("element_parts"), {"subject": other.pk}))
    assert f'value="{other_framework.part.pk}"' in switched
    assert f'value="{compass.why.pk}"' not in switched
    assert 'name="parts"' in switched and 'hx-get="' in switched


def test_parts_choices_ignore_another_organisations_subject(
    client_a, org_b, compass, other_framework
):
    foreign = Subject.objects.create(organisation=org_b, name="Geheim", kind="service")
    foreign.frameworks.add(other_framework.framework)
    page = html(client_a.get(url("element_parts"), {"subject": foreign.pk}))
    assert "Geheim" not in page and f'value="{compass.why.pk}"' in page


def test_relation_form_offers_the_links_of_the_source_subjects_lenses(
    client_a, org_a, admin_a, chain, compass, other_framework
):
    from stuurwiel.frameworks.models import LinkType

    elsewhere = LinkType.objects.create(
        framework=other_framework.framework,
        urn="urn:test:framework:ander:iets-iets",
        ref_id="iets-iets",
        name_nl="Iets raakt iets",
        name_en="Something touches something",
        source_part=other_framework.part,
        target_part=other_framework.part,
        relation_type="association",
    )
    why = chain[0]
    page = html(client_a.get(url("relation_add"), {"source": why.pk}))
    assert f'<option value="{compass.link.pk}"' in page
    assert f'<option value="{elsewhere.pk}"' not in page
    assert f'<option value="{elsewhere.pk}"' in html(client_a.get(url("relation_add")))
    refreshed = client_a.get(
        url("relation_link_types"), {"source": why.pk, "link_type": compass.link.pk}
    )
    assert f'<option value="{compass.link.pk}" selected>' in html(refreshed)
    assert f'value="{elsewhere.pk}"' not in html(refreshed)


def test_element_update_and_stale_version(client_a, chain):
    why = chain[0]
    data = {"name": "Wachttijd", "element_type": "driver", "subject": why.subject_id}
    data["parts"] = [p.pk for p in why.parts.all()]
    first = client_a.post(url("element_edit", pk=why.pk), {**data, "version": 1})
    second = client_a.post(url("element_edit", pk=why.pk), {**data, "name": "X", "version": 1})
    why.refresh_from_db()
    assert first.status_code == 302 and second.status_code == 409
    assert why.name == "Wachttijd" and why.version == 2


def test_relation_form_uses_search_not_a_list_of_every_element(client_a, make_element):
    for i in range(30):
        make_element(f"Element nummer {i:02d}")
    page = html(client_a.get(url("relation_add")))
    assert "Element nummer" not in page
    assert 'type="hidden" name="source"' in page and 'type="hidden" name="target"' in page
    assert 'type="number"' not in page
    assert url("element_lookup") in page


def test_relation_created_through_the_form_is_checked_against_its_link(client_a, chain, compass):
    why, what, _ = chain
    refused = client_a.post(
        url("relation_add"),
        {
            "source": what.pk,
            "target": why.pk,
            "relation_type": "influence",
            "link_type": compass.link.pk,
        },
    )
    assert refused.status_code == 400 and Relation.objects.count() == 1
    made = client_a.post(
        url("relation_add"), {"source": what.pk, "target": why.pk, "relation_type": "association"}
    )
    assert made.status_code == 302 and Relation.objects.count() == 2


def test_relation_form_refuses_an_element_of_another_organisation(client_a, chain, org_b):
    foreign = Element.objects.create(organisation=org_b, name="Vreemd", element_type="goal")
    response = client_a.post(
        url("relation_add"), {"source": chain[0].pk, "target": foreign.pk, "relation_type": "flow"}
    )
    assert response.status_code == 400 and "Vreemd" not in html(response)


def test_element_lookup_searches_the_own_organisation_only(client_a, chain, org_b):
    Element.objects.create(organisation=org_b, name="Wachttijd elders", element_type="goal")
    results = html(client_a.get(url("element_lookup"), {"field": "source", "lookup": "wachttijd"}))
    assert "Te lange wachttijd" in results and "elders" not in results
    assert f'role="option" id="id_source_option_{chain[0].pk}"' in results
    assert f'data-value="{chain[0].pk}"' in results
    assert f"#{chain[0].pk}" not in results  # no ids shown to people
    picked = html(client_a.get(url("element_lookup"), {"field": "source", "pick": chain[0].pk}))
    assert 'id="id_source_lookup"' in picked and f'value="{chain[0].pk}"' in picked
    assert "Te lange wachttijd" in picked
    assert client_a.get(url("element_lookup"), {"field": "<x>"}).status_code == 400


def test_deleting_a_subject_with_elements_is_refused_with_a_message(client_a, chain):
    subject = chain[0].subject
    response = client_a.post(url("subject_delete", pk=subject.pk), follow=True)
    assert Subject.objects.filter(pk=subject.pk).exists()
    assert "still has 2 elements" in html(response) or "2 elementen" in html(response)


def test_deleting_an_element_through_the_page_takes_its_relations(client_a, chain):
    why, _, relation = chain
    response = client_a.post(url("element_delete", pk=why.pk), {"version": 1})
    assert response.status_code == 302
    assert not Relation.objects.exists()
    assert ChangeLogEntry.objects.filter(
        content_type__model="relation", object_id=str(relation.pk), action="delete"
    ).exists()


def test_history_pages_show_the_changes(client_a, chain):
    why, _, relation = chain
    for name, obj in [("element_history", why), ("relation_history", relation)]:
        response = client_a.get(url(name, pk=obj.pk))
        assert response.status_code == 200 and "admin-a" in html(response)
    assert client_a.get(url("subject_history", pk=why.subject_id)).status_code == 200


@pytest.mark.parametrize("kind", ["subject", "element", "relation"])
def test_auditor_may_read_but_not_write(client, auditor_a, chain, kind):
    why, _, relation = chain
    obj = {"subject": why.subject, "element": why, "relation": relation}[kind]
    client.force_login(auditor_a)
    assert client.get(url(f"{kind}_list")).status_code == 200
    assert client.get(url(f"{kind}_detail", pk=obj.pk)).status_code == 200
    assert client.get(url(f"{kind}_add")).status_code == 403
    assert client.post(url(f"{kind}_add"), {"name": "X"}).status_code == 403
    assert client.post(url(f"{kind}_edit", pk=obj.pk), {"name": "X"}).status_code == 403
    assert client.post(url(f"{kind}_delete", pk=obj.pk)).status_code == 403
    assert type(obj).objects.filter(pk=obj.pk).exists()


@pytest.mark.parametrize("kind", ["subject", "element", "relation"])
def test_objects_of_another_organisation_are_not_found(client_a, org_b, kind):
    subject = Subject.objects.create(organisation=org_b, name="Geheim", kind="service")
    source = Element.objects.create(organisation=org_b, name="B1", element_type="goal")
    target = Element.objects.create(organisation=org_b, name="B2", element_type="goal")
    relation = Relation.objects.create(
        organisation=org_b, source=source, target=target, relation_type="flow"
    )
    obj = {"subject": subject, "element": source, "relation": relation}[kind]
    for action in ("detail", "edit", "delete", "history"):
        assert client_a.get(url(f"{kind}_{action}", pk=obj.pk)).status_code == 404
    assert client_a.post(url(f"{kind}_delete", pk=obj.pk)).status_code == 404
