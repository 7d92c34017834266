"""The agreement pages: a service's overview, a draft's norm grid, new version
and putting in force, and who may see and change what."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stuurwiel.agreements import services
from stuurwiel.agreements.models import AgreementVersion
from stuurwiel.agreements.tests.factories import (
    draft_of,
    every_priority,
    in_force,
    make_agreement,
    make_service,
    set_norms,
    supplier_link,
    team_link,
)
from stuurwiel.organisations.choices import Role
from stuurwiel.organisations.models import Membership, RoleAssignment
from stuurwiel.parties.models import Person

pytestmark = pytest.mark.django_db


def _url(name, **kwargs):
    return reverse(f"agreements:{name}", kwargs={"org": "alfa", **kwargs})


@pytest.fixture
def chain(org_a):
    service = make_service(org_a, "Verhuizing")
    kcc = team_link(service, "KCC", position=1)
    supplier = supplier_link(service, "Pink Roccade", position=2)
    sa, ola, uc = (
        make_agreement(service),
        make_agreement(service, "ola", kcc),
        make_agreement(service, "uc", supplier),
    )
    in_force(sa, {**every_priority(30, 960), 1: (15, 480)})
    in_force(ola, {**every_priority(30, 480), 1: (15, 300)})
    in_force(uc, {**every_priority(30, 480), 1: (30, 240)})
    return service, sa, ola, uc


def test_the_service_overview_shows_norms_side_by_side_and_the_sum(manager_client, chain):
    service = chain[0]
    response = manager_client.get(_url("service_agreements", service=service.pk))
    page = response.content.decode()
    assert response.status_code == 200
    assert "SA Verhuizing" in page and "OLA KCC for Verhuizing" in page
    line = response.context["overview"].lines[0]
    assert line.priority == 1
    assert [n.resolution_minutes for n in line.norms] == [480, 300, 240]
    assert (line.links_sum.total, line.links_sum.limit, line.links_sum.over) == (540, 480, True)
    assert "more than the SA&#x27;s 8:00" in page or "more than the SA's 8:00" in page
    assert "9:00 (KCC 5:00 + Pink Roccade 4:00)" in page  # the finding, with its numbers


def test_the_overview_offers_to_add_a_missing_ola(manager_client, org_a):
    service = make_service(org_a, "Vergunning")
    link = team_link(service, "Vergunningen")
    response = manager_client.get(_url("service_agreements", service=service.pk))
    page = response.content.decode()
    assert f"kind=ola&amp;link={link.pk}" in page
    assert "has no agreement yet: it needs an OLA" in page


def test_the_overview_reads_in_a_fixed_number_of_queries(manager_client, org_a):
    service = make_service(org_a, "Groei")

    def count():
        with CaptureQueriesContext(connection) as captured:
            response = manager_client.get(_url("service_agreements", service=service.pk))
        assert response.status_code == 200
        return len(captured)

    make_agreement(service)
    count()
    few = count()
    for n in range(6):
        link = team_link(service, f"Team {n}", position=n)
        in_force(make_agreement(service, "ola", link))
    assert count() == few


def test_editing_a_draft_sets_its_norms_from_hours_and_minutes(manager_client, chain):
    _service, sa, _ola, _uc = chain
    draft = services.version_new(agreement=sa, by=None)
    url = _url("version_edit", pk=draft.pk)
    form = manager_client.get(url).context["form"]
    assert form["resolution_1"].value() == "8:00"
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(resolution_1="10:30", response_1="1", notes="Ruimer na overleg")
    response = manager_client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    norm = draft.norms.get(priority=1)
    assert (norm.response_minutes, norm.resolution_minutes) == (60, 630)


def test_resolution_before_response_is_refused_on_the_field_and_input_kept(manager_client, chain):
    draft = services.version_new(agreement=chain[1], by=None)
    url = _url("version_edit", pk=draft.pk)
    form = manager_client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(response_2="4:00", resolution_2="2:00")
    response = manager_client.post(url, data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == ["resolution_2"]
    assert "Resolution cannot come before the response (4:00)." in errors["resolution_2"]
    assert response.context["form"]["response_2"].value() == "4:00"


def test_a_typo_in_a_norm_says_how_to_write_it(manager_client, chain):
    draft = services.version_new(agreement=chain[1], by=None)
    url = _url("version_edit", pk=draft.pk)
    form = manager_client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(response_3="4u")
    response = manager_client.post(url, data)
    assert response.status_code == 400
    assert response.context["form"].errors["response_3"] == [
        "Write hours and minutes as H:MM, e.g. 0:30 or 8:00."
    ]


def test_a_concurrent_edit_of_a_draft_shows_what_changed_and_keeps_both(manager_client, chain):
    draft = services.version_new(agreement=chain[1], by=None)
    url = _url("version_edit", pk=draft.pk)
    form = manager_client.get(url).context["form"]
    start = {name: form[name].value() or "" for name in form.fields}
    theirs = {**start, "resolution_4": "6:00"}
    assert manager_client.post(url, theirs).status_code == 302
    mine = {**start, "notes": "Mijn notitie", "resolution_1": "4:00"}
    response = manager_client.post(url, mine)
    assert response.status_code == 409
    rows = {row.label: (row.theirs, row.yours) for row in response.context["conflict"]["rows"]}
    assert rows["Priority 4: resolved within"][0] == "6:00"
    assert rows["Priority 1: resolved within"][1] == "4:00"
    retry = response.context["form"]
    assert retry["resolution_4"].value() == "6:00"  # theirs, where only they changed
    assert retry["notes"].value() == "Mijn notitie"  # mine
    again = {name: retry[name].value() or "" for name in retry.fields}
    assert manager_client.post(url, again).status_code == 302
    draft.refresh_from_db()
    assert draft.notes == "Mijn notitie"
    assert draft.norms.get(priority=4).resolution_minutes == 360
    assert draft.norms.get(priority=1).resolution_minutes == 240


def test_the_edit_page_of_a_version_in_force_sends_you_to_make_a_new_version(manager_client, chain):
    version = chain[1].versions.get(status="active")
    response = manager_client.get(_url("version_edit", pk=version.pk), follow=True)
    assert "only a draft can be changed. Make a new version" in response.content.decode()


def test_new_version_and_activation_through_the_pages(manager_client, chain):
    ola = chain[2]
    old = ola.versions.get(status="active")
    response = manager_client.post(_url("version_new", pk=old.pk))
    draft = ola.versions.get(status="draft")
    assert response.status_code == 302 and response["Location"] == draft.get_edit_url()
    again = manager_client.post(_url("version_new", pk=old.pk), follow=True)
    assert "already has a draft, version 2" in again.content.decode()
    confirm = manager_client.get(_url("version_activate", pk=draft.pk))
    assert confirm.status_code == 200 and confirm.context["in_force"] == old
    done = manager_client.post(_url("version_activate", pk=draft.pk), {"version": draft.version})
    assert done.status_code == 302
    old.refresh_from_db()
    assert old.status == "superseded"
    twice = manager_client.post(_url("version_activate", pk=draft.pk), {"version": 1})
    assert twice.status_code == 409
    assert "in force already" in twice.content.decode()


def test_activation_without_all_norms_is_refused_on_the_page(manager_client, org_a):
    agreement = make_agreement(make_service(org_a))
    draft = set_norms(draft_of(agreement), {1: (30, 240)})
    response = manager_client.post(_url("version_activate", pk=draft.pk))
    assert response.status_code == 400
    assert "for priority 2, 3, 4, 5 before" in response.content.decode()


def test_the_agreement_page_lists_versions_with_who_put_them_in_force(manager_client, chain):
    sa = chain[1]
    response = manager_client.get(_url("agreement_detail", pk=sa.pk))
    assert response.status_code == 200
    [version] = response.context["versions"]
    assert version.status == "active"
    assert "in force" in response.content.decode()


def test_an_operator_reads_but_gets_403_on_every_change(client, operator_a, chain):
    client.force_login(operator_a)
    sa = chain[1]
    version = sa.versions.get()
    assert client.get(_url("agreement_detail", pk=sa.pk)).status_code == 200
    assert client.get(_url("service_agreements", service=chain[0].pk)).status_code == 200
    assert client.get(_url("agreement_edit", pk=sa.pk)).status_code == 403
    assert client.post(_url("version_new", pk=version.pk)).status_code == 403
    assert client.post(_url("version_activate", pk=version.pk)).status_code == 403
    assert client.get(_url("agreement_add")).status_code == 403
    assert AgreementVersion.objects.filter(agreement=sa).count() == 1


@pytest.fixture
def supplier_user(make_member, org_a, chain):
    """A user of the UC's supplier (their person works for it)."""
    user = make_member(org_a, Role.SUPPLIER_USER, username="leverancier")
    uc = chain[3]
    Person.objects.create(organisation=org_a, name="Lev", supplier=uc.link.supplier, user=user)
    return user


