import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stuurwiel.changelog.models import ChangeLogEntry
from stuurwiel.organisations.choices import Role
from stuurwiel.organisations.models import Membership, Organisation

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
PASSWORD = "Stuurwiel-is-fijn-2026"


def url(name, org="alfa", **kwargs):
    return reverse(f"organisations:{name}", kwargs={"org": org, **kwargs})


def _membership(user):
    return Membership.objects.get(user=user)


def _roles_post(membership, roles=(), scoped=(), **extra):
    data = {
        "roles": list(roles),
        "version": membership.version,
        "scoped-TOTAL_FORMS": str(len(scoped) + 1),
        "scoped-INITIAL_FORMS": "0",
        "scoped-MIN_NUM_FORMS": "0",
        "scoped-MAX_NUM_FORMS": "1000",
        **extra,
    }
    for i, (role, subject) in enumerate(scoped):
        data[f"scoped-{i}-role"] = role
        data[f"scoped-{i}-subject"] = subject.pk
    return data


# --- List, detail, history -----------------------------------------------------


def test_member_list_shows_name_email_translated_roles_and_status(client_a, org_a, make_member):
    user = make_member(org_a, Role.WORKFLOW_MANAGER, username="wmanager")
    user.email = "wil@alfa.nl"
    user.save()
    Membership.objects.filter(user=user).update(name="Wil Manders")
    response = client_a.get(url("membership_list"), **EN)
    html = response.content.decode()
    assert response.status_code == 200
    for text in ("Wil Manders", "wil@alfa.nl", "Workflow manager", "admin-a"):
        assert text in html
    assert "wmanager" not in html  # login names are their holder's own


def test_member_list_shows_no_email_addresses_to_members_who_are_not_admins(
    client, org_a, make_member, auditor_a
):
    user = make_member(org_a, Role.OPERATOR, username="uitvoerder")
    user.email = "geheim@alfa.nl"
    user.save()
    client.force_login(auditor_a)
    listing = client.get(url("membership_list")).content.decode()
    detail = client.get(url("membership_detail", pk=_membership(user).pk)).content.decode()
    assert "geheim@alfa.nl" not in listing and "geheim@alfa.nl" not in detail
    assert "uitvoerder" in listing  # the name (here the default: the username)


def test_a_supplier_user_sees_only_their_own_membership(client, org_a, make_member, admin_a):
    supplier = make_member(org_a, Role.SUPPLIER_USER, username="leverancier")
    client.force_login(supplier)
    listing = client.get(url("membership_list")).content.decode()
    assert "leverancier" in listing and "admin-a" not in listing
    other = client.get(url("membership_detail", pk=_membership(admin_a).pk))
    assert other.status_code == 404


def test_member_list_warns_about_conflicting_roles(client_a, org_a, make_member):
    make_member(org_a, Role.ARCHITECT, Role.OPERATOR, username="alleskunner")
    html = client_a.get(url("membership_list"), **EN).content.decode()
    assert "⚠ Architect and Operator (whole organisation)" in html


def test_member_list_filters_on_role_and_search(client_a, org_a, make_member, auditor_a):
    make_member(org_a, Role.OPERATOR, username="uitvoerder")
    by_role = client_a.get(url("membership_list"), {"role": "operator"}).content.decode()
    by_text = client_a.get(url("membership_list"), {"q": "audit"}).content.decode()
    # (searching looks at the organisation's name for the member, here the default)
    assert "uitvoerder" in by_role and "auditor-a" not in by_role
    assert "auditor-a" in by_text and "uitvoerder" not in by_text


def test_member_list_query_count_does_not_grow_with_members(client_a, org_a, make_member):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client_a.get(url("membership_list")).status_code == 200
        return len(queries)

    for i in range(3):
        make_member(org_a, Role.ARCHITECT, Role.OPERATOR, username=f"small-{i}")
    few = count()
    for i in range(27):
        make_member(org_a, Role.MANAGER, username=f"large-{i}")
    assert count() == few


