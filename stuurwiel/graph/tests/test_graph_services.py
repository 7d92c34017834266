"""Writes to the connected model: logged with before/after (parts included),
version-checked, and refused when they would break the model's rules."""

import pytest
from django.core.exceptions import ValidationError

from stuurwiel.changelog.models import ChangeLogEntry
from stuurwiel.core.exceptions import ConflictError, ProtectedError
from stuurwiel.graph import services
from stuurwiel.graph.models import Classification, Element, Relation, Subject

pytestmark = pytest.mark.django_db


def _entries(obj_or_model, pk=None):
    model = obj_or_model if pk is not None else type(obj_or_model)
    pk = pk if pk is not None else obj_or_model.pk
    return list(
        ChangeLogEntry.objects.filter(
            content_type__model=model._meta.model_name, object_id=str(pk)
        ).order_by("id")
    )


def test_subject_create_logs_its_frameworks(service_subject, compass):
    [entry] = _entries(service_subject)
    assert entry.action == "create" and entry.actor.username == "admin-a"
    assert entry.after["frameworks"] == [compass.framework.pk]


def test_element_create_update_delete_log_before_and_after_with_parts(
    make_element, admin_a, compass
):
    element = make_element("Minder wachttijd", compass.why)
    updated = services.element_update(
        instance=element,
        by=admin_a,
        data={"name": "Kortere wachttijd", "parts": [compass.why, compass.measure]},
        version=1,
        reason="Scherper",
    )
    assert updated.version == 2
    assert set(updated.parts.all()) == {compass.why, compass.measure}
    services.element_delete(instance=updated, by=admin_a, version=2)

    create, update, delete = _entries(Element, element.pk)
    assert create.after["parts"] == [compass.why.pk]
    assert update.before == {"name": "Minder wachttijd", "parts": [compass.why.pk]}
    assert update.after == {
        "name": "Kortere wachttijd",
        "parts": sorted([compass.why.pk, compass.measure.pk]),
    }
    assert update.reason == "Scherper"
    assert delete.action == "delete" and delete.before["parts"] == update.after["parts"]
    assert not Classification.objects.exists()


def test_element_classify_replaces_the_parts_and_logs_them(make_element, admin_a, compass):
    element = make_element("Inwonerstevredenheid", compass.why)
    services.element_classify(instance=element, by=admin_a, parts=[compass.what], version=1)
    assert list(element.parts.all()) == [compass.what]
    assert _entries(element)[-1].after == {"parts": [compass.what.pk]}


def test_stale_version_is_a_conflict_and_changes_nothing(make_element, admin_a):
    element = make_element("Doel")
    services.element_update(instance=element, by=admin_a, data={"name": "Doel 2"}, version=1)
    with pytest.raises(ConflictError) as caught:
        services.element_update(instance=element, by=admin_a, data={"name": "Doel 3"}, version=1)
    assert caught.value.current_version == 2
    with pytest.raises(ConflictError):
        services.element_delete(instance=element, by=admin_a, version=1)
    element.refresh_from_db()
    assert element.name == "Doel 2" and len(_entries(element)) == 2


def test_element_in_a_subject_of_another_organisation_is_refused(org_b, admin_a, make_element):
    foreign = Subject.objects.create(organisation=org_b, name="Geheim", kind="service")
    with pytest.raises(ValidationError) as caught:
        make_element("Lek", subject=foreign)
    assert "subject" in caught.value.message_dict
    assert not Element.objects.filter(name="Lek").exists()


def test_relation_between_organisations_is_refused(make_element, org_b, admin_a, org_a):
    mine = make_element("Van ons")
    theirs = Element.objects.create(organisation=org_b, name="Van hen", element_type="goal")
    with pytest.raises(ValidationError) as caught:
        services.relation_create(
            organisation=org_a,
            by=admin_a,
            data={"source": mine, "target": theirs, "relation_type": "serving"},
        )
    assert "target" in caught.value.message_dict and not Relation.objects.exists()


def test_parts_must_belong_to_a_framework_of_the_subject(make_element, other_framework):
    with pytest.raises(ValidationError) as caught:
        make_element("Verdwaald", other_framework.part)
    assert "Ander model: Iets" in caught.value.message_dict["parts"][0]


def test_an_element_without_subject_may_answer_any_part(make_element, other_framework):
    element = make_element("Los", other_framework.part, subject=None)
    assert list(element.parts.all()) == [other_framework.part]


def test_moving_an_element_to_a_subject_without_its_framework_is_refused(
    make_element, org_a, admin_a, compass
):
    element = make_element("Reden", compass.why)
    bare = services.subject_create(
        organisation=org_a, by=admin_a, data={"name": "Kaal", "kind": "capability"}
    )
    with pytest.raises(ValidationError) as caught:
        services.element_update(instance=element, by=admin_a, data={"subject": bare}, version=1)
    assert "parts" in caught.value.message_dict


def test_a_framework_still_used_by_elements_cannot_be_taken_off(
    service_subject, make_element, admin_a, compass
):
    make_element("Reden", compass.why)
    with pytest.raises(ValidationError) as caught:
        services.subject_update(
            instance=service_subject, by=admin_a, data={"frameworks": []}, version=1
        )
    assert "Kompas" in caught.value.message_dict["frameworks"][0]


