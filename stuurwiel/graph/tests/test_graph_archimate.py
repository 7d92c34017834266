"""Relations are held to ArchiMate 3.2's relationship table (appendix B) where both
ends have an ArchiMate counterpart, and the refusal says what is allowed."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from stuurwiel.graph import archimate, services
from stuurwiel.graph.choices import ARCHIMATE_COUNTERPART, ElementType, RelationType
from stuurwiel.graph.models import Relation

pytestmark = pytest.mark.django_db


def _relate(org, by, source, target, relation_type):
    return services.relation_create(
        organisation=org,
        by=by,
        data={"source": source, "target": target, "relation_type": relation_type},
    )


def test_principle_triggering_an_application_is_refused_with_what_is_allowed(
    make_element, org_a, admin_a
):
    principle = make_element("Eén keer uitvragen", element_type="principle")
    application = make_element("Zaaksysteem", element_type="application")
    with translation.override("nl"), pytest.raises(ValidationError) as caught:
        _relate(org_a, admin_a, principle, application, "triggering")
    [message] = caught.value.message_dict["relation_type"]
    assert message == (
        "ArchiMate 3.2 staat geen Triggering-relatie toe van een Principe naar een "
        "Applicatie (toegestaan: Associatie)."
    )
    assert not Relation.objects.exists()


def test_the_refusal_reads_in_english_too(make_element, org_a, admin_a):
    goal = make_element("Minder wachttijd", element_type="goal")
    actor = make_element("Architectuurboard", element_type="actor")
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        _relate(org_a, admin_a, goal, actor, "influence")
    assert caught.value.message_dict["relation_type"] == [
        "ArchiMate 3.2 allows no Influence relationship from Goal to Actor (allowed: Association)."
    ]


def test_what_archimate_allows_is_saved(make_element, org_a, admin_a):
    application = make_element("Zaaksysteem", element_type="application")
    data = make_element("Inschrijving", element_type="data_object")
    relation = _relate(org_a, admin_a, application, data, "access")
    assert relation.pk is not None


def test_an_update_into_a_forbidden_relationship_is_refused(make_element, org_a, admin_a):
    process = make_element("Inschrijven", element_type="process")
    service = make_element("Verhuizing", element_type="service")
    relation = _relate(org_a, admin_a, process, service, "realization")
    with pytest.raises(ValidationError) as caught:
        services.relation_update(
            instance=relation, by=admin_a, data={"relation_type": "access"}, version=1
        )
    assert "relation_type" in caught.value.message_dict
    relation.refresh_from_db()
    assert relation.relation_type == "realization"


def test_types_without_an_archimate_counterpart_are_not_checked(make_element, org_a, admin_a):
    question = make_element("Wat leren we?", element_type="learning_question")
    principle = make_element("Eén keer uitvragen", element_type="principle")
    assert archimate.allowed_relation_types("learning_question", "principle") is None
    assert _relate(org_a, admin_a, question, principle, "triggering").pk is not None


def test_a_relation_realising_a_link_type_keeps_the_type_its_library_prescribes(
    make_element, org_a, admin_a, compass
):
    # The library says "influence"; ArchiMate has no influence from a goal to an actor.
    why = make_element("Reden", compass.why, element_type="goal")
    who = make_element("Board", compass.what, element_type="actor")
    relation = services.relation_create(
        organisation=org_a,
        by=admin_a,
        data={
            "source": why,
            "target": who,
            "relation_type": "influence",
            "link_type": compass.link,
        },
    )
    assert relation.link_type == compass.link


def test_the_table_file_names_its_source_and_covers_every_mapped_type():
    data = json.loads(archimate.TABLE_FILE.read_text(encoding="utf-8"))
    assert "Appendix B" in data["_source"]["standard"]
    assert "archimatetool/archi" in data["_source"]["derived_from"]
    assert set(data["keys"].values()) == set(RelationType.values)
    for archimate_type in ARCHIMATE_COUNTERPART.values():
        assert set(data["relationships"][archimate_type]) >= set(ARCHIMATE_COUNTERPART.values())


@pytest.mark.parametrize("source", sorted(ARCHIMATE_COUNTERPART))
def test_association_is_allowed_between_every_pair_as_archimate_says(source):
    for target in ARCHIMATE_COUNTERPART:
        assert "association" in archimate.allowed_relation_types(source, target)
    assert set(ARCHIMATE_COUNTERPART) < set(ElementType.values)


def test_the_api_refuses_it_too_with_the_explanation(api_client, admin_a, make_element):
    principle = make_element("Eén keer uitvragen", element_type="principle")
    application = make_element("Zaaksysteem", element_type="application")
    response = api_client(admin_a).post(
        "/api/o/alfa/model/relations/",
        {"source": principle.pk, "target": application.pk, "relation_type": "triggering"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "ArchiMate 3.2 allows no Triggering" in str(response.json())
    assert not Relation.objects.exists()


def test_the_form_offers_first_what_archimate_allows_between_the_chosen_ends(
    client_a, make_element
):
    from django.urls import reverse

    principle = make_element("Eén keer uitvragen", element_type="principle")
    application = make_element("Zaaksysteem", element_type="application")
    base = {"org": "alfa"}
    page = client_a.get(
        reverse("graph:relation_types", kwargs=base),
        {"source": principle.pk, "target": application.pk, "relation_type": "association"},
    ).content.decode()
    allowed, others = page.split("Alleen voor een relatie die een koppeling realiseert")
    assert 'label="Toegestaan door ArchiMate 3.2 van Principe naar Applicatie"' in allowed
    assert 'value="association" selected' in allowed and 'value="triggering"' not in allowed
    assert 'value="triggering"' in others
    form = client_a.get(reverse("graph:relation_add", kwargs=base)).content.decode()
    assert reverse("graph:relation_types", kwargs=base) in form
    assert "target.name===&#x27;source&#x27; || target.name===&#x27;target&#x27;" in form
