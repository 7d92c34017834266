"""The pilot path: USM's seven implementation steps, each step's progress read from
the data, with the guard rails where they apply."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from stuurwiel.agreements.models import Agreement, AgreementVersion, Norm
from stuurwiel.calendars.models import BusinessCalendar, ServiceWindow
from stuurwiel.frameworks.services import framework_defaults_load
from stuurwiel.graph.models import Subject
from stuurwiel.organisations.access import access_for
from stuurwiel.organisations.choices import Role
from stuurwiel.organisations.models import Membership, RoleAssignment
from stuurwiel.parties.models import Person, Stakeholder, Team
from stuurwiel.services import design, services
from stuurwiel.services.choices import ServiceStatus
from stuurwiel.services.models import Service
from stuurwiel.services.pilot import StepState, pilot_path

pytestmark = pytest.mark.django_db


@pytest.fixture
def usm(db):
    framework_defaults_load()


@pytest.fixture
def people(org_a, make_member, usm):
    return make_member(org_a, Role.ARCHITECT, username="ontwerper"), make_member(
        org_a, Role.MANAGER, username="goedkeurder"
    )


def _path(org, user):
    return pilot_path(organisation=org, member_access=access_for(user, org))


def _states(path) -> dict[int, str]:
    return {step.number: step.state for step in path.steps}


def _step(path, number):
    return next(step for step in path.steps if step.number == number)


def _service(org, by, name, *, teams=("Burgerzaken",), steps=("uitvoeren-uitvoeren",)):
    """A service with a chain of team links (each performing ``steps``)."""
    service = services.service_create(organisation=org, by=by, data={"name": name})
    for position, team_name in enumerate(teams, start=1):
        team, _created = Team.objects.get_or_create(organisation=org, name=team_name)
        services.link_create(
            organisation=org,
            by=by,
            data={"service": service, "team": team, "position": position, "steps": list(steps)},
        )
    return Service.objects.get(pk=service.pk)


def _designed(org, by, name="Verhuizing doorgeven"):
    """Everything the design gate asks for, written by ``by``; still in draft."""
    owner = Person.objects.create(organisation=org, name=f"Eigenaar {name}")
    customers = Stakeholder.objects.create(
        organisation=org,
        name=f"Inwoners {name}",
        category="people",
        interest="high",
        influence="low",
    )
    calendar = BusinessCalendar.objects.create(organisation=org, name=f"Kantoortijden {name}")
    ServiceWindow.objects.create(
        organisation=org, calendar=calendar, weekday=1, start_minute=510, end_minute=1020
    )
    service = _service(org, by, name)
    service = services.service_update(
        instance=service,
        by=by,
        version=service.version,
        data={
            "customer_value": "Ik geef het één keer door.",
            "customer_description": "Geef je verhuizing door.",
            "owner": owner,
            "customers": [customers],
            "calendar": calendar,
        },
    )
    for section in design.canvas_sections():
        if not section.optional:
            services.canvas_item_create(
                organisation=org,
                by=by,
                data={
                    "service": service,
                    "section": section.ref_id,
                    "name": section.name,
                    "values": {cell.ref_id: "ingevuld" for cell in section.cells},
                },
            )
    link = service.links.get()
    services.interface_create(
        organisation=org,
        by=by,
        data={
            "service": service,
            "name": "Melding",
            "source_kind": "customer",
            "target_link": link,
        },
    )
    for kind, with_link in (("sa", None), ("ola", link)):
        agreement = Agreement.objects.create(
            organisation=org, service=service, kind=kind, link=with_link, name=f"{kind} {name}"
        )
        version = AgreementVersion.objects.create(organisation=org, agreement=agreement, number=1)
        for priority in range(1, 6):
            Norm.objects.create(
                organisation=org,
                agreement_version=version,
                priority=priority,
                response_minutes=30,
                resolution_minutes=480 * priority,
            )
    return Service.objects.get(pk=service.pk)


def _live(service, designer, approver):
    service = services.service_transition(
        service=service, to=ServiceStatus.IN_DESIGN, by=designer, version=service.version
    )
    services.service_approve(
        service=service, by=approver, decision="approved", version=service.version
    )
    service.refresh_from_db()
    return services.service_transition(
        service=service, to=ServiceStatus.LIVE, by=designer, version=service.version
    )


def test_the_seven_steps_come_from_the_usm_library_with_the_books_words(org_a, people):
    path = _path(org_a, people[0])
    assert [step.number for step in path.steps] == [1, 2, 3, 4, 5, 6, 7]
    assert _step(path, 3).quote == "Leg het speelveld vast voor de gekozen scope."
    assert _step(path, 3).quote_source == "Van Bon 2026, Managementsamenvatting"
    assert _step(path, 4).guard_rails == [
        "Bescherm de architectuur.",
        "Schaal pas op wanneer het stabiel is.",
    ]
    assert len(path.guard_rails) == 3


def test_with_nothing_recorded_the_steps_are_not_started_and_step_7_is_not_measurable(
    org_a, people
):
    # The two members are architect (architecture) and manager (management).
    assert _states(_path(org_a, people[0])) == {
        1: StepState.NOT_STARTED,
        2: StepState.STARTED,
        3: StepState.NOT_STARTED,
        4: StepState.NOT_STARTED,
        5: StepState.NOT_STARTED,
        6: StepState.NOT_STARTED,
        7: StepState.NOT_MEASURABLE,
    }


def test_step_2_is_done_when_every_usm_level_has_a_member(org_a, people, make_member):
    make_member(org_a, Role.WORKFLOW_COORDINATOR, username="coordinator")
    assert _step(_path(org_a, people[0]), 2).state == StepState.STARTED
    make_member(org_a, Role.OPERATOR, username="uitvoerder")
    assert _step(_path(org_a, people[0]), 2).state == StepState.DONE


def test_a_deactivated_member_does_not_count_for_step_2(org_a, people, make_member):
    make_member(org_a, Role.WORKFLOW_COORDINATOR, username="coordinator")
    operator = make_member(org_a, Role.OPERATOR, username="uitvoerder")
    Membership.objects.filter(user=operator).update(is_active=False)
    assert _step(_path(org_a, people[0]), 2).state == StepState.STARTED


def test_step_3_shows_who_contributes_to_what_as_a_matrix(org_a, people):
    designer = people[0]
    _service(org_a, designer, "Verhuizing doorgeven", teams=("Klantcontactcentrum", "Burgerzaken"))
    _service(org_a, designer, "Wmo-aanvraag", teams=("Klantcontactcentrum", "Wmo-loket"))
    path = _path(org_a, designer)
    assert _step(path, 1).state == _step(path, 3).state == StepState.DONE
    assert [service.name for service in path.matrix.services] == [
        "Verhuizing doorgeven",
        "Wmo-aanvraag",
    ]
    rows = {
        str(party): [link and link.position for link in cells] for party, cells in path.matrix.rows
    }
    assert rows == {"Burgerzaken": [2, None], "Klantcontactcentrum": [1, 1], "Wmo-loket": [None, 2]}


def test_step_3_is_under_way_while_a_service_has_no_chain(org_a, people):
    _service(org_a, people[0], "Met keten")
    _service(org_a, people[0], "Zonder keten", teams=())
    assert _step(_path(org_a, people[0]), 3).state == StepState.STARTED


def test_step_4_is_done_only_when_one_service_meets_every_gate_condition(org_a, people):
    designer, approver = people
    service = _designed(org_a, designer)
    step = _step(_path(org_a, designer), 4)
    assert step.state == StepState.STARTED
    assert "8 van de 9" in step.evidence[0] and service.name in step.evidence[0]
    assert step.action_name == "services:service_gate"
    _live(service, designer, approver)
    step = _step(_path(org_a, designer), 4)
    assert step.state == StepState.DONE
    assert step.action_name == "services:service_canvas"


def test_step_5_counts_the_links_that_perform_steps_of_the_usm_templates(org_a, people):
    _service(org_a, people[0], "Met stappen")
    assert _step(_path(org_a, people[0]), 5).state == StepState.DONE
    _service(org_a, people[0], "Zonder stappen", steps=())
    step = _step(_path(org_a, people[0]), 5)
    assert step.state == StepState.STARTED
    assert "1 van de 2" in step.evidence[0]


def test_step_6_is_under_way_with_a_live_service_and_says_calls_come_later(org_a, people):
    designer, approver = people
    _live(_designed(org_a, designer), designer, approver)
    step = _step(_path(org_a, designer), 6)
    assert step.state == StepState.STARTED
    assert "Verhuizing doorgeven" in step.evidence[0]
    assert "volgende versie" in step.evidence[1]
    assert not step.remarks


def test_a_live_service_whose_design_no_longer_passes_the_gate_is_a_warning(org_a, people):
    designer, approver = people
    service = _live(_designed(org_a, designer), designer, approver)
    Service.objects.filter(pk=service.pk).update(customer_value="")
    [remark] = _step(_path(org_a, designer), 6).remarks
    assert remark.warning and service.name in remark.text


def test_designing_several_services_before_one_is_live_warns_to_scale_only_when_stable(
    org_a, people
):
    _service(org_a, people[0], "Eerste")
    assert not _step(_path(org_a, people[0]), 1).remarks
    _service(org_a, people[0], "Tweede")
    path = _path(org_a, people[0])
    assert [remark.warning for remark in _step(path, 1).remarks] == [True]
    assert any(remark.warning for remark in _step(path, 4).remarks)


def test_only_the_services_a_member_may_see_count(org_a, people, make_member):
    designer = people[0]
    own = _service(org_a, designer, "Eigen dienst")
    _service(org_a, designer, "Andere dienst")
    supplier_user = make_member(org_a, username="leverancier")
    membership = Membership.objects.get(user=supplier_user)
    RoleAssignment.objects.create(
        membership=membership,
        role=Role.SUPPLIER_USER,
        subject=Subject.objects.get(pk=own.subject_id),
    )
    path = _path(org_a, supplier_user)
    assert [service.name for service in path.matrix.services] == ["Eigen dienst"]


def test_the_pilot_page_shows_the_steps_and_the_matrix(client, org_a, people):
    designer = people[0]
    _service(org_a, designer, "Verhuizing doorgeven", teams=("Klantcontactcentrum", "Burgerzaken"))
    client.force_login(designer)
    page = client.get(reverse("services:pilot_path", kwargs={"org": org_a.slug})).content.decode()
    assert page.count('class="pilot-step ') == 7
    assert "Leg het speelveld vast voor de gekozen scope." in page
    assert 'class="table pilot-matrix"' in page
    assert "Bescherm de architectuur." in page


def test_the_pilot_page_is_refused_to_a_requester(client, org_a, make_member, usm):
    client.force_login(make_member(org_a, Role.REQUESTER, username="aanvrager"))
    response = client.get(reverse("services:pilot_path", kwargs={"org": org_a.slug}))
    assert response.status_code == 403


def test_the_pilot_page_of_another_organisation_is_not_found(client, org_a, org_b, people):
    client.force_login(people[0])
    response = client.get(reverse("services:pilot_path", kwargs={"org": org_b.slug}))
    assert response.status_code == 404


def test_every_action_link_shown_to_a_supplier_user_opens(client, org_a, people, make_member):
    own = _service(org_a, people[0], "Eigen dienst")
    supplier_user = make_member(org_a, username="leverancier")
    RoleAssignment.objects.create(
        membership=Membership.objects.get(user=supplier_user),
        role=Role.SUPPLIER_USER,
        subject=Subject.objects.get(pk=own.subject_id),
    )
    client.force_login(supplier_user)
    response = client.get(reverse("services:pilot_path", kwargs={"org": org_a.slug}))
    actions = re.findall(r'<a class="button" href="([^"]+)"', response.content.decode())
    assert len(actions) >= 5
    assert {url: client.get(url).status_code for url in actions} == dict.fromkeys(actions, 200)
