import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stuurwiel.changelog.models import ChangeLogEntry
from stuurwiel.organisations.choices import Role
from stuurwiel.organisations.models import Membership, Organisation

pytestmark = pytest.mark.django_db

MEMBERS = "/api/o/alfa/members/"
PASSWORD = "Stuurwiel-is-fijn-2026"


def _membership(user):
    return Membership.objects.get(user=user)


def _invite(api, body):
    return api.post(MEMBERS, body, format="json")


def _detail(user, suffix=""):
    return f"{MEMBERS}{_membership(user).pk}/{suffix}"


def test_list_shows_roles_and_conflicts(api_client, auditor_a, make_member, org_a, subject_a):
    user = make_member(org_a, Role.ARCHITECT, username="arch")
    _membership(user).role_assignments.create(role=Role.OPERATOR, subject=subject_a)
    response = api_client(auditor_a).get(MEMBERS, {"role": "architect"})
    assert response.status_code == 200
    (row,) = response.json()["results"]
    assert row["name"] == "arch" and row["is_active"] is True
    assert [(r["role"], r["subject"]) for r in row["roles"]] == [
        ("architect", None),
        ("operator", subject_a.pk),
    ]
    (conflict,) = row["role_conflicts"]
    assert conflict["scope"] == subject_a.pk and conflict["principle"] == "design_own_work"
    assert [r["role"] for r in conflict["roles"]] == ["architect", "operator"]


def test_usernames_and_email_addresses_are_for_admins_and_the_member_only(
    api_client, auditor_a, admin_a
):
    admin_a.email = "beheer@alfa.nl"
    admin_a.save()
    as_auditor = api_client(auditor_a).get(_detail(admin_a)).json()
    assert as_auditor["email"] is None and as_auditor["username"] is None
    own = api_client(auditor_a).get(_detail(auditor_a)).json()
    assert own["username"] == "auditor-a"
    as_admin = api_client(admin_a).get(_detail(auditor_a)).json()
    assert as_admin["email"] == "" and as_admin["username"] is None
    assert api_client(admin_a).get(_detail(admin_a)).json()["email"] == "beheer@alfa.nl"


def test_retrieve_gives_an_etag(api_client, admin_a):
    response = api_client(admin_a).get(_detail(admin_a))
    assert response.status_code == 200 and response["ETag"] == '"1"'


def test_auditor_may_read_but_not_write(api_client, auditor_a, admin_a):
    api = api_client(auditor_a)
    assert api.get(_detail(admin_a)).status_code == 200
    body = {"email": "los@elders.nl", "name": "Los"}
    assert api.post(MEMBERS, body, format="json").status_code == 403
    assert api.put(_detail(admin_a), {"roles": [], "version": 1}, format="json").status_code == 403
    assert api.post(_detail(admin_a, "deactivate/"), format="json").status_code == 403
    assert not get_user_model().objects.filter(email="los@elders.nl").exists()


