"""The demo load: what it creates, that it is complete per framework, idempotent,
change-logged, isolated between organisations, and refuses a bad file whole."""

from __future__ import annotations

from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command

from stuurwiel.agreements.models import Agreement, AgreementVersion, Norm
from stuurwiel.calendars.models import BusinessCalendar, ClosedDay
from stuurwiel.changelog.choices import ChangeAction
from stuurwiel.changelog.models import ChangeLogEntry
from stuurwiel.demo.services import demo_load
from stuurwiel.frameworks.models import Framework, FrameworkPart
from stuurwiel.graph.models import Element, Relation, Subject
from stuurwiel.organisations.choices import Role
from stuurwiel.organisations.models import Membership, Organisation, RoleAssignment
from stuurwiel.parties.models import Person, Stakeholder, Supplier, Team
from stuurwiel.services.models import CanvasItem, DesignApproval, Interface, Link, Service

PASSWORD = "Stuurwiel-demo-2026"
COUNTED = (
    Organisation,
    get_user_model(),
    Membership,
    RoleAssignment,
    Team,
    Person,
    Supplier,
    Stakeholder,
    Subject,
    Element,
    Relation,
    ChangeLogEntry,
    Framework,
    BusinessCalendar,
    ClosedDay,
    Service,
    CanvasItem,
    Link,
    Interface,
    Agreement,
    AgreementVersion,
    Norm,
    DesignApproval,
)


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


def parts_answered(subject: Subject, framework: str, kind: str) -> dict[str, bool]:
    """For each part of ``kind`` in ``framework``: is some element of ``subject``
    classified by it or by a part inside it?"""
    used = set(FrameworkPart.objects.filter(elements__subject=subject).values_list("pk", flat=True))
    parents = dict(FrameworkPart.objects.values_list("pk", "parent_id"))
    answered: set[int] = set()
    for pk in used:
        while pk is not None:
            answered.add(pk)
            pk = parents.get(pk)
    parts = FrameworkPart.objects.filter(framework__ref_id=framework, kind=kind)
    return {part.ref_id: part.pk in answered for part in parts}


def test_demo_load_creates_middenstad_and_a_second_organisation(report, middenstad):
    assert Organisation.objects.filter(slug="nieuwdorp").exists()
    assert Team.objects.filter(organisation=middenstad).count() >= 14
    assert Person.objects.filter(organisation=middenstad).count() >= 30
    assert Supplier.objects.filter(organisation=middenstad).count() >= 3
    assert Stakeholder.objects.filter(organisation=middenstad).count() >= 10
    domains = set(Team.objects.filter(organisation=middenstad).values_list("domain", flat=True))
    # The book's Middenstad: Publieksdiensten (Dienstverlening), Sociaal Domein,
    # Omgevingsbeheer, IT, HR, Financiën, Inkoop, Openbare Orde & Veiligheid; plus Facilitair.
    assert {"Financiën", "Inkoop", "Sociaal Domein", "Omgevingsbeheer"} <= domains
    assert len(domains) == 9
    kinds = set(Subject.objects.filter(organisation=middenstad).values_list("kind", flat=True))
    assert kinds == {"capability", "digitalisation_agenda", "service", "mission_environment"}
    assert report.created_total > 0


def test_every_team_has_a_coordinator_from_its_own_organisation(middenstad):
    for team in Team.objects.filter(organisation=middenstad).select_related("coordinator"):
        assert team.coordinator is not None, team.name
        assert team.coordinator.organisation_id == middenstad.pk


def test_every_role_has_a_middenstad_member_with_that_role_who_can_log_in(middenstad, client):
    for role in Role.values:
        membership = Membership.objects.get(organisation=middenstad, user__username=role)
        assert role in membership.role_values
        assert Person.objects.filter(organisation=middenstad, user=membership.user).exists()
        assert client.login(username=role, password=PASSWORD), role


def test_one_demo_user_is_platform_admin(middenstad, client):
    from django.contrib.auth import get_user_model

    staff = get_user_model().objects.filter(is_staff=True)
    assert [user.username for user in staff] == ["organisation_admin"]
    client.login(username="organisation_admin", password=PASSWORD)
    assert client.get("/organisations/add/").status_code == 200
    assert client.get("/o/middenstad/frameworks/load/").status_code == 200


