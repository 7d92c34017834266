"""Versioning: a draft is edited, putting it in force supersedes the version
before, and a version once in force never changes again."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone

from stuurwiel.agreements import services
from stuurwiel.agreements.models import AgreementVersion, Norm
from stuurwiel.agreements.services import VersionStateConflict
from stuurwiel.agreements.tests.factories import (
    draft_of,
    every_priority,
    in_force,
    make_agreement,
    make_service,
    set_norms,
)
from stuurwiel.changelog.models import ChangeLogEntry
from stuurwiel.core.exceptions import ConflictError

pytestmark = pytest.mark.django_db


def test_a_new_agreement_starts_with_version_1_as_a_draft(org_a, manager_a):
    service = make_service(org_a, "Verhuizing")
    agreement = services.agreement_create(
        organisation=org_a, by=manager_a, data={"service": service, "kind": "sa", "link": None}
    )
    version = agreement.versions.get()
    assert (version.number, version.status, version.valid_from) == (1, "draft", None)
    assert agreement.name == "SA Verhuizing"
    assert ChangeLogEntry.objects.filter(action="create").count() == 2


def test_a_new_version_supersedes_the_old_one_only_when_put_in_force(org_a, manager_a):
    agreement = make_agreement(make_service(org_a))
    first = in_force(agreement)
    second = services.version_new(agreement=agreement, by=manager_a)
    first.refresh_from_db()
    assert (second.number, second.status) == (2, "draft")
    assert first.status == "active"  # still in force while version 2 is drafted
    services.version_activate(instance=second, by=manager_a)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("superseded", "active")
    assert second.valid_from == timezone.localdate()
    assert second.activated_by == manager_a and second.activated_at is not None
    assert first.superseded_at is not None


def test_a_new_version_copies_the_version_in_force_with_its_norms(org_a, manager_a):
    agreement = make_agreement(make_service(org_a))
    first = in_force(agreement, every_priority(60, 600))
    first_norms = list(first.norms.values_list("priority", "response_minutes"))
    draft = services.version_new(agreement=agreement, by=manager_a)
    assert list(draft.norms.values_list("priority", "response_minutes")) == first_norms
    assert draft.calendar_id == first.calendar_id


def test_one_draft_at_a_time(org_a, manager_a):
    agreement = make_agreement(make_service(org_a))
    with pytest.raises(VersionStateConflict, match="already has a draft, version 1"):
        services.version_new(agreement=agreement, by=manager_a)


def test_a_superseded_version_is_immutable_and_says_to_make_a_new_version(org_a, manager_a):
    agreement = make_agreement(make_service(org_a))
    first = in_force(agreement)
    services.version_activate(
        instance=set_norms(services.version_new(agreement=agreement, by=manager_a), {}),
        by=manager_a,
    )
    first.refresh_from_db()
    assert first.status == "superseded"
    with pytest.raises(ValidationError, match="Make a new version") as caught:
        services.version_update(
            instance=first, by=manager_a, data={"notes": "anders"}, version=first.version
        )
    assert caught.value.code == "not_draft"
    norm = first.norms.get(priority=1)
    with pytest.raises(ValidationError, match="only a draft can be changed"):
        services.norm_update(
            instance=norm, by=manager_a, data={"resolution_minutes": 999}, version=norm.version
        )
    with pytest.raises(ValidationError):
        services.norm_delete(instance=norm, by=manager_a)
    norm.refresh_from_db()
    assert norm.resolution_minutes == 480


def test_a_reference_to_an_old_version_stays_valid(org_a, manager_a):
    """A call points at the version it started under; superseding it keeps that
    version, its number and its norms as they were."""
    agreement = make_agreement(make_service(org_a))
    old = in_force(agreement, every_priority(30, 240))
    started_under = AgreementVersion.objects.get(pk=old.pk)  # what a call would hold
    new = services.version_new(agreement=agreement, by=manager_a)
    services.version_update(
        instance=new,
        by=manager_a,
        data={
            "norms": [
                {"priority": p, "response_minutes": 60, "resolution_minutes": 960}
                for p in range(1, 6)
            ]
        },
        version=new.version,
    )
    services.version_activate(instance=new, by=manager_a)
    kept = AgreementVersion.objects.get(pk=started_under.pk)
    assert (kept.number, kept.status) == (1, "superseded")
    assert set(kept.norms.values_list("resolution_minutes", flat=True)) == {240}


def test_activation_is_refused_while_a_priority_has_no_norm(org_a, manager_a):
    agreement = make_agreement(make_service(org_a))
    draft = set_norms(draft_of(agreement), {1: (30, 240), 2: (60, 480), 3: (60, 960)})
    with pytest.raises(ValidationError) as caught:
        services.version_activate(instance=draft, by=manager_a)
    assert caught.value.message_dict == {
        "norms": [
            "Give a response and resolution norm for priority 4, 5 before putting this "
            "version in force."
        ]
    }
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_the_second_of_two_activations_gets_a_clear_conflict(org_a, manager_a):
    agreement = make_agreement(make_service(org_a))
    draft = set_norms(draft_of(agreement), every_priority(30, 480))
    seen_by_both = AgreementVersion.objects.get(pk=draft.pk)
    services.version_activate(instance=seen_by_both, by=manager_a, version=seen_by_both.version)
    with pytest.raises(VersionStateConflict, match="is in force already") as caught:
        services.version_activate(instance=seen_by_both, by=manager_a, version=1)
    assert isinstance(caught.value, ConflictError)
    assert AgreementVersion.objects.filter(agreement=agreement, status="active").count() == 1


def test_a_stale_version_number_on_activation_is_a_conflict(org_a, manager_a):
    agreement = make_agreement(make_service(org_a))
    draft = set_norms(draft_of(agreement), every_priority(30, 480))
    services.version_update(instance=draft, by=manager_a, data={"notes": "x"}, version=1)
    with pytest.raises(ConflictError):
        services.version_activate(instance=draft, by=manager_a, version=1)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_concurrent_activations_one_wins_the_other_is_told(org_a, make_member):
    """Two people put the same draft in force at the same moment: the rows are
    locked, so exactly one succeeds and the other gets a conflict, not a 500."""
    manager = make_member(org_a, "manager", username="m1")
    agreement = make_agreement(make_service(org_a))
    draft = set_norms(draft_of(agreement), every_priority(30, 480))
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def activate():
        try:
            barrier.wait()
            services.version_activate(
                instance=AgreementVersion.objects.get(pk=draft.pk), by=manager
            )
            outcomes.append("won")
        except VersionStateConflict:
            outcomes.append("conflict")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=activate) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "won"]
    assert AgreementVersion.objects.filter(agreement=agreement, status="active").count() == 1


def test_norms_of_a_draft_change_its_version_so_stale_editors_conflict(org_a, manager_a):
    agreement = make_agreement(make_service(org_a))
    draft = draft_of(agreement)
    services.norm_create(
        version=draft,
        by=manager_a,
        data={"priority": 1, "response_minutes": 30, "resolution_minutes": 240},
    )
    with pytest.raises(ConflictError):
        services.version_update(instance=draft, by=manager_a, data={"notes": "x"}, version=1)
    assert Norm.objects.filter(agreement_version=draft).count() == 1


def test_a_norm_per_priority_only_once(org_a, manager_a):
    draft = draft_of(make_agreement(make_service(org_a)))
    data = {"priority": 2, "response_minutes": 30, "resolution_minutes": 240}
    services.norm_create(version=draft, by=manager_a, data=data)
    with pytest.raises(ValidationError):
        services.norm_create(version=draft, by=manager_a, data=data)


def test_an_agreement_that_was_in_force_is_not_deleted(org_a, manager_a):
    from stuurwiel.core.exceptions import ProtectedError

    agreement = make_agreement(make_service(org_a))
    in_force(agreement)
    with pytest.raises(ProtectedError, match="has been in force"):
        services.agreement_delete(instance=agreement, by=manager_a)
    never = make_agreement(make_service(org_a))
    services.agreement_delete(instance=never, by=manager_a)
    assert not AgreementVersion.objects.filter(agreement_id=never.pk).exists()
