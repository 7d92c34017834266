"""The service pages: the catalogue, designing through the forms, the gate page,
the decisions, and what other roles and organisations get."""

from __future__ import annotations

import pytest
from django.urls import reverse

from stuurwiel.organisations.choices import Role
from stuurwiel.parties.models import Team
from stuurwiel.services import services
from stuurwiel.services.choices import ServiceStatus
from stuurwiel.services.models import Link, Service

pytestmark = pytest.mark.django_db


@pytest.fixture
def architect(org_a, make_member):
    return make_member(org_a, Role.ARCHITECT, Role.MANAGER, username="architect")


def _url(name, org, **kwargs):
    return reverse(f"services:{name}", kwargs={"org": org.slug, **kwargs})


def test_an_architect_adds_a_service_through_the_form(client, org_a, architect):
    client.force_login(architect)
    response = client.post(
        _url("service_add", org_a),
        {"name": "Wmo-aanvraag", "form": "single", "customer_value": "Hulp als het nodig is."},
    )
    assert response.status_code == 302
    service = Service.objects.get(organisation=org_a, name="Wmo-aanvraag")
    assert service.subject.kind == "service" and service.subject.name == "Wmo-aanvraag"
    assert service.status == ServiceStatus.DRAFT
    page = client.get(service.get_absolute_url())
    assert page.status_code == 200
    assert "Ontwerppoort" in page.content.decode() or "Design gate" in page.content.decode()


def test_a_duplicate_name_is_a_field_error(client, org_a, architect):
    services.service_create(organisation=org_a, by=architect, data={"name": "Verhuizing"})
    client.force_login(architect)
    response = client.post(_url("service_add", org_a), {"name": "Verhuizing", "form": "single"})
    assert response.status_code == 400
    assert Service.objects.filter(organisation=org_a).count() == 1


def test_a_link_added_from_the_service_page_returns_there(client, org_a, architect):
    service = services.service_create(organisation=org_a, by=architect, data={"name": "S"})
    team = Team.objects.create(organisation=org_a, name="Burgerzaken")
    client.force_login(architect)
    form = client.get(_url("link_add", org_a) + f"?service={service.pk}")
    assert form.status_code == 200
    response = client.post(
        _url("link_add", org_a), {"service": service.pk, "team": team.pk, "position": 1}
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"/services/{service.pk}/#chain")
    assert Link.objects.filter(service=service, team=team).exists()


def test_a_link_with_both_a_team_and_a_supplier_is_refused(client, org_a, architect):
    from stuurwiel.parties.models import Supplier

    service = services.service_create(organisation=org_a, by=architect, data={"name": "S"})
    team = Team.objects.create(organisation=org_a, name="T")
    supplier = Supplier.objects.create(organisation=org_a, name="L")
    client.force_login(architect)
    response = client.post(
        _url("link_add", org_a),
        {"service": service.pk, "team": team.pk, "supplier": supplier.pk, "position": 1},
    )
    assert response.status_code == 400
    assert not Link.objects.exists()


def test_an_interface_to_a_link_of_another_service_is_refused(org_a, architect):
    from django.core.exceptions import ValidationError

    one = services.service_create(organisation=org_a, by=architect, data={"name": "Een"})
    two = services.service_create(organisation=org_a, by=architect, data={"name": "Twee"})
    team = Team.objects.create(organisation=org_a, name="T")
    foreign = services.link_create(
        organisation=org_a, by=architect, data={"service": two, "team": team}
    )
    with pytest.raises(ValidationError) as refused:
        services.interface_create(
            organisation=org_a,
            by=architect,
            data={
                "service": one,
                "name": "Overdracht",
                "source_kind": "customer",
                "target_kind": "link",
                "target_link": foreign,
            },
        )
    assert "target_link" in refused.value.message_dict


def test_self_approval_is_refused_on_the_page_with_the_reason(client, org_a, architect):
    service = services.service_create(organisation=org_a, by=architect, data={"name": "S"})
    service = services.service_transition(
        service=service, to=ServiceStatus.IN_DESIGN, by=architect, version=service.version
    )
    client.force_login(architect)
    response = client.post(
        _url("service_approve", org_a, pk=service.pk),
        {"decision": "approved", "version": service.version},
        HTTP_ACCEPT_LANGUAGE="nl",
    )
    assert response.status_code == 403
    assert "Niemand keurt zijn eigen ontwerp goed" in response.content.decode()
    assert not service.approvals.exists()