def test_member_detail_shows_roles_and_conflicts(client_a, org_a, make_member):
    user = make_member(org_a, Role.AUDITOR, Role.MANAGER, username="dubbel")
    response = client_a.get(url("membership_detail", pk=_membership(user).pk), **EN)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nobody judges their own performance." in html
    assert "Edit roles" in html and "Deactivate" in html


def test_member_history_shows_the_role_change(client_a, org_a, admin_a, make_member):
    membership = _membership(make_member(org_a, Role.OPERATOR, username="op"))
    client_a.post(
        url("membership_edit", pk=membership.pk),
        _roles_post(membership, [Role.MANAGER], change_reason="Promotie"),
    )
    response = client_a.get(url("membership_history", pk=membership.pk))
    assert response.status_code == 200
    assert "Promotie" in response.content.decode()


@pytest.mark.parametrize("name", ["membership_list", "membership_detail", "membership_history"])
def test_auditor_may_look(client, org_a, auditor_a, name):
    client.force_login(auditor_a)
    kwargs = {} if name == "membership_list" else {"pk": _membership(auditor_a).pk}
    response = client.get(url(name, **kwargs), **EN)
    assert response.status_code == 200
    assert "Edit roles" not in response.content.decode()


# --- Permission denied and other organisations ---------------------------------

WRITE_VIEWS = [
    ("organisation_edit", False),
    ("membership_add", False),
    ("membership_edit", True),
    ("membership_deactivate", True),
    ("membership_activate", True),
]


@pytest.mark.parametrize("name,with_pk", WRITE_VIEWS)
def test_auditor_may_not_change_anything(client, org_a, admin_a, auditor_a, name, with_pk):
    client.force_login(auditor_a)
    target = url(name, pk=_membership(admin_a).pk) if with_pk else url(name)
    assert client.get(target).status_code == 403
    assert client.post(target, {"roles": [Role.AUDITOR], "name": "X"}).status_code == 403
    assert not ChangeLogEntry.objects.exists()


ALL_VIEWS = [(name, True) for name in ("membership_detail", "membership_history")] + [
    ("membership_list", False),
    *WRITE_VIEWS,
]


@pytest.mark.parametrize("name,with_pk", ALL_VIEWS)
def test_non_member_gets_404(client, org_a, admin_a, admin_b, name, with_pk):
    client.force_login(admin_b)
    target = url(name, pk=_membership(admin_a).pk) if with_pk else url(name)
    assert client.get(target).status_code == 404
    assert client.post(target, {}).status_code in (404, 405)


@pytest.mark.parametrize("name", ["membership_detail", "membership_edit", "membership_deactivate"])
def test_membership_of_another_organisation_is_404(client_a, admin_b, name):
    target = url(name, pk=_membership(admin_b).pk)
    assert client_a.get(target).status_code == 404
    assert client_a.post(target, {}).status_code in (404, 405)  # detail has no POST
    assert _membership(admin_b).is_active


# --- Add -----------------------------------------------------------------------


