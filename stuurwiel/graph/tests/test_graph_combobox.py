"""The element and subject choices are an accessible combobox: a text box with
role=combobox over a listbox of names, the id in a hidden input, never shown; without
JavaScript the typed name is looked up on submit. The relation list filters on the
ends by name the same way."""

import re

import pytest
from django.urls import reverse

from stuurwiel.graph.models import Element, Relation

pytestmark = pytest.mark.django_db


def url(name, **kwargs):
    return reverse(f"graph:{name}", kwargs={"org": "alfa", **kwargs})


def html(response) -> str:
    return response.content.decode()


@pytest.fixture
def pair(make_element, org_a, admin_a):
    from stuurwiel.graph import services

    source = make_element("Minder wachttijd", element_type="goal")
    target = make_element("Snelle afhandeling", element_type="outcome")
    services.relation_create(
        organisation=org_a,
        by=admin_a,
        data={"source": target, "target": source, "relation_type": "realization"},
    )
    return source, target


def test_relation_form_offers_comboboxes_with_labels_and_no_id_boxes(client_a, pair):
    page = html(client_a.get(url("relation_add"), {"source": pair[0].pk}))
    box = re.search(r'<input type="text" id="id_source"[^>]*>', page).group(0)
    assert 'role="combobox"' in box and 'aria-expanded="false"' in box
    assert 'aria-controls="id_source_listbox"' in box and 'value="Minder wachttijd"' in box
    assert '<ul class="combobox-listbox" id="id_source_listbox" role="listbox"' in page
    assert f'<input type="hidden" name="source" value="{pair[0].pk}"' in page
    assert '<label for="id_source">' in page
    assert f"(#{pair[0].pk})" not in page and 'type="number"' not in page


def test_without_javascript_the_typed_name_is_chosen(client_a, pair):
    source, target = pair
    response = client_a.post(
        url("relation_add"),
        {
            "source": "",
            "source_search": "minder wachttijd",
            "target": "",
            "target_search": "Snelle",  # the only element whose name holds this
            "relation_type": "association",
        },
    )
    assert response.status_code == 302
    assert Relation.objects.filter(source=source, target=target).exists()


def test_a_typed_name_matching_nothing_is_refused_and_shown_again(client_a, pair):
    response = client_a.post(
        url("relation_add"),
        {"source_search": "Bestaat niet", "target": pair[1].pk, "relation_type": "association"},
    )
    assert response.status_code == 400
    assert 'value="Bestaat niet"' in html(response)


def test_relation_list_filters_on_an_end_by_name_not_by_an_id_box(client_a, pair, make_element):
    source, target = pair
    other = make_element("Iets anders")
    from stuurwiel.graph import services

    services.relation_create(
        organisation=source.organisation,
        by=None,
        data={"source": other, "target": source, "relation_type": "association"},
    )
    page = html(client_a.get(url("relation_list")))
    assert "element-id" not in page and "element id" not in page
    assert 'role="combobox"' in page and 'type="hidden" name="source"' in page
    filtered = html(client_a.get(url("relation_list"), {"source_search": "iets anders"}))
    table = filtered.split('id="object-table"')[1]
    assert "Iets anders" in table and "Snelle afhandeling" not in table
    by_id = html(client_a.get(url("relation_list"), {"source": target.pk}))
    assert "Snelle afhandeling" in by_id.split('id="object-table"')[1]
    assert Element.objects.count() == 3


def test_adding_for_a_part_offers_its_element_types_first_and_all_others_one_click_away(
    client_a, service_subject, compass
):
    compass.why.element_types = ["driver", "goal"]
    compass.why.save()
    page = html(
        client_a.get(url("element_add"), {"subject": service_subject.pk, "part": compass.why.urn})
    )
    fits, others = page.split('<details class="other-types"')
    fits = fits.split('class="type-choice"')[1]
    assert re.findall(r'name="element_type" value="(\w+)"', fits) == ["driver", "goal"]
    assert "<summary>Toon alle typen</summary>" in others
    assert 'name="element_type" value="process"' in others
    assert '<select name="element_type"' not in page


def test_a_type_outside_the_part_can_still_be_chosen(client_a, service_subject, compass):
    compass.why.element_types = ["driver"]
    compass.why.save()
    response = client_a.post(
        url("element_add"),
        {
            "name": "Klachtenproces",
            "element_type": "process",
            "subject": service_subject.pk,
            "parts": [compass.why.pk],
        },
    )
    assert response.status_code == 302
    assert Element.objects.get(name="Klachtenproces").element_type == "process"


def test_without_a_part_the_type_is_a_plain_choice_of_all_types(client_a, service_subject):
    page = html(client_a.get(url("element_add"), {"subject": service_subject.pk}))
    assert '<select name="element_type"' in page and 'value="learning_question"' in page


def test_answers_are_checkboxes_grouped_by_framework_not_a_ctrl_click_list(
    client_a, service_subject, compass
):
    page = html(client_a.get(url("element_add"), {"subject": service_subject.pk}))
    assert "<select" not in page.split('id="id_parts"')[1].split("</div>\n</div>")[0]
    assert "<legend>Kompas</legend>" in page
    assert re.search(rf'<input type="checkbox" name="parts" value="{compass.measure.pk}"', page)
    assert 'id="id_parts" hx-get=' in page  # the wrapper refreshes, not each box
