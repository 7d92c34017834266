"""The link between a person and a user account: it gives that account access to
the person's records, so no generic write sets it, and the one service that does
links members of the person's own organisation only."""

import pytest
from django.core.exceptions import ValidationError

from stuurwiel.changelog.models import ChangeLogEntry
from stuurwiel.organisations.access import AccessDenied
from stuurwiel.organisations.choices import Role
from stuurwiel.parties.models import Person
from stuurwiel.parties.services import person_account_link, person_create, person_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(org_a, admin_a):
    return person_create(organisation=org_a, by=admin_a, data={"name": "Fatima El Amrani"})


def test_person_create_refuses_a_user_account(org_a, admin_a, admin_b):
    with pytest.raises(ValidationError) as raised:
        person_create(organisation=org_a, by=admin_a, data={"name": "Geleend", "user": admin_b})
    assert "user" in raised.value.message_dict
    assert not Person.objects.filter(name="Geleend").exists()


def test_person_update_refuses_a_user_account(person, admin_a, admin_b):
    with pytest.raises(ValidationError):
        person_update(instance=person, by=admin_a, data={"user": admin_b}, version=person.version)
    person.refresh_from_db()
    assert person.user_id is None


def test_a_member_of_the_organisation_can_be_linked_and_it_is_logged(person, admin_a, auditor_a):
    linked = person_account_link(person=person, user=auditor_a, by=admin_a, reason="Koppeling")
    assert linked.user == auditor_a and linked.version == person.version + 1
    entry = ChangeLogEntry.objects.get(
        content_type__model="person", object_id=person.pk, action="update"
    )
    assert (entry.actor, entry.reason, entry.after["user"]) == (admin_a, "Koppeling", auditor_a.pk)


def test_an_account_of_another_organisation_cannot_be_linked(person, admin_a, admin_b):
    with pytest.raises(ValidationError) as raised:
        person_account_link(person=person, user=admin_b, by=admin_a)
    assert "user" in raised.value.message_dict
    person.refresh_from_db()
    assert person.user_id is None


def test_a_deactivated_member_cannot_be_linked(person, admin_a, auditor_a):
    auditor_a.memberships.update(is_active=False)
    with pytest.raises(ValidationError):
        person_account_link(person=person, user=auditor_a, by=admin_a)


def test_only_who_manages_members_may_link(person, org_a, make_member, auditor_a):
    architect = make_member(org_a, Role.ARCHITECT, username="arch")
    with pytest.raises(AccessDenied):
        person_account_link(person=person, user=auditor_a, by=architect)
    person.refresh_from_db()
    assert person.user_id is None


def test_the_person_page_says_there_is_an_account_without_its_username(
    client_a, person, admin_a, auditor_a
):
    person_account_link(person=person, user=auditor_a, by=admin_a)
    url = f"/o/alfa/parties/persons/{person.pk}/"
    page = client_a.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "User account" in page and "auditor-a" not in page
