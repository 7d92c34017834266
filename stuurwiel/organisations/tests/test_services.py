import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from rest_framework.authtoken.models import Token

from stuurwiel.changelog.models import ChangeLogEntry
from stuurwiel.core.exceptions import ConflictError
from stuurwiel.organisations import services
from stuurwiel.organisations.choices import Role
from stuurwiel.organisations.models import Membership, Organisation
from stuurwiel.organisations.selectors import membership_queryset, membership_role_conflicts

pytestmark = pytest.mark.django_db

User = get_user_model()


def _membership(user):
    return Membership.objects.get(user=user)


def _user(username="nieuw"):
    return User.objects.create_user(username=username, password="pw-Test-123!")


# --- Organisation --------------------------------------------------------------


def test_organisation_update_records_before_and_after_in_its_own_feed(org_a, admin_a):
    org = services.organisation_update(
        instance=org_a, by=admin_a, data={"name": "Gemeente Alfastad"}, version=1, reason="Fusie"
    )
    entry = ChangeLogEntry.objects.get()
    assert org.version == 2 and org.name == "Gemeente Alfastad"
    assert (entry.actor, entry.organisation, entry.reason) == (admin_a, org_a, "Fusie")
    assert (entry.before, entry.after) == (
        {"name": "Gemeente Alfa"},
        {"name": "Gemeente Alfastad"},
    )


def test_organisation_update_with_stale_version_is_refused(org_a, admin_a):
    services.organisation_update(instance=org_a, by=admin_a, data={"name": "A"}, version=1)
    with pytest.raises(ConflictError):
        services.organisation_update(instance=org_a, by=admin_a, data={"name": "B"}, version=1)


def test_organisation_update_cannot_change_the_short_name(org_a, admin_a):
    with pytest.raises(ValueError):
        services.organisation_update(instance=org_a, by=admin_a, data={"slug": "x"}, version=1)


def test_organisation_create_logs_the_organisation_and_its_first_admin(platform_admin):
    admin = _user("eerste")
    org = services.organisation_create(
        by=platform_admin,
        data={"slug": "gamma", "name": "Gemeente Gamma", "description": "Nieuwe klant"},
        admin=admin,
        reason="Contract getekend",
    )
    assert Organisation.objects.get(slug="gamma") == org
    assert (org.name, org.description) == ("Gemeente Gamma", "Nieuwe klant")
    assert _membership(admin).organisation == org
    assert _membership(admin).role_values == [Role.ORGANISATION_ADMIN]
    created = ChangeLogEntry.objects.get(content_type__model="organisation")
    assert (created.action, created.organisation, created.actor) == ("create", org, platform_admin)
    assert created.reason == "Contract getekend"
    assert created.after == {
        "name": "Gemeente Gamma",
        "slug": "gamma",
        "description": "Nieuwe klant",
    }
    member = ChangeLogEntry.objects.get(content_type__model="membership")
    assert (member.action, member.organisation, member.actor) == ("create", org, platform_admin)
    assert member.after["roles"] == [Role.ORGANISATION_ADMIN]


def test_organisation_create_without_admin_has_no_members(platform_admin):
    org = services.organisation_create(by=platform_admin, data={"slug": "gamma", "name": "G"})
    assert org.description == "" and not org.memberships.exists()
    assert ChangeLogEntry.objects.count() == 1


def test_organisation_create_refuses_a_taken_short_name_and_writes_nothing(org_a, platform_admin):
    admin = _user("eerste")
    with pytest.raises(ValidationError) as exc:
        services.organisation_create(
            by=platform_admin, data={"slug": "alfa", "name": "Nog een Alfa"}, admin=admin
        )
    assert exc.value.message_dict == {
        "slug": ["There already is an organisation with the short name “alfa”."]
    }
    assert list(Organisation.objects.values_list("name", flat=True)) == ["Gemeente Alfa"]
    assert not Membership.objects.filter(user=admin).exists()
    assert not ChangeLogEntry.objects.exists()