def _relation(org, by, source, target, link, relation_type="influence"):
    return services.relation_create(
        organisation=org,
        by=by,
        data={
            "source": source,
            "target": target,
            "relation_type": relation_type,
            "link_type": link,
        },
    )


def test_relation_realising_a_link_type_is_accepted_when_its_ends_answer_the_parts(
    make_element, org_a, admin_a, compass
):
    why = make_element("Te lange wachttijd", compass.why)
    measured = make_element("Doorlooptijd < 5 dagen", compass.measure)  # inside Resultaat
    relation = _relation(org_a, admin_a, why, measured, compass.link)
    assert relation.link_type == compass.link
    assert _entries(relation)[0].after["link_type"] == compass.link.pk


def test_relation_with_another_type_than_its_link_type_is_refused(
    make_element, org_a, admin_a, compass
):
    why, what = make_element("Reden", compass.why), make_element("Resultaat", compass.what)
    with pytest.raises(ValidationError) as caught:
        _relation(org_a, admin_a, why, what, compass.link, relation_type="serving")
    assert "link_type" in caught.value.message_dict and not Relation.objects.exists()


def test_relation_whose_ends_do_not_answer_the_link_parts_is_refused(
    make_element, org_a, admin_a, compass
):
    why, what = make_element("Reden", compass.why), make_element("Resultaat", compass.what)
    with pytest.raises(ValidationError) as caught:
        _relation(org_a, admin_a, what, why, compass.link)  # the wrong way round
    assert set(caught.value.message_dict) == {"source", "target"}


def test_relation_to_itself_is_refused(make_element, org_a, admin_a):
    element = make_element("Eenzaam")
    with pytest.raises(ValidationError) as caught:
        _relation(org_a, admin_a, element, element, None)
    assert "target" in caught.value.message_dict


def test_relation_update_is_checked_against_the_link_type_too(
    make_element, org_a, admin_a, compass
):
    why, what = make_element("Reden", compass.why), make_element("Resultaat", compass.what)
    relation = _relation(org_a, admin_a, why, what, compass.link)
    with pytest.raises(ValidationError):
        services.relation_update(
            instance=relation, by=admin_a, data={"relation_type": "aggregation"}, version=1
        )
    changed = services.relation_update(
        instance=relation,
        by=admin_a,
        data={"relation_type": "aggregation", "link_type": None},
        version=1,
    )
    assert changed.version == 2 and changed.link_type is None


def test_reclassifying_away_a_part_a_link_needs_is_refused(make_element, org_a, admin_a, compass):
    why, what = make_element("Reden", compass.why), make_element("Resultaat", compass.what)
    _relation(org_a, admin_a, why, what, compass.link)
    with pytest.raises(ValidationError) as caught:
        services.element_classify(instance=why, by=admin_a, parts=[], version=1)
    assert "parts" in caught.value.message_dict


def test_deleting_an_element_deletes_and_logs_its_relations(make_element, org_a, admin_a, compass):
    hub, a, b = make_element("Knooppunt"), make_element("A"), make_element("B")
    out = _relation(org_a, admin_a, hub, a, None, relation_type="composition")
    into = _relation(org_a, admin_a, b, hub, None, relation_type="aggregation")
    keep = _relation(org_a, admin_a, a, b, None, relation_type="association")
    services.element_delete(instance=hub, by=admin_a, reason="Opgeheven")

    assert list(Relation.objects.all()) == [keep]
    for relation in (out, into):
        [_, deleted] = _entries(Relation, relation.pk)
        assert deleted.action == "delete" and deleted.actor.username == "admin-a"
        assert deleted.before["source"] == relation.source_id
        assert deleted.reason == "Opgeheven"
        assert "Knooppunt" in deleted.object_repr


def test_a_subject_with_elements_cannot_be_deleted(service_subject, make_element, admin_a):
    make_element("Blijft")
    with pytest.raises(ProtectedError) as caught:
        services.subject_delete(instance=service_subject, by=admin_a)
    assert "1 element" in caught.value.message
    assert Subject.objects.filter(pk=service_subject.pk).exists()


def test_a_subject_for_which_members_hold_roles_cannot_be_deleted(
    service_subject, admin_a, make_member, org_a
):
    from stuurwiel.organisations.models import Membership, RoleAssignment

    owner = make_member(org_a, username="eigenaar")
    owner.first_name, owner.last_name = "Ander", "Account"  # not what the message names
    owner.save()
    membership = Membership.objects.get(user=owner)
    Membership.objects.filter(pk=membership.pk).update(name="Esther Koster")
    RoleAssignment.objects.create(
        membership=membership, role="service_owner", subject=service_subject
    )
    with pytest.raises(ProtectedError) as caught:
        services.subject_delete(instance=service_subject, by=admin_a, version=1)
    assert "Esther Koster" in caught.value.message
    assert RoleAssignment.objects.filter(subject=service_subject).count() == 1
    assert [e.action for e in _entries(Subject, service_subject.pk)] == ["create"]


def test_an_empty_subject_is_deleted_and_logged(service_subject, admin_a):
    services.subject_delete(instance=service_subject, by=admin_a, version=1)
    assert [e.action for e in _entries(Subject, service_subject.pk)] == ["create", "delete"]