def test_putting_live_with_gaps_shows_the_list(client, org_a, architect):
    service = services.service_create(organisation=org_a, by=architect, data={"name": "S"})
    Service.objects.filter(pk=service.pk).update(status=ServiceStatus.DESIGNED)
    client.force_login(architect)
    response = client.post(
        _url("service_transition", org_a, pk=service.pk), {"to": "live", "version": 1}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "chain_empty" in body  # the gap's code is on the page (data-code)
    service.refresh_from_db()
    assert service.status == ServiceStatus.DESIGNED


def test_an_operator_reads_but_cannot_change(client, org_a, architect, make_member):
    service = services.service_create(organisation=org_a, by=architect, data={"name": "S"})
    client.force_login(make_member(org_a, Role.OPERATOR, username="operator"))
    assert client.get(service.get_absolute_url()).status_code == 200
    assert client.get(_url("service_edit", org_a, pk=service.pk)).status_code == 403
    response = client.post(
        _url("service_transition", org_a, pk=service.pk), {"to": "in_design", "version": 1}
    )
    assert response.status_code == 403


def test_another_organisation_gets_404(client, org_a, org_b, architect, make_member):
    service = services.service_create(organisation=org_a, by=architect, data={"name": "S"})
    outsider = make_member(org_b, Role.ORGANISATION_ADMIN, username="buiten")
    client.force_login(outsider)
    assert client.get(_url("service_detail", org_b, pk=service.pk)).status_code == 404


def test_the_requester_catalogue_shows_live_services_only(client, org_a, architect, make_member):
    live = services.service_create(
        organisation=org_a,
        by=architect,
        data={"name": "Verhuizing", "customer_description": "Geef uw verhuizing door."},
    )
    services.service_create(organisation=org_a, by=architect, data={"name": "Nog in ontwerp"})
    Service.objects.filter(pk=live.pk).update(status=ServiceStatus.LIVE)
    client.force_login(make_member(org_a, Role.REQUESTER, username="inwoner"))
    body = client.get(_url("requester_catalogue", org_a)).content.decode()
    assert "Geef uw verhuizing door." in body
    assert "Nog in ontwerp" not in body
    assert client.get(_url("service_list", org_a)).status_code == 403


def test_the_requester_catalogue_shows_a_page_of_services_at_a_time(
    client, org_a, architect, make_member, settings
):
    settings.STUURWIEL_LIST_PAGE_SIZE = 2
    for name in ("Afval", "Bijstand", "Cultuurpas"):
        live = services.service_create(organisation=org_a, by=architect, data={"name": name})
        Service.objects.filter(pk=live.pk).update(status=ServiceStatus.LIVE)
    client.force_login(make_member(org_a, Role.REQUESTER, username="inwoner"))
    first = client.get(_url("requester_catalogue", org_a))
    second = client.get(_url("requester_catalogue", org_a), {"page": 2})
    assert [s.name for s in first.context["services"]] == ["Afval", "Bijstand"]
    assert [s.name for s in second.context["services"]] == ["Cultuurpas"]
    assert 'rel="next"' in first.content.decode()


def test_a_services_subject_follows_the_service_and_is_not_renamed_alone(org_a, architect):
    from django.core.exceptions import ValidationError

    from stuurwiel.core.exceptions import ProtectedError
    from stuurwiel.graph import services as graph_services

    service = services.service_create(organisation=org_a, by=architect, data={"name": "Oud"})
    service = services.service_update(
        instance=service, by=architect, data={"name": "Nieuw"}, version=service.version
    )
    subject = service.subject
    subject.refresh_from_db()
    assert subject.name == "Nieuw"
    with pytest.raises(ValidationError) as refused:
        graph_services.subject_update(
            instance=subject, by=architect, data={"name": "Anders"}, version=subject.version
        )
    assert "name" in refused.value.message_dict
    # Its description is the subject's own.
    graph_services.subject_update(
        instance=subject, by=architect, data={"description": "Lens"}, version=subject.version
    )
    with pytest.raises(ProtectedError):
        graph_services.subject_delete(instance=subject, by=architect, version=subject.version + 1)


def test_deleting_a_draft_service_removes_its_subject(org_a, architect):
    from stuurwiel.graph.models import Subject

    service = services.service_create(organisation=org_a, by=architect, data={"name": "Weg"})
    services.service_delete(instance=service, by=architect, version=service.version)
    assert not Service.objects.exists()
    assert not Subject.objects.filter(name="Weg").exists()


def test_the_staff_catalogue_is_headed_as_the_menu_names_it(client, org_a, architect):
    client.force_login(architect)
    page = client.get(_url("service_list", org_a)).content.decode()
    menu = f'<a href="{_url("service_list", org_a)}">Servicecatalogus</a>'
    assert menu in page
    assert "<h1>Servicecatalogus</h1>" in page and "<title>Servicecatalogus" in page