def test_organisation_create_lists_every_field_problem(platform_admin):
    inactive = _user("weg")
    inactive.is_active = False
    inactive.save()
    with pytest.raises(ValidationError) as exc:
        services.organisation_create(
            by=platform_admin, data={"slug": "geen slug!", "name": ""}, admin=inactive
        )
    assert set(exc.value.message_dict) == {"slug", "name", "admin"}
    assert exc.value.message_dict["admin"] == ["weg is not an active user."]
    assert not Organisation.objects.exists() and not ChangeLogEntry.objects.exists()


def test_organisation_create_losing_the_race_for_a_short_name_is_a_field_error(
    org_a, platform_admin, monkeypatch
):
    # Another request took the short name between the check and the insert.
    monkeypatch.setattr(Organisation, "validate_unique", lambda self, exclude=None: None)
    with pytest.raises(ValidationError) as exc:
        services.organisation_create(by=platform_admin, data={"slug": "alfa", "name": "A"})
    assert list(exc.value.message_dict) == ["slug"]
    # The surrounding transaction is still usable.
    assert Organisation.objects.count() == 1 and not ChangeLogEntry.objects.exists()


def test_organisation_create_cannot_set_other_fields(platform_admin):
    with pytest.raises(ValueError):
        services.organisation_create(
            by=platform_admin, data={"slug": "g", "name": "G", "version": 7}
        )


# --- Memberships ---------------------------------------------------------------


def test_membership_create_logs_the_roles(org_a, admin_a, subject_a):
    user = _user()
    membership = services.membership_create(
        organisation=org_a,
        by=admin_a,
        user=user,
        roles=[Role.ARCHITECT, (Role.OPERATOR, subject_a)],
        reason="Nieuwe collega",
    )
    entry = ChangeLogEntry.objects.get(object_id=str(membership.pk), action="create")
    assert entry.actor == admin_a and entry.organisation == org_a
    assert entry.after["roles"] == ["architect", f"operator@{subject_a.pk}"]
    # Not the installation-wide account id: the organisation's history names the member.
    assert entry.after["is_active"] is True and "user" not in entry.after


def test_membership_create_refuses_a_second_membership(org_a, admin_a):
    with pytest.raises(ValidationError) as exc:
        services.membership_create(organisation=org_a, by=admin_a, user=admin_a, roles=[])
    assert "user" in exc.value.message_dict


def test_membership_create_refuses_unknown_roles(org_a, admin_a):
    with pytest.raises(ValidationError) as exc:
        services.membership_create(organisation=org_a, by=admin_a, user=_user(), roles=["koning"])
    assert "roles" in exc.value.message_dict
    assert not Membership.objects.filter(user__username="nieuw").exists()


def test_scope_of_another_organisation_is_refused(org_a, admin_a, subject_b):
    with pytest.raises(ValidationError) as exc:
        services.membership_create(
            organisation=org_a, by=admin_a, user=_user(), roles=[(Role.OPERATOR, subject_b)]
        )
    assert "Geheim" not in str(exc.value)  # nothing of the other organisation leaks
    membership = _membership(admin_a)
    with pytest.raises(ValidationError):
        services.membership_roles_set(
            membership=membership,
            by=admin_a,
            roles=[Role.ORGANISATION_ADMIN, (Role.OPERATOR, subject_b)],
            version=1,
        )


def test_organisation_admin_role_cannot_be_scoped(org_a, admin_a, subject_a):
    with pytest.raises(ValidationError):
        services.membership_create(
            organisation=org_a,
            by=admin_a,
            user=_user(),
            roles=[(Role.ORGANISATION_ADMIN, subject_a)],
        )


