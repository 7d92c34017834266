"""A live service with a chain of three links and members in every call role."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.utils import translation

from stuurwiel.agreements.models import Agreement, AgreementVersion, Norm
from stuurwiel.calendars.models import BusinessCalendar, ServiceWindow
from stuurwiel.calls.definitions import forget_snapshots
from stuurwiel.graph.models import Subject
from stuurwiel.organisations.choices import Role
from stuurwiel.parties.models import Person, Supplier, Team
from stuurwiel.services.models import Interface, Link, Service

FRONT_STEPS = [
    f"{process}-{step}"
    for process in ("afspreken", "wijzigen", "herstellen")
    for step in ("aannemen", "classificeren")
] + ["uitvoeren-aannemen", "verbeteren-identificeren", "verbeteren-classificeren"]
SPECIALIST_STEPS = [
    "uitvoeren-classificeren",
    "afspreken-specificeren",
    "afspreken-offerte",
    "afspreken-onderhandelen",
    "afspreken-realiseren",
    "herstellen-analyseren",
    "herstellen-voorbereiden",
    "herstellen-herstellen",
    "wijzigen-plannen-accorderen",
    "wijzigen-voorbereiden",
    "wijzigen-testen-vrijgeven",
    "wijzigen-implementeren",
    "wijzigen-bijwerken-register",
    "verbeteren-oorzaak",
    "verbeteren-selecteren-maatregel",
    "verbeteren-doorvoeren-maatregel",
]
SUPPLIER_STEPS = ["uitvoeren-plannen", "uitvoeren-uitvoeren"]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def fresh_snapshots():
    """Snapshot rows roll back with each test; so must the per-process cache."""
    forget_snapshots()
    yield
    forget_snapshots()


def _person(org, user, **where):
    return Person.objects.create(organisation=org, name=user.username, user=user, **where)


def build_world(org, make_member, *, prefix: str = "") -> SimpleNamespace:
    subject = Subject.objects.create(organisation=org, name=f"{prefix}Melding", kind="service")
    calendar = BusinessCalendar.objects.create(organisation=org, name=f"{prefix}Kantoor")
    for weekday in range(1, 6):
        ServiceWindow.objects.create(
            organisation=org, calendar=calendar, weekday=weekday, start_minute=0, end_minute=1440
        )
    service = Service.objects.create(
        organisation=org,
        subject=subject,
        name=f"{prefix}Parkeren",
        status="live",
        calendar=calendar,
    )
    front = Team.objects.create(organisation=org, name=f"{prefix}KCC")
    specialists = Team.objects.create(organisation=org, name=f"{prefix}Parkeerbeheer")
    supplier = Supplier.objects.create(organisation=org, name=f"{prefix}ParkeerBV")
    links = SimpleNamespace(
        front=Link.objects.create(
            organisation=org, service=service, team=front, position=1, steps=FRONT_STEPS
        ),
        specialists=Link.objects.create(
            organisation=org, service=service, team=specialists, position=2, steps=SPECIALIST_STEPS
        ),
        supplier=Link.objects.create(
            organisation=org, service=service, supplier=supplier, position=3, steps=SUPPLIER_STEPS
        ),
    )
    Interface.objects.create(
        organisation=org,
        service=service,
        name="Melding",
        source_kind="customer",
        target_link=links.front,
        passes="De melding van de burger",
    )
    Interface.objects.create(
        organisation=org,
        service=service,
        name="Doorzetten",
        source_link=links.front,
        target_link=links.specialists,
        passes="Geclassificeerde melding met kenteken",
    )
    Interface.objects.create(
        organisation=org,
        service=service,
        name="Opdracht",
        source_link=links.specialists,
        target_link=links.supplier,
        passes="Werkopdracht zonder persoonsgegevens",
    )
    sa = Agreement.objects.create(organisation=org, service=service, kind="sa", name="SA")
    version = AgreementVersion.objects.create(
        organisation=org, agreement=sa, number=1, status="active", calendar=calendar
    )
    for priority in range(1, 6):
        Norm.objects.create(
            organisation=org,
            agreement_version=version,
            priority=priority,
            response_minutes=60 * priority,
            resolution_minutes=480 * priority,
        )

    def member(name, *roles, **where):
        user = make_member(org, *roles, username=f"{prefix}{name}")
        if where:
            _person(org, user, **where)
        return user

    people = SimpleNamespace(
        requester=member("burger", Role.REQUESTER),
        desk=member("desk", Role.OPERATOR, team=front),
        desk2=member("desk2", Role.OPERATOR, team=front),
        specialist=member("specialist", Role.OPERATOR, team=specialists),
        tester=member("tester", Role.OPERATOR, team=specialists),
        supplier=member("leverancier", Role.SUPPLIER_USER, supplier=supplier),
        team_coordinator=member("teamco", Role.TEAM_COORDINATOR, team=specialists),
        coordinator=member("wfco", Role.WORKFLOW_COORDINATOR),
        evaluator=member("wfmanager", Role.WORKFLOW_MANAGER),
        manager=member("manager", Role.MANAGER, Role.OPERATOR, team=specialists),
    )
    return SimpleNamespace(
        org=org, service=service, links=links, sa_version=version, calendar=calendar, **vars(people)
    )


@pytest.fixture
def world(org_a, make_member):
    return build_world(org_a, make_member)


@pytest.fixture
def api_client():
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    def factory(user):
        client = APIClient()
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}", HTTP_ACCEPT_LANGUAGE="en")
        return client

    return factory
