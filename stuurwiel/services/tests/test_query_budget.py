"""The service page and the gate page answer in the same number of queries for a
chain of 3 links as for 30: nothing of the chain is fetched link by link (N+1).

Each link carries what a designed chain has: an interface, an OLA or UC with a
version and a norm per priority, a filled canvas item it contributes to and a
managed component on a model element. The design is approved, as
``service_approve`` records it (with the design version), or as an approval
recorded before design versions existed (the gate then works out the design's
digest). (Counts only: times are for bench/services_scale.py.)
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stuurwiel.agreements.models import Agreement, AgreementVersion, Norm
from stuurwiel.calendars.models import BusinessCalendar
from stuurwiel.graph.models import Element, Subject
from stuurwiel.organisations.choices import Role
from stuurwiel.parties.models import Person, Stakeholder, Supplier, Team
from stuurwiel.services import design
from stuurwiel.services.models import (
    CanvasItem,
    DesignApproval,
    InfrastructureComponent,
    Interface,
    Link,
    Service,
)

pytestmark = pytest.mark.django_db


def _chain(org, name: str, size: int, *, design_version: bool = True) -> Service:
    """An approved service in design whose chain has ``size`` links."""
    o = {"organisation": org}
    calendar = BusinessCalendar.objects.create(**o, name=f"Kantooruren {name}")
    owner = Person.objects.create(**o, name=f"Eigenaar {name}")
    subject = Subject.objects.create(**o, name=name, kind="service", owner=owner)
    service = Service.objects.create(
        **o,
        subject=subject,
        name=name,
        customer_value="Waarde",
        customer_description="Wat u kunt aanvragen",
        owner=owner,
        calendar=calendar,
        status="in_design",
    )
    service.customers.add(
        Stakeholder.objects.create(
            **o, name=f"Inwoners {name}", category="people", interest="high", influence="low"
        )
    )
    links = Link.objects.bulk_create(
        Link(
            **o,
            service=service,
            team=Team.objects.create(**o, name=f"Team {name} {i}") if i % 2 == 0 else None,
            supplier=Supplier.objects.create(**o, name=f"Leverancier {name} {i}")
            if i % 2
            else None,
            position=i + 1,
        )
        for i in range(size)
    )
    Interface.objects.bulk_create(
        Interface(
            **o,
            service=service,
            name=f"Overdracht {i}",
            source_kind="customer" if i == 0 else "link",
            source_link=links[i - 1] if i else None,
            target_link=links[i],
        )
        for i in range(size)
    )
    sections = design.canvas_sections()
    items = CanvasItem.objects.bulk_create(
        CanvasItem(
            **o,
            service=service,
            section=sections[i % len(sections)].ref_id,
            name=f"Onderdeel {i}",
            values={cell.ref_id: "ingevuld" for cell in sections[i % len(sections)].cells},
        )
        for i in range(size)
    )
    Link.canvas_items.through.objects.bulk_create(
        Link.canvas_items.through(link=link, canvasitem=item)
        for link, item in zip(links, items, strict=True)
    )
    elements = Element.objects.bulk_create(
        Element(**o, subject=subject, element_type="goal", name=f"Systeem {i}") for i in range(size)
    )
    InfrastructureComponent.objects.bulk_create(
        InfrastructureComponent(
            **o,
            service=service,
            name=f"Systeem {i}",
            kind="application",
            element=element,
            managed_by=link,
        )
        for i, (link, element) in enumerate(zip(links, elements, strict=True))
    )
    agreements = Agreement.objects.bulk_create(
        [Agreement(**o, service=service, kind="sa", name=f"SA {name}")]
        + [
            Agreement(
                **o,
                service=service,
                link=link,
                kind="uc" if link.supplier_id else "ola",
                name=f"Afspraak {link.position}",
            )
            for link in links
        ]
    )
    versions = AgreementVersion.objects.bulk_create(
        AgreementVersion(**o, agreement=agreement, number=1, status="active", calendar=calendar)
        for agreement in agreements
    )
    # The SA's resolution norm holds the links' together (the norms are consistent).
    Norm.objects.bulk_create(
        Norm(
            **o,
            agreement_version=version,
            priority=p,
            response_minutes=30,
            resolution_minutes=60 * size if version.agreement.kind == "sa" else 60,
        )
        for version in versions
        for p in range(1, 6)
    )
    DesignApproval.objects.create(
        **o,
        service=service,
        decision="approved",
        decided_by_name="Een collega",
        service_version=service.version,
        design_digest=design.design_digest(service),
        design_version=service.design_version if design_version else None,
        status_at="in_design",
    )
    return service


def _queries(client, name: str, service: Service) -> int:
    url = reverse(name, kwargs={"org": service.organisation.slug, "pk": service.pk})
    client.get(url)  # content types, sessions and the like are cached after this
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.fixture(params=[True, False], ids=["design-version", "digest"])
def chains(request, client, org_a, make_member):
    client.force_login(make_member(org_a, Role.ARCHITECT, Role.MANAGER, username="architect"))
    recorded = {"design_version": request.param}
    return _chain(org_a, "Kort", 3, **recorded), _chain(org_a, "Lang", 30, **recorded)


@pytest.mark.parametrize("page", ["services:service_detail", "services:service_gate"])
def test_a_page_of_a_service_asks_as_many_queries_for_30_links_as_for_3(client, chains, page):
    short, long = chains
    assert _queries(client, page, long) == _queries(client, page, short)


#: What each page may ask at most (signing in and the member's roles included).
#: The service page shows the chain and works out the gate from what it fetched;
#: it asked 36 queries before the gate reused the page's rows and the approval
#: was judged by the design version.
BUDGET = {"services:service_detail": 20, "services:service_gate": 19}


@pytest.mark.parametrize("page", sorted(BUDGET))
def test_a_page_of_a_service_stays_within_its_query_budget(client, org_a, make_member, page):
    client.force_login(make_member(org_a, Role.ARCHITECT, Role.MANAGER, username="architect"))
    assert _queries(client, page, _chain(org_a, "Lang", 30)) <= BUDGET[page]


def test_a_current_approval_is_judged_without_working_out_the_digest(monkeypatch, org_a):
    """The design version answers whether the approval is current; the digest
    (an export of the whole design) is worked out when someone approves."""
    from stuurwiel.services import gate

    service = _chain(org_a, "Lang", 30)

    def refuse(_service):
        raise AssertionError("the digest was worked out")

    monkeypatch.setattr(design, "design_digest", refuse)
    assert [gap.code for gap in gate.gate_gaps(service)] == []


def test_the_gate_of_the_long_chain_is_open(client, chains):
    """The chains are complete designs: the counts above measure a gate that
    checks everything, not one that stops at the first gap."""
    from stuurwiel.services import gate

    _short, long = chains
    assert [gap.code for gap in gate.gate_gaps(long)] == []
