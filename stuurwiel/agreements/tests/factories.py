"""Test data for agreements: services with chains, agreements with norms."""

from __future__ import annotations

import itertools

from stuurwiel.agreements import services
from stuurwiel.agreements.models import Agreement, AgreementVersion, Norm
from stuurwiel.graph.models import Subject
from stuurwiel.parties.models import Supplier, Team
from stuurwiel.services.models import Link, Service

_numbers = itertools.count(1)


def make_service(org, name: str = "") -> Service:
    name = name or f"Dienst {next(_numbers)}"
    subject = Subject.objects.create(organisation=org, name=name, kind="service")
    return Service.objects.create(organisation=org, subject=subject, name=name)


def team_link(service: Service, name: str, position: int = 0, steps=()) -> Link:
    team = Team.objects.create(organisation=service.organisation, name=name)
    return Link.objects.create(
        organisation=service.organisation,
        service=service,
        team=team,
        position=position,
        steps=list(steps),
    )


def supplier_link(service: Service, name: str, position: int = 0, steps=()) -> Link:
    supplier = Supplier.objects.create(organisation=service.organisation, name=name)
    return Link.objects.create(
        organisation=service.organisation,
        service=service,
        supplier=supplier,
        position=position,
        steps=list(steps),
    )


def make_agreement(service: Service, kind: str = "sa", link: Link | None = None) -> Agreement:
    """Through the service (as a command: no member to check), so version 1 exists."""
    return services.agreement_create(
        organisation=service.organisation,
        by=None,
        data={"service": service, "kind": kind, "link": link},
    )


def draft_of(agreement: Agreement) -> AgreementVersion:
    return agreement.versions.get(status="draft")


def set_norms(version: AgreementVersion, norms: dict[int, tuple[int, int]]) -> AgreementVersion:
    """Norms as ``{priority: (response_minutes, resolution_minutes)}``, written directly."""
    for priority, (response, resolution) in norms.items():
        Norm.objects.update_or_create(
            agreement_version=version,
            priority=priority,
            defaults={
                "organisation": version.organisation,
                "response_minutes": response,
                "resolution_minutes": resolution,
            },
        )
    return version


def every_priority(response: int, resolution: int) -> dict[int, tuple[int, int]]:
    return dict.fromkeys(range(1, 6), (response, resolution))


def in_force(agreement: Agreement, norms=None) -> AgreementVersion:
    """The agreement's draft with ``norms`` (default: 0:30 / 8:00 for every
    priority), put in force."""
    version = set_norms(draft_of(agreement), norms or every_priority(30, 480))
    return services.version_activate(instance=version, by=None)