def test_inviting_an_address_with_an_account_adds_that_account(
    api_client, admin_a, org_a, subject_a, mailoutbox, django_capture_on_commit_callbacks
):
    existing = get_user_model().objects.create_user(
        username="jvdberg",
        email="J.vdBerg@elders.nl",
        first_name="Jan",
        last_name="Geheim",
        password=PASSWORD,
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(
            api_client(admin_a),
            {
                "email": "j.vdberg@elders.nl",
                "name": "Jan van den Berg",
                "roles": [{"role": "manager"}, {"role": "operator", "subject": subject_a.pk}],
                "reason": "Via provisioning",
            },
        )
    assert response.status_code == 201, response.content
    body = response.json()
    assert sorted(r["role"] for r in body["roles"]) == ["manager", "operator"]
    # Only what the admin gave comes back: not the account's own name.
    assert body["name"] == "Jan van den Berg" and "Geheim" not in response.content.decode()
    assert _membership(existing).organisation == org_a
    entry = ChangeLogEntry.objects.get(action="create", content_type__model="membership")
    assert (entry.source, entry.actor, entry.reason) == ("api", admin_a, "Via provisioning")
    (mail,) = mailoutbox
    assert mail.to == ["J.vdBerg@elders.nl"] and "/accounts/login/" in mail.body


def test_inviting_a_new_address_makes_an_account_with_a_link_to_choose_a_password(
    api_client, admin_a, mailoutbox, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(
            api_client(admin_a),
            {"email": "n@alfa.nl", "name": "Nina Nieuw", "roles": [{"role": "requester"}]},
        )
    assert response.status_code == 201, response.content
    assert response.json()["email"] == "n@alfa.nl"
    user = get_user_model().objects.get(email="n@alfa.nl")
    assert user.username == "n@alfa.nl" and not user.has_usable_password()
    (mail,) = mailoutbox
    link = next(line for line in mail.body.splitlines() if "/accounts/reset/" in line).strip()
    page = client.get(link, follow=True)
    assert page.status_code == 200
    done = client.post(
        page.redirect_chain[-1][0],
        {"new_password1": PASSWORD, "new_password2": PASSWORD},
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_the_answer_does_not_tell_whether_an_address_had_an_account(api_client, admin_a):
    get_user_model().objects.create_user(username="bestaand", email="wel@elders.nl")
    api = api_client(admin_a)
    known = api.post(MEMBERS, {"email": "wel@elders.nl", "name": "A"}, format="json")
    unknown = api.post(MEMBERS, {"email": "niet@elders.nl", "name": "B"}, format="json")
    assert known.status_code == unknown.status_code == 201
    assert set(known.json()) == set(unknown.json())
    # Only what the admin typed comes back, never the existing account's login name.
    assert "bestaand" not in known.content.decode()
    assert known.json()["username"] is None and unknown.json()["username"] is None


@pytest.mark.parametrize(
    "payload,field",
    [
        ({}, "email"),
        ({"email": "geen-adres", "name": "X"}, "email"),
        ({"email": "x@alfa.nl"}, "name"),
        ({"email": "x@alfa.nl", "name": "X", "roles": [{"role": "koning"}]}, "roles"),
        ({"email": "x@alfa.nl", "name": "X\u0000"}, None),
    ],
)
def test_create_errors_are_400(api_client, admin_a, payload, field):
    response = api_client(admin_a).post(MEMBERS, payload, format="json")
    assert response.status_code == 400, response.content
    if field:
        assert field in response.json()
    assert not get_user_model().objects.filter(email="x@alfa.nl").exists()


def test_inviting_someone_who_is_already_a_member_is_refused(api_client, admin_a):
    admin_a.email = "beheer@alfa.nl"
    admin_a.save()
    response = api_client(admin_a).post(
        MEMBERS, {"email": "beheer@alfa.nl", "name": "Nog eens"}, format="json"
    )
    assert response.status_code == 400 and "email" in response.json()


def test_scope_of_another_organisation_is_refused(api_client, admin_a, subject_b):
    response = api_client(admin_a).put(
        _detail(admin_a),
        {
            "roles": [
                {"role": "organisation_admin"},
                {"role": "operator", "subject": subject_b.pk},
            ],
            "version": 1,
        },
        format="json",
    )
    assert response.status_code == 400
    assert "Geheim" not in response.content.decode()


def test_put_replaces_roles_with_version_or_if_match(api_client, admin_a, auditor_a):
    api = api_client(admin_a)
    missing = api.put(_detail(auditor_a), {"roles": [{"role": "manager"}]}, format="json")
    ok = api.put(
        _detail(auditor_a), {"roles": [{"role": "manager"}]}, format="json", HTTP_IF_MATCH='"1"'
    )
    stale = api.put(
        _detail(auditor_a), {"roles": [{"role": "architect"}], "version": 1}, format="json"
    )
    assert missing.status_code == 400 and "version" in missing.json()
    assert ok.status_code == 200 and ok.json()["version"] == 2 and ok["ETag"] == '"2"'
    assert stale.status_code == 409 and stale.json()["current_version"] == 2
    assert _membership(auditor_a).role_values == ["manager"]
    entry = ChangeLogEntry.objects.get(action="update")
    assert (entry.before, entry.after) == ({"roles": ["auditor"]}, {"roles": ["manager"]})


def test_patch_and_delete_are_not_offered(api_client, admin_a, auditor_a):
    api = api_client(admin_a)
    assert api.patch(_detail(auditor_a), {"roles": []}, format="json").status_code == 405
    assert api.delete(_detail(auditor_a)).status_code == 405


def test_last_admin_is_protected(api_client, admin_a):
    api = api_client(admin_a)
    dropped = api.put(_detail(admin_a), {"roles": [], "version": 1}, format="json")
    deactivated = api.post(_detail(admin_a, "deactivate/"), format="json")
    assert dropped.status_code == 400 and deactivated.status_code == 400
    # Dutch by default, English when the client asks for it.
    assert "laatste actieve organisatiebeheerder" in deactivated.json()["detail"][0]
    english = api.post(_detail(admin_a, "deactivate/"), format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert "last active organisation admin" in english.json()["detail"][0]


def test_deactivate_and_activate(api_client, admin_a, auditor_a):
    api = api_client(admin_a)
    off = api.post(_detail(auditor_a, "deactivate/"), {"reason": "Weg"}, format="json")
    assert off.status_code == 200 and off.json()["is_active"] is False
    stale = api.post(_detail(auditor_a, "activate/"), {"version": 1}, format="json")
    on = api.post(_detail(auditor_a, "activate/"), {"version": 2}, format="json")
    assert stale.status_code == 409
    assert on.status_code == 200 and on.json()["is_active"] is True
    assert api.get(MEMBERS, {"is_active": "false"}).json()["count"] == 0


def test_other_organisation_is_404(api_client, admin_a, admin_b):
    api = api_client(admin_a)
    assert api.get("/api/o/beta/members/").status_code == 404
    assert api.get(_detail(admin_b)).status_code == 404
    assert api.put(_detail(admin_b), {"roles": [], "version": 1}, format="json").status_code == 404
    assert api.post(_detail(admin_b, "deactivate/"), format="json").status_code == 404
    assert _membership(admin_b).is_active


def test_list_query_count_does_not_grow_with_members(api_client, admin_a, make_member, org_a):
    api = api_client(admin_a)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert api.get(MEMBERS).status_code == 200
        return len(queries)

    for i in range(3):
        make_member(org_a, Role.ARCHITECT, Role.OPERATOR, username=f"small-{i}")
    few = count()
    for i in range(27):
        make_member(org_a, Role.MANAGER, username=f"large-{i}")
    assert count() == few


# --- Organisations (installation-wide) -------------------------------------------

ORGANISATIONS = "/api/organisations/"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def test_organisation_list_shows_only_the_users_own_organisations(
    api_client, org_a, org_b, admin_a, admin_b, make_member
):
    org_c = Organisation.objects.create(name="Gemeente Gamma", slug="gamma")
    left = make_member(org_c, Role.AUDITOR, username="vertrokken")
    Membership.objects.filter(user=left).update(is_active=False)
    Membership.objects.create(organisation=org_c, user=admin_a, is_active=False)
    response = api_client(admin_a).get(ORGANISATIONS)
    assert response.status_code == 200
    (row,) = response.json()["results"]
    assert row == {
        "slug": "alfa",
        "name": "Gemeente Alfa",
        "description": "",
        "members_url": "http://testserver/api/o/alfa/members/",
    }
    assert "Beta" not in response.content.decode() and "Gamma" not in response.content.decode()
    assert api_client(left).get(ORGANISATIONS).json()["results"] == []


def test_organisation_list_query_count_does_not_grow(api_client, admin_a, make_member):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert api.get(ORGANISATIONS).status_code == 200
        return len(queries)

    api = api_client(admin_a)
    few = count()
    for i in range(10):
        org = Organisation.objects.create(name=f"Org {i}", slug=f"org-{i}")
        Membership.objects.create(organisation=org, user=admin_a)
    assert count() == few


def test_platform_admin_creates_an_organisation_with_its_first_admin(
    api_client, platform_admin, admin_a
):
    response = api_client(platform_admin).post(
        ORGANISATIONS,
        {
            "slug": "gamma",
            "name": "Gemeente Gamma",
            "description": "Nieuw",
            "admin": "admin-a",
            "reason": "Contract getekend",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["slug"] == "gamma" and response.json()["name"] == "Gemeente Gamma"
    org = Organisation.objects.get(slug="gamma")
    assert Membership.objects.get(organisation=org).user == admin_a
    entries = ChangeLogEntry.objects.filter(organisation=org)
    assert {(e.source, e.actor, e.reason) for e in entries} == {
        ("api", platform_admin, "Contract getekend")
    }
    assert entries.count() == 2
    assert api_client(admin_a).get(ORGANISATIONS).json()["count"] == 2


def test_creating_an_organisation_needs_a_platform_admin(api_client, admin_a):
    response = api_client(admin_a).post(
        ORGANISATIONS, {"slug": "gamma", "name": "Gamma"}, format="json"
    )
    assert response.status_code == 403
    assert not Organisation.objects.filter(slug="gamma").exists()
    assert not ChangeLogEntry.objects.exists()


def test_anonymous_gets_nothing(client, org_a):
    assert client.get(ORGANISATIONS).status_code in (401, 403)
    assert client.post(ORGANISATIONS, {"slug": "g", "name": "G"}).status_code in (401, 403)
    assert Organisation.objects.count() == 1


def test_taken_short_name_is_a_field_error(api_client, platform_admin, org_a):
    response = api_client(platform_admin).post(
        ORGANISATIONS, {"slug": "alfa", "name": "Nog een Alfa"}, format="json", **EN
    )
    assert response.status_code == 400
    assert response.json() == {
        "slug": ["There already is an organisation with the short name “alfa”."]
    }
    assert Organisation.objects.count() == 1 and not ChangeLogEntry.objects.exists()


def test_unknown_first_admin_is_a_field_error(api_client, platform_admin):
    response = api_client(platform_admin).post(
        ORGANISATIONS,
        {"slug": "gamma", "name": "Gamma", "admin": "niemand"},
        format="json",
        **EN,
    )
    assert response.status_code == 400
    assert response.json() == {"admin": ["There is no user with this username."]}
    assert not Organisation.objects.exists()


def test_the_answer_shows_the_same_address_whatever_capitals_the_account_has(api_client, admin_a):
    # An account elsewhere stored its address with capitals; the admin types it
    # in other capitals. The answer must look like the one for a new address.
    get_user_model().objects.create_user(username="bob", email="Bob.Jansen@example.org")
    api = api_client(admin_a)
    known = api.post(MEMBERS, {"email": "bOB.jANSEN@example.ORG", "name": "Bob"}, format="json")
    unknown = api.post(
        MEMBERS, {"email": "aNNA.dE.vRIES@example.ORG", "name": "Anna"}, format="json"
    )
    assert known.status_code == unknown.status_code == 201
    assert known.json()["email"] == "bob.jansen@example.org"
    assert unknown.json()["email"] == "anna.de.vries@example.org"
    assert "Bob.Jansen" not in known.content.decode()
    created = get_user_model().objects.get(email__iexact="anna.de.vries@example.org")
    assert created.email == created.username == "anna.de.vries@example.org"


def test_the_membership_history_holds_no_account_id(api_client, admin_a):
    existing = get_user_model().objects.create_user(username="bob", email="bob@example.org")
    response = _invite(api_client(admin_a), {"email": "bob@example.org", "name": "Bob"})
    assert response.status_code == 201
    entry = ChangeLogEntry.objects.get(action="create", content_type__model="membership")
    assert "user" not in entry.after and entry.after["name"] == "Bob"
    assert str(existing.pk) not in {str(v) for v in entry.after.values()}
    history = api_client(admin_a).get("/api/o/alfa/changes/", {"object_type": "membership"})
    assert history.status_code == 200
    for row in history.json()["results"]:
        assert "user" not in (row.get("after") or {}) and "user" not in (row.get("before") or {})
    member = api_client(admin_a).get(_detail(existing)).json()
    assert "user" not in member and "user_id" not in member