def test_a_supplier_sees_only_its_own_uc(client, supplier_user, chain):
    client.force_login(supplier_user)
    service, sa, ola, uc = chain
    listing = client.get(_url("agreement_list"))
    names = [str(a) for a in listing.context["page"].object_list]
    assert names == [uc.name]
    assert client.get(_url("agreement_detail", pk=uc.pk)).status_code == 200
    assert client.get(_url("agreement_detail", pk=sa.pk)).status_code == 404
    overview = client.get(_url("service_agreements", service=service.pk))
    assert [row.agreement for row in overview.context["overview"].rows] == [uc]
    assert overview.context["overview"].findings == []
    assert "SA Verhuizing" not in overview.content.decode()


def test_a_member_without_an_agreement_on_a_service_does_not_see_it(client, make_member, org_a):
    user = make_member(org_a, Role.SUPPLIER_USER, username="vreemd")
    service = make_service(org_a, "Geheim")
    client.force_login(user)
    assert client.get(_url("service_agreements", service=service.pk)).status_code == 404


def test_a_scoped_manager_changes_only_agreements_of_their_service(
    client, org_a, chain, make_member
):
    user = make_member(org_a, username="scoped")
    membership = Membership.objects.get(user=user)
    other = make_service(org_a, "Ander")
    RoleAssignment.objects.create(membership=membership, role=Role.MANAGER, subject=other.subject)
    client.force_login(user)
    assert client.get(_url("agreement_edit", pk=chain[1].pk)).status_code == 403
    mine = make_agreement(other)
    assert client.get(_url("agreement_edit", pk=mine.pk)).status_code == 200