def test_membership_roles_set_replaces_roles_and_logs_before_and_after(
    org_a, admin_a, make_member, subject_a
):
    membership = _membership(make_member(org_a, Role.ARCHITECT, username="arch"))
    updated = services.membership_roles_set(
        membership=membership,
        by=admin_a,
        roles=[Role.MANAGER, (Role.OPERATOR, subject_a)],
        version=1,
        reason="Andere taak",
    )
    assert updated.version == 2
    assert sorted((a.role, a.subject_id) for a in updated.role_assignments.all()) == [
        ("manager", None),
        ("operator", subject_a.pk),
    ]
    entry = ChangeLogEntry.objects.get(action="update")
    assert entry.before == {"roles": ["architect"]}
    assert entry.after == {"roles": ["manager", f"operator@{subject_a.pk}"]}
    assert (entry.actor, entry.reason, entry.organisation) == (admin_a, "Andere taak", org_a)


def test_membership_roles_set_with_stale_version_is_refused(org_a, admin_a):
    membership = _membership(admin_a)
    services.membership_roles_set(
        membership=membership, by=admin_a, roles=[Role.ORGANISATION_ADMIN], version=1
    )
    with pytest.raises(ConflictError):
        services.membership_roles_set(
            membership=membership, by=admin_a, roles=[Role.ORGANISATION_ADMIN], version=1
        )


def test_removing_the_last_organisation_admin_role_is_refused(org_a, admin_a):
    with pytest.raises(ValidationError) as exc:
        services.membership_roles_set(
            membership=_membership(admin_a), by=admin_a, roles=[Role.ARCHITECT], version=1
        )
    assert "last active organisation admin" in exc.value.messages[0]
    assert _membership(admin_a).role_values == ["organisation_admin"]
    assert not ChangeLogEntry.objects.exists()


def test_admin_role_may_go_when_another_active_admin_remains(org_a, admin_a, make_member):
    make_member(org_a, Role.ORGANISATION_ADMIN, username="admin-2")
    services.membership_roles_set(
        membership=_membership(admin_a), by=admin_a, roles=[Role.ARCHITECT], version=1
    )
    assert _membership(admin_a).role_values == ["architect"]


def test_an_inactive_admin_does_not_count_as_the_remaining_admin(org_a, admin_a, make_member):
    other = _membership(make_member(org_a, Role.ORGANISATION_ADMIN, username="admin-2"))
    services.membership_deactivate(membership=other, by=admin_a)
    with pytest.raises(ValidationError):
        services.membership_roles_set(
            membership=_membership(admin_a), by=admin_a, roles=[], version=1
        )


def test_admins_of_another_organisation_do_not_count(org_a, admin_a, admin_b):
    with pytest.raises(ValidationError):
        services.membership_deactivate(membership=_membership(admin_a), by=admin_a)


def test_deactivating_the_last_admin_is_refused(org_a, admin_a):
    with pytest.raises(ValidationError) as exc:
        services.membership_deactivate(membership=_membership(admin_a), by=admin_a)
    assert "admin-a" in exc.value.messages[0]
    assert _membership(admin_a).is_active


def test_deactivate_and_activate_are_logged_and_keep_the_roles(org_a, admin_a, auditor_a):
    membership = _membership(auditor_a)
    services.membership_deactivate(membership=membership, by=admin_a, reason="Vertrokken")
    services.membership_deactivate(membership=membership, by=admin_a)  # already: no change
    services.membership_activate(membership=membership, by=admin_a, reason="Terug")
    entries = list(ChangeLogEntry.objects.order_by("id"))
    assert [(e.before, e.after, e.reason) for e in entries] == [
        ({"is_active": True}, {"is_active": False}, "Vertrokken"),
        ({"is_active": False}, {"is_active": True}, "Terug"),
    ]
    membership.refresh_from_db()
    assert membership.is_active and membership.version == 3
    assert membership.role_values == ["auditor"]


def test_deactivate_with_stale_version_is_refused(org_a, admin_a, auditor_a):
    with pytest.raises(ConflictError):
        services.membership_deactivate(membership=_membership(auditor_a), by=admin_a, version=7)


# --- Role conflicts ------------------------------------------------------------


def _conflicts(user):
    membership = membership_queryset().get(user=user)
    return [
        (c.scope, c.conflict.first, c.conflict.second)
        for c in membership_role_conflicts(membership)
    ]


