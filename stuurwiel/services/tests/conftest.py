"""A complete service design, with every part the export carries filled in."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from stuurwiel.agreements.models import Agreement, AgreementVersion, Norm
from stuurwiel.calendars.models import BusinessCalendar, ClosedDay, ServiceWindow
from stuurwiel.graph.models import Element, Subject
from stuurwiel.parties.models import Person, Stakeholder, Supplier, Team
from stuurwiel.services.models import (
    CanvasItem,
    DesignApproval,
    InfrastructureComponent,
    Interface,
    Link,
    Service,
)


def full_design(org, *, name: str = "Verhuizing") -> Service:
    """A service with owner, customers, calendar, canvas, a team and a supplier
    link, interfaces, a managed component with its element, an SA, an OLA and a
    UC with versions and norms, and an approval."""
    owner = Person.objects.create(organisation=org, name="Fatima Yilmaz", job_title="Manager")
    inwoners = Stakeholder.objects.create(
        organisation=org,
        name="Inwoners",
        category="people",
        interest="high",
        influence="medium",
        is_internal=False,
    )
    ondernemers = Stakeholder.objects.create(
        organisation=org, name="Ondernemers", category="profit", interest="low", influence="low"
    )
    calendar = BusinessCalendar.objects.create(
        organisation=org, name="Kantoortijden", description="Ma–vr", time_zone="Europe/Amsterdam"
    )
    for weekday in (1, 2, 3, 4, 5):
        ServiceWindow.objects.create(
            organisation=org, calendar=calendar, weekday=weekday, start_minute=510, end_minute=720
        )
        ServiceWindow.objects.create(
            organisation=org, calendar=calendar, weekday=weekday, start_minute=780, end_minute=1020
        )
    ClosedDay.objects.create(
        organisation=org, calendar=calendar, date=datetime.date(2026, 12, 25), name="Kerst"
    )
    ClosedDay.objects.create(
        organisation=org,
        calendar=calendar,
        date=datetime.date(2026, 4, 3),
        name="Goede Vrijdag",
        kind="holiday",
        active=False,
    )
    night = BusinessCalendar.objects.create(organisation=org, name="Dag en nacht")
    ServiceWindow.objects.create(
        organisation=org, calendar=night, weekday=7, start_minute=0, end_minute=1440
    )
    team = Team.objects.create(organisation=org, name="Burgerzaken", code="BZ", domain="Publiek")
    supplier = Supplier.objects.create(
        organisation=org, name="Pink Roccade", interface_description="Via het portaal"
    )
    subject = Subject.objects.create(organisation=org, name=name, kind="service")
    service = Service.objects.create(
        organisation=org,
        subject=subject,
        name=name,
        customer_value="Op tijd ingeschreven op het nieuwe adres.",
        customer_description="Geef uw verhuizing door.",
        owner=owner,
        calendar=calendar,
    )
    service.customers.set([inwoners, ondernemers])
    facility = CanvasItem.objects.create(
        organisation=org,
        service=service,
        section="voorziening",
        name="Verhuisformulier",
        position=1,
        values={"voorziening-goederen": "Formulier", "voorziening-handelingen": "Invullen"},
    )
    CanvasItem.objects.create(
        organisation=org,
        service=service,
        section="ondersteuning",
        name="Helpdesk",
        values={"ondersteuning-functionaliteit": "Vragen beantwoorden"},
    )
    team_link = Link.objects.create(
        organisation=org,
        service=service,
        team=team,
        position=1,
        contribution="Verwerkt de aangifte",
        steps=["uitvoeren-aannemen", "uitvoeren-uitvoeren"],
    )
    team_link.canvas_items.set([facility])
    supplier_link = Link.objects.create(
        organisation=org,
        service=service,
        supplier=supplier,
        position=2,
        steps=["herstellen-herstellen"],
    )
    Interface.objects.create(
        organisation=org,
        service=service,
        name="Aangifte",
        source_kind="customer",
        target_link=team_link,
        passes="Verhuisgegevens",
        trigger="Formulier verstuurd",
        expected_response="Bevestiging",
        norm_minutes=60,
        norm_note="Binnen een uur",
    )
    Interface.objects.create(
        organisation=org,
        service=service,
        name="Storing BRP",
        source_link=team_link,
        target_link=supplier_link,
    )
    element = Element.objects.create(
        organisation=org, name="BRP-koppeling", element_type="application", description="Stelsel"
    )
    InfrastructureComponent.objects.create(
        organisation=org,
        service=service,
        name="BRP",
        kind="application",
        element=element,
        managed_by=supplier_link,
        description="Basisregistratie",
    )
    InfrastructureComponent.objects.create(
        organisation=org, service=service, name="Balie", kind="location"
    )
    sa = Agreement.objects.create(
        organisation=org, service=service, kind="sa", name="SA Verhuizing"
    )
    old = AgreementVersion.objects.create(
        organisation=org, agreement=sa, number=1, status="superseded", calendar=calendar
    )
    Norm.objects.create(
        organisation=org,
        agreement_version=old,
        priority=1,
        response_minutes=30,
        resolution_minutes=240,
    )
    current = AgreementVersion.objects.create(
        organisation=org,
        agreement=sa,
        number=2,
        status="active",
        calendar=calendar,
        availability=Decimal("99.500"),
        facility_functionality="Formulier online",
        notes="Herzien",
    )
    for priority in (1, 2, 3, 4, 5):
        Norm.objects.create(
            organisation=org,
            agreement_version=current,
            priority=priority,
            response_minutes=30 * priority,
            resolution_minutes=480 * priority,
        )
    ola = Agreement.objects.create(
        organisation=org, service=service, kind="ola", link=team_link, name="OLA Burgerzaken"
    )
    version = AgreementVersion.objects.create(
        organisation=org, agreement=ola, number=1, calendar=night
    )
    Norm.objects.create(
        organisation=org,
        agreement_version=version,
        priority=1,
        response_minutes=15,
        resolution_minutes=120,
    )
    uc = Agreement.objects.create(
        organisation=org, service=service, kind="uc", link=supplier_link, name="UC Pink"
    )
    AgreementVersion.objects.create(organisation=org, agreement=uc, number=1)
    DesignApproval.objects.create(
        organisation=org,
        service=service,
        decision="approved",
        decided_by_name="Iemand anders",
        service_version=service.version,
        design_digest="0" * 64,
        status_at="in_design",
    )
    return service


@pytest.fixture
def design_a(org_a):
    return full_design(org_a)