def test_the_history_shows_norm_changes_under_the_agreement(manager_client, manager_a, org_a):
    service = make_service(org_a, "Verhuizing")
    agreement = services.agreement_create(
        organisation=org_a, by=manager_a, data={"service": service, "kind": "sa"}
    )
    draft = draft_of(agreement)
    services.norm_create(
        version=draft,
        by=manager_a,
        data={"priority": 1, "response_minutes": 30, "resolution_minutes": 240},
    )
    response = manager_client.get(_url("agreement_history", pk=agreement.pk))
    assert response.status_code == 200
    kinds = [entry.content_type.model for entry in response.context["changes"]]
    assert kinds == ["norm", "agreementversion", "agreement"]


def test_the_overview_is_a_tab_of_its_service_with_the_way_back(manager_client, chain):
    service = chain[0]
    page = manager_client.get(_url("service_agreements", service=service.pk)).content.decode()
    agreements_tab = f'href="{_url("service_agreements", service=service.pk)}" aria-current="page"'
    assert agreements_tab in page
    assert f'<a href="{service.get_absolute_url()}">{service}</a>' in page  # the breadcrumb
    assert reverse("services:service_gate", kwargs={"org": "alfa", "pk": service.pk}) in page


def test_a_supplier_gets_no_tabs_of_a_service_it_may_not_see(client, supplier_user, chain):
    client.force_login(supplier_user)
    service = chain[0]
    page = client.get(_url("service_agreements", service=service.pk)).content.decode()
    assert service.get_absolute_url() not in page
    assert reverse("services:service_gate", kwargs={"org": "alfa", "pk": service.pk}) not in page