def test_conflicting_roles_for_the_whole_organisation_are_listed_once(org_a, make_member):
    user = make_member(org_a, Role.ARCHITECT, Role.OPERATOR, Role.MANAGER)
    assert _conflicts(user) == [
        (None, "architect", "operator"),
        (None, "manager", "operator"),
    ]


def test_organisation_wide_role_conflicts_with_a_role_on_one_subject(
    org_a, admin_a, make_member, subject_a
):
    user = make_member(org_a, Role.ARCHITECT, username="arch")
    services.membership_roles_set(
        membership=_membership(user),
        by=admin_a,
        roles=[Role.ARCHITECT, (Role.OPERATOR, subject_a)],
        version=1,
    )
    assert _conflicts(user) == [(subject_a, "architect", "operator")]


def test_roles_on_different_subjects_do_not_conflict(org_a, admin_a, make_member, subject_a):
    from stuurwiel.graph.models import Subject

    other = Subject.objects.create(organisation=org_a, name="Wmo-aanvraag", kind="service")
    user = make_member(org_a, username="split")
    services.membership_roles_set(
        membership=_membership(user),
        by=admin_a,
        roles=[(Role.ARCHITECT, subject_a), (Role.OPERATOR, other)],
        version=1,
    )
    assert _conflicts(user) == []


def test_a_conflict_is_a_warning_not_a_refusal(org_a, admin_a):
    services.membership_roles_set(
        membership=_membership(admin_a),
        by=admin_a,
        roles=[Role.ORGANISATION_ADMIN, Role.AUDITOR],
        version=1,
    )
    assert _conflicts(admin_a) == [(None, "auditor", "organisation_admin")]


# --- Users and tokens ----------------------------------------------------------


def test_user_create_logs_without_the_password(admin_a):
    user = services.user_create(
        username="jdevries",
        email="j.devries@alfa.nl",
        password="Stuurwiel-is-fijn-2026",
        first_name="Jan",
        last_name="de Vries",
        by=admin_a,
    )
    assert user.check_password("Stuurwiel-is-fijn-2026")
    entry = ChangeLogEntry.objects.get(object_id=str(user.pk))
    assert entry.after["username"] == "jdevries" and entry.actor == admin_a
    assert "password" not in entry.after
    assert user.password not in str(entry.after)


def test_user_create_lists_every_password_problem():
    with pytest.raises(ValidationError) as exc:
        services.user_create(username="kees", email="kees@example.org", password="1234")
    problems = exc.value.message_dict["password"]
    assert len(problems) >= 2  # too short, too common, entirely numeric
    assert not User.objects.filter(username="kees").exists()


def test_user_create_refuses_a_taken_username(admin_a):
    with pytest.raises(ValidationError) as exc:
        services.user_create(username="admin-a", email="", password="Stuurwiel-is-fijn-2026")
    assert "username" in exc.value.message_dict


def test_new_user_is_not_kept_when_the_membership_fails(org_a, admin_a):
    with pytest.raises(ValidationError):
        services.membership_create_for_new_user(
            organisation=org_a,
            by=admin_a,
            user_data={"username": "piet", "email": "", "password": "Stuurwiel-is-fijn-2026"},
            roles=["koning"],
        )
    assert not User.objects.filter(username="piet").exists()


def test_token_create_reuses_and_rotates_and_never_logs_the_key(admin_a):
    token, written = services.token_create(user=admin_a)
    again, written_again = services.token_create(user=admin_a)
    rotated, _ = services.token_create(user=admin_a, rotate=True)
    assert written and not written_again and again.key == token.key
    assert rotated.key != token.key and Token.objects.filter(user=admin_a).count() == 1
    logged = " ".join(str(e.before) + str(e.after) for e in ChangeLogEntry.objects.all())
    assert ChangeLogEntry.objects.count() == 2
    assert token.key not in logged and rotated.key not in logged