def test_inviting_an_existing_account_adds_it_with_roles(
    client_a, org_a, admin_a, django_capture_on_commit_callbacks, mailoutbox
):
    user = get_user_model().objects.create_user(
        username="bestaand", email="b@elders.nl", first_name="Geheime", last_name="Naam"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client_a.post(
            url("membership_add"),
            {"email": "b@elders.nl", "name": "Bea Bestaand", "roles": ["architect", "manager"]},
        )
    membership = _membership(user)
    assert response.status_code == 302 and response["Location"] == membership.get_absolute_url()
    assert membership.role_values == ["architect", "manager"] and membership.name == "Bea Bestaand"
    entry = ChangeLogEntry.objects.get(
        object_id=str(membership.pk), content_type__model="membership"
    )
    assert (entry.action, entry.actor, entry.source) == ("create", admin_a, "ui")
    page = client_a.get(membership.get_absolute_url()).content.decode()
    assert "Geheime" not in page and "bestaand" not in page
    assert len(mailoutbox) == 1


def test_inviting_a_new_address_makes_an_account_without_a_password(client_a, org_a):
    response = client_a.post(
        url("membership_add"),
        {"email": "nina@alfa.nl", "name": "Nina Nieuw", "roles": ["operator"]},
    )
    user = get_user_model().objects.get(email="nina@alfa.nl")
    assert response.status_code == 302
    assert not user.has_usable_password() and user.get_full_name() == "Nina Nieuw"
    assert _membership(user).role_values == ["operator"]


def test_the_invite_answer_is_the_same_for_known_and_unknown_addresses(client_a, org_a):
    get_user_model().objects.create_user(username="bekend", email="wel@elders.nl")
    known = client_a.post(url("membership_add"), {"email": "wel@elders.nl", "name": "Wel"}, **EN)
    unknown = client_a.post(
        url("membership_add"), {"email": "niet@elders.nl", "name": "Niet"}, **EN
    )
    assert known.status_code == unknown.status_code == 302
    first = client_a.get(known["Location"], **EN).content.decode()
    assert "bekend" not in first


def test_inviting_a_member_again_is_refused_without_naming_the_account(client_a, org_a, auditor_a):
    auditor_a.email = "audit@alfa.nl"
    auditor_a.save()
    twice = client_a.post(url("membership_add"), {"email": "audit@alfa.nl", "name": "X"}, **EN)
    assert twice.status_code == 400 and "already a member" in twice.content.decode()
    assert Membership.objects.filter(organisation=org_a).count() == 2


def test_add_page_renders(client_a):
    response = client_a.get(url("membership_add"), **EN)
    assert response.status_code == 200 and "E-mail address" in response.content.decode()


# --- Edit roles ----------------------------------------------------------------


def test_edit_page_renders_current_roles(client_a, org_a, make_member, subject_a):
    membership = _membership(make_member(org_a, Role.ARCHITECT, username="arch"))
    membership.role_assignments.create(role=Role.OPERATOR, subject=subject_a)
    response = client_a.get(url("membership_edit", pk=membership.pk))
    assert response.status_code == 200
    form, formset = response.context["form"], response.context["formset"]
    assert form["roles"].value() == ["architect"]
    assert formset.initial == [{"role": "operator", "subject": subject_a.pk}]
    assert "Verhuizing" in response.content.decode()


def test_edit_sets_organisation_wide_and_scoped_roles(
    client_a, org_a, admin_a, make_member, subject_a
):
    membership = _membership(make_member(org_a, Role.ARCHITECT, username="arch"))
    response = client_a.post(
        url("membership_edit", pk=membership.pk),
        _roles_post(membership, [Role.ARCHITECT], scoped=[(Role.OPERATOR, subject_a)]),
        **EN,
    )
    assert response.status_code == 302
    assert sorted(
        (a.role, a.subject_id) for a in _membership(membership.user).role_assignments.all()
    ) == [("architect", None), ("operator", subject_a.pk)]
    warnings = [str(m) for m in response.wsgi_request._messages]
    assert any("Architect and Operator (Verhuizing)" in w for w in warnings)


def test_edit_refuses_a_subject_of_another_organisation(client_a, org_a, make_member, subject_b):
    membership = _membership(make_member(org_a, Role.ARCHITECT, username="arch"))
    response = client_a.post(
        url("membership_edit", pk=membership.pk),
        _roles_post(membership, [Role.ARCHITECT], scoped=[(Role.OPERATOR, subject_b)]),
    )
    assert response.status_code == 400
    assert _membership(membership.user).role_values == ["architect"]


def test_edit_with_stale_version_is_409(client_a, org_a, make_member):
    membership = _membership(make_member(org_a, Role.ARCHITECT, username="arch"))
    first = client_a.post(url("membership_edit", pk=membership.pk), _roles_post(membership))
    second = client_a.post(
        url("membership_edit", pk=membership.pk), _roles_post(membership, [Role.MANAGER])
    )
    assert (first.status_code, second.status_code) == (302, 409)
    assert _membership(membership.user).role_values == []


def test_last_admin_cannot_drop_their_own_admin_role(client_a, admin_a):
    membership = _membership(admin_a)
    response = client_a.post(
        url("membership_edit", pk=membership.pk), _roles_post(membership, [Role.ARCHITECT]), **EN
    )
    assert response.status_code == 400
    assert "last active organisation admin" in response.content.decode()
    assert _membership(admin_a).role_values == ["organisation_admin"]


# --- Deactivate and activate ---------------------------------------------------


def test_deactivate_then_activate(client_a, org_a, auditor_a):
    membership = _membership(auditor_a)
    assert client_a.get(url("membership_deactivate", pk=membership.pk)).status_code == 200
    response = client_a.post(
        url("membership_deactivate", pk=membership.pk), {"change_reason": "Vertrokken"}
    )
    assert response.status_code == 302 and not _membership(auditor_a).is_active
    auditor = Client()
    auditor.force_login(auditor_a)
    assert auditor.get(url("membership_list")).status_code == 404  # no longer a member
    client_a.post(url("membership_activate", pk=membership.pk))
    assert _membership(auditor_a).is_active
    assert ChangeLogEntry.objects.filter(object_id=str(membership.pk)).count() == 2


def test_deactivating_the_last_admin_is_refused_with_a_message(client_a, admin_a):
    membership = _membership(admin_a)
    response = client_a.post(url("membership_deactivate", pk=membership.pk), follow=True, **EN)
    assert "last active organisation admin" in response.content.decode()
    assert _membership(admin_a).is_active


# --- Organisation settings -----------------------------------------------------


def test_settings_update_name_and_description(client_a, org_a, admin_a):
    assert client_a.get(url("organisation_edit")).status_code == 200
    response = client_a.post(
        url("organisation_edit"),
        {"name": "Gemeente Alfastad", "description": "Fusiegemeente", "version": 1},
    )
    org_a.refresh_from_db()
    assert response.status_code == 302
    assert (org_a.name, org_a.description, org_a.version) == (
        "Gemeente Alfastad",
        "Fusiegemeente",
        2,
    )
    entry = ChangeLogEntry.objects.get()
    assert entry.organisation == org_a and entry.actor == admin_a


def test_settings_with_stale_version_is_409(client_a, org_a):
    client_a.post(url("organisation_edit"), {"name": "Eerste", "version": 1})
    response = client_a.post(url("organisation_edit"), {"name": "Tweede", "version": 1})
    org_a.refresh_from_db()
    assert response.status_code == 409 and org_a.name == "Eerste"


def test_dashboard_links_settings_only_for_admins(client_a, auditor_a):
    settings_url = url("organisation_edit")
    assert settings_url in client_a.get(url("dashboard")).content.decode()
    auditor = Client()
    auditor.force_login(auditor_a)
    assert settings_url not in auditor.get(url("dashboard")).content.decode()


def test_dashboard_shows_only_the_areas_the_roles_open(client, org_a, make_member):
    teams = reverse("parties:team_list", kwargs={"org": "alfa"})
    subjects = reverse("graph:subject_list", kwargs={"org": "alfa"})
    requester = Client()
    requester.force_login(make_member(org_a, Role.REQUESTER, username="aanvrager"))
    html = requester.get(url("dashboard")).content.decode()
    # A requester sees what is theirs, not the organisation's model or its parties.
    assert subjects not in html and teams not in html
    manager = Client()
    manager.force_login(make_member(org_a, Role.MANAGER, username="manager"))
    assert teams in manager.get(url("dashboard")).content.decode()


# --- New organisations (platform admins) ----------------------------------------

ADD = reverse("installation:organisation_add")
HOME = reverse("home")


def _new_org(**extra):
    return {"name": "Gemeente Gamma", "slug": "gamma", "description": "Nieuw", **extra}


def test_platform_admin_sees_the_add_button_even_as_member_of_one_organisation(
    client, org_a, platform_admin
):
    Membership.objects.create(organisation=org_a, user=platform_admin)
    client.force_login(platform_admin)
    response = client.get(HOME, **EN)
    html = response.content.decode()
    assert response.status_code == 200
    assert ADD in html and "Add organisation" in html and "Gemeente Alfa" in html


def test_member_of_one_organisation_goes_straight_to_it_without_an_add_button(client_a, org_a):
    response = client_a.get(HOME)
    assert response.status_code == 302 and response["Location"] == org_a.get_absolute_url()


def test_members_of_several_organisations_see_no_add_button(client, org_a, org_b, make_member):
    user = make_member(org_a, Role.ORGANISATION_ADMIN, username="twee")
    Membership.objects.create(organisation=org_b, user=user)
    client.force_login(user)
    html = client.get(HOME, **EN).content.decode()
    assert "Gemeente Beta" in html and ADD not in html


def test_switcher_without_javascript_goes_to_a_chosen_own_organisation(
    client, org_a, org_b, make_member
):
    user = make_member(org_a, Role.AUDITOR, username="wisselaar")
    client.force_login(user)
    own = client.get(HOME, {"o": org_a.get_absolute_url()})
    foreign = client.get(HOME, {"o": org_b.get_absolute_url()})
    assert own.status_code == 302 and own["Location"] == org_a.get_absolute_url()
    assert foreign.status_code == 302 and foreign["Location"] == org_a.get_absolute_url()
    assert (
        client.get(HOME, {"o": "https://elders.example/"})["Location"] != "https://elders.example/"
    )


def test_platform_admin_creates_an_organisation_and_becomes_its_admin(client, platform_admin):
    client.force_login(platform_admin)
    form = client.get(ADD, **EN)
    assert form.status_code == 200 and 'value="beheer"' in form.content.decode()
    response = client.post(ADD, _new_org(admin="beheer", change_reason="Nieuwe klant"))
    org = Organisation.objects.get(slug="gamma")
    assert response.status_code == 302 and response["Location"] == org.get_absolute_url()
    assert (org.name, org.description) == ("Gemeente Gamma", "Nieuw")
    assert Membership.objects.get(user=platform_admin).organisation == org
    assert client.get(org.get_absolute_url()).status_code == 200
    entry = ChangeLogEntry.objects.get(content_type__model="organisation")
    assert (entry.actor, entry.source, entry.reason) == (platform_admin, "ui", "Nieuwe klant")


def test_platform_admin_who_names_someone_else_admin_returns_home(client, platform_admin, admin_a):
    client.force_login(platform_admin)
    response = client.post(ADD, _new_org(admin="admin-a"), follow=True, **EN)
    org = Organisation.objects.get(slug="gamma")
    assert response.redirect_chain == [(HOME, 302)]
    assert "The organisation Gemeente Gamma has been created." in response.content.decode()
    assert Membership.objects.get(organisation=org).user == admin_a


def test_taken_short_name_is_shown_on_the_form(client, org_a, platform_admin):
    client.force_login(platform_admin)
    response = client.post(ADD, _new_org(slug="alfa", admin="beheer"), **EN)
    assert response.status_code == 400
    html = response.content.decode()
    assert "There already is an organisation with the short name “alfa”." in html
    assert Organisation.objects.count() == 1 and not ChangeLogEntry.objects.exists()


def test_unknown_first_admin_is_shown_on_the_form(client, platform_admin):
    client.force_login(platform_admin)
    response = client.post(ADD, _new_org(admin="niemand"), **EN)
    assert response.status_code == 400
    assert "There is no user with this username." in response.content.decode()
    assert not Organisation.objects.exists()


def test_organisation_admin_who_is_no_platform_admin_may_not_add_organisations(client_a):
    assert client_a.get(ADD).status_code == 403
    assert client_a.post(ADD, _new_org(admin="admin-a")).status_code == 403
    assert not Organisation.objects.filter(slug="gamma").exists()


def test_anonymous_visitor_is_sent_to_the_login_page(client, db):
    for response in (client.get(ADD), client.post(ADD, _new_org(admin="x"))):
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Organisation.objects.exists()