def test_the_service_owner_also_owns_verhuizing_doorgeven_explicitly(middenstad):
    scoped = RoleAssignment.objects.get(
        membership__organisation=middenstad,
        membership__user__username="service_owner",
        subject__isnull=False,
    )
    assert scoped.role == Role.SERVICE_OWNER
    assert scoped.subject.name == "Verhuizing doorgeven"


def test_enterprise_architecture_answers_every_optimum_aspect(middenstad):
    subject = Subject.objects.get(organisation=middenstad, name="Enterprise-architectuur")
    answered = parts_answered(subject, "optimum", "aspect")
    assert len(answered) == 5
    assert all(answered.values()), answered


def test_digitalisation_agenda_answers_every_idm_domain(middenstad):
    subject = Subject.objects.get(organisation=middenstad, name="Digitaliseringsagenda 2026–2029")
    answered = parts_answered(subject, "idm", "domain")
    assert len(answered) == 7
    assert all(answered.values()), answered
    for element in Element.objects.filter(subject=subject):
        assert "Ritme: " in element.description, element.name


def test_verhuizing_has_one_owner_and_chain_links_of_teams_and_suppliers(middenstad):
    subject = Subject.objects.get(organisation=middenstad, name="Verhuizing doorgeven")
    assert subject.owner.name == "Esther Koster"
    actors = Element.objects.filter(subject=subject, element_type="actor")
    assert actors.filter(name__startswith="Schakel").count() >= 5
    assert actors.filter(name__startswith="Toeleverancier").count() >= 3
    # A chain link formed by a team is owned by that team's coordinator.
    assert actors.get(name="Schakel Burgerzaken").owner.name == "Anouk van Dijk"
    assert Relation.objects.filter(source__subject=subject, relation_type="flow").exists()


def test_every_created_object_is_in_the_change_log(middenstad):
    logged = ChangeLogEntry.objects.filter(organisation=middenstad, action=ChangeAction.CREATE)
    for model in (
        Team,
        Person,
        Supplier,
        Stakeholder,
        Subject,
        Element,
        Relation,
        Membership,
        BusinessCalendar,
        Service,
        CanvasItem,
        Link,
        Interface,
        Agreement,
        AgreementVersion,
        Norm,
    ):
        ids = set(model.objects.filter(organisation=middenstad).values_list("pk", flat=True))
        logged_ids = set(
            logged.filter(content_type__model=model._meta.model_name).values_list(
                "object_id", flat=True
            )
        )
        assert ids <= logged_ids, model.__name__
    assert logged.filter(content_type__model="organisation").count() == 1


def test_second_run_creates_nothing_and_writes_no_change_log_entry(report):
    before = row_counts()
    again = demo_load(history=False)
    assert row_counts() == before
    assert again.created_total == 0
    assert again.skipped_total == report.created_total
    assert {login.username for login in again.logins} >= set(Role.values)


def test_users_of_the_second_organisation_cannot_see_middenstad(middenstad, client):
    nieuwdorp_admin = get_user_model().objects.get(username="nieuwdorp_admin")
    client.force_login(nieuwdorp_admin)
    assert client.get("/o/nieuwdorp/").status_code == 200
    response = client.get("/o/middenstad/")
    assert response.status_code == 404
    assert b"Middenstad" not in response.content


def test_middenstad_users_cannot_see_the_second_organisation(middenstad, client):
    client.force_login(get_user_model().objects.get(username="architect"))
    assert client.get("/o/middenstad/").status_code == 200
    assert client.get("/o/nieuwdorp/").status_code == 404


def test_command_prints_a_summary_and_the_demo_logins(db):
    out = StringIO()
    # The history has its own test module (test_demo_history); here only the summary.
    call_command("demo_load", "--no-history", stdout=out)
    text = out.getvalue()
    assert "Gemeente Middenstad" in text
    for role in Role.values:
        assert role in text
    assert PASSWORD in text
