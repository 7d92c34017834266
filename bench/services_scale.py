"""Whether the service catalogue and the service page stay flat as an organisation
grows from 10 to 1,000 services and a chain from 3 to 30 links (issue 6).

Run from the repository root::

    STUURWIEL_DEMO=1 .venv/bin/python bench/services_scale.py [--services 10,1000] [--links 3,30]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench STUURWIEL_DEMO=1 \\
        .venv/bin/python bench/services_scale.py

It loads the bundled framework libraries (the canvas sections and process steps
then come from the database, as in a real installation) and builds, with
``bulk_create`` in a throwaway SQLite file (or in the database ``DATABASE_URL``
names; the organisations then stay behind as ``bench-services-…``):

- per ``--services`` size, one organisation with that many live services, each
  with an owner, service hours, two links and an interface (what the catalogue
  counts per row);
- per ``--links`` size, one organisation with one service in design whose chain
  has that many links (teams and suppliers by turns), each link with an interface
  (the first from the customer), an OLA or UC with a version in force and a norm
  for each of the five priorities, a filled canvas item it contributes to and a
  managed component on a model element; plus the SA with its norms, the customers,
  and an approval of exactly this design, recorded as ``service_approve`` records
  it (its digest and, on branches that have it, the design version it approved).

Then it requests the staff catalogue (HTML and API list) and the requester
catalogue, each its first page and a late page, then the service page and the
gate page, through
Django's test client signed in as an architect and manager, and prints the median
(p50) and p95 server time of ``--runs`` requests, the number of queries, and the
ratio of the largest size to the smallest (p95 ÷ p95, and the change in queries).
A catalogue page holds 50 services: at 10 services it shows 10, at 1,000 a full
page, so its ratio includes rendering five times the rows.

Times depend on the machine; nothing is asserted. A page is flat when its query
count does not change with the size and its p95 ratio stays near 1 (issue 6 asks
p95 < 100 ms at 1,000 services and at 30 links).
"""

from __future__ import annotations

import argparse
import datetime
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE = 50
BATCH = 5000
PRIORITIES = (1, 2, 3, 4, 5)

# (label, kind, url name) of the paged catalogues; the API names are
# <namespace>-api:<model>-list and may not exist yet.
CATALOGUE = [
    ("staff catalogue", "HTML", "services:service_list"),
    ("staff catalogue", "API", "services-api:service-list"),
    ("requester catalogue", "HTML", "services:requester_catalogue"),
]
SERVICE_PAGES = [
    ("service page", "HTML", "services:service_detail"),
    ("gate page", "HTML", "services:service_gate"),
]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--services", default="10,1000", help="services per catalogue")
    parser.add_argument("--links", default="3,30", help="links per chain")
    parser.add_argument("--runs", type=int, default=30, help="timed requests per page")
    return parser.parse_args()


def setup_django() -> str:
    """Point Django at a throwaway SQLite file unless DATABASE_URL is given."""
    sys.path.insert(0, str(ROOT))
    workdir = tempfile.mkdtemp(prefix="stuurwiel-bench-")
    os.makedirs(f"{workdir}/static")  # whitenoise warns when STATIC_ROOT is missing
    os.environ.setdefault("STUURWIEL_DATA_DIR", workdir)
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    os.environ.setdefault("STUURWIEL_DEMO", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stuurwiel.settings")
    import django

    django.setup()
    return workdir


# --- Building the data ------------------------------------------------------------


@dataclass
class Org:
    organisation: object
    user: object
    size: int
    service: object = None  # the service whose pages are measured


def _bulk(model, rows) -> list:
    return model.objects.bulk_create(rows, batch_size=BATCH)


def _organisation(slug: str, size: int) -> Org:
    from django.contrib.auth import get_user_model

    from stuurwiel.organisations.choices import Role
    from stuurwiel.organisations.models import Membership, Organisation, RoleAssignment

    organisation = Organisation.objects.create(name=f"Bench {slug}", slug=slug)
    user = get_user_model().objects.create_user(username=f"{slug}-architect", password="x")
    membership = Membership.objects.create(organisation=organisation, user=user)
    for role in (Role.ARCHITECT, Role.MANAGER):
        RoleAssignment.objects.create(membership=membership, role=role)
    return Org(organisation, user, size)


#: Whether this branch shows calendar pages: the service page links its service hours
#: there, and without them that link raises NoReverseMatch (the page is a 500).
CALENDAR_PAGES: list[bool] = []


def _service_hours(calendar):
    """The calendar to give a service: none on a branch without calendar pages."""
    from django.urls import NoReverseMatch

    if not CALENDAR_PAGES:
        try:
            calendar.get_absolute_url()
            CALENDAR_PAGES.append(True)
        except NoReverseMatch:
            CALENDAR_PAGES.append(False)
    return calendar if CALENDAR_PAGES[0] else None


def _calendar(o: dict):
    from stuurwiel.calendars.models import BusinessCalendar, ClosedDay, ServiceWindow

    calendar = BusinessCalendar.objects.create(**o, name="Kantooruren")
    _bulk(
        ServiceWindow,
        (
            ServiceWindow(**o, calendar=calendar, weekday=day, start_minute=540, end_minute=1020)
            for day in range(1, 6)
        ),
    )
    ClosedDay.objects.create(
        **o, calendar=calendar, date=datetime.date(2026, 12, 25), name="Eerste Kerstdag"
    )
    return calendar


def build_catalogue(org: Org) -> None:
    """``size`` live services, each with an owner, service hours, a team link, a
    supplier link and the interface between them."""
    from stuurwiel.graph.models import Subject
    from stuurwiel.parties.models import Person, Supplier, Team
    from stuurwiel.services.choices import ServiceStatus
    from stuurwiel.services.models import Interface, Link, Service

    size, o = org.size, {"organisation": org.organisation}
    calendar = _calendar(o)
    owners = _bulk(Person, (Person(**o, name=f"Eigenaar {i:02d}") for i in range(20)))
    team = Team.objects.create(**o, name="Team Burgerzaken")
    supplier = Supplier.objects.create(**o, name="Leverancier Zaaksysteem")
    subjects = _bulk(
        Subject, (Subject(**o, name=f"Service {i:06d}", kind="service") for i in range(size))
    )
    services = _bulk(
        Service,
        (
            Service(
                **o,
                subject=subject,
                name=subject.name,
                customer_value=f"Waarde van service {i}.",
                customer_description=f"Wat u bij service {i} kunt aanvragen.",
                owner=owners[i % 20],
                calendar=_service_hours(calendar),
                status=ServiceStatus.LIVE,
            )
            for i, subject in enumerate(subjects)
        ),
    )
    links = _bulk(
        Link,
        (
            link
            for s in services
            for link in (
                Link(**o, service=s, team=team, position=1),
                Link(**o, service=s, supplier=supplier, position=2),
            )
        ),
    )
    _bulk(
        Interface,
        (
            Interface(
                **o,
                service=links[2 * i].service,
                name="Overdracht",
                source_link=links[2 * i],
                target_link=links[2 * i + 1],
            )
            for i in range(size)
        ),
    )
    org.service = services[0]


def _canvas_values(section) -> dict:
    return {cell.ref_id: f"{cell.name_nl}: ingevuld." for cell in section.cells}


def build_chain(org: Org) -> None:
    """One service in design with a chain of ``size`` links, fully designed and
    approved (see the module docstring)."""
    from stuurwiel.agreements.choices import AgreementKind, VersionStatus
    from stuurwiel.agreements.models import Agreement, AgreementVersion, Norm
    from stuurwiel.graph.models import Element, Subject
    from stuurwiel.parties.models import Person, Stakeholder, Supplier, Team
    from stuurwiel.services import design
    from stuurwiel.services.choices import ApprovalDecision, ServiceStatus
    from stuurwiel.services.models import (
        CanvasItem,
        DesignApproval,
        InfrastructureComponent,
        Interface,
        Link,
        Service,
    )

    size, o = org.size, {"organisation": org.organisation}
    calendar = _calendar(o)
    owner = Person.objects.create(**o, name="Eigenaar ketenprestatie")
    subject = Subject.objects.create(**o, name="Verhuizing", kind="service", owner=owner)
    service = Service.objects.create(
        **o,
        subject=subject,
        name="Verhuizing",
        customer_value="Uw nieuwe adres staat goed in de registratie.",
        customer_description="Geef uw verhuizing door.",
        owner=owner,
        calendar=_service_hours(calendar),
        status=ServiceStatus.IN_DESIGN,
    )
    customers = _bulk(
        Stakeholder,
        (
            Stakeholder(
                **o, name=f"Inwoners {i}", category="people", interest="high", influence="low"
            )
            for i in range(3)
        ),
    )
    service.customers.add(*customers)
    teams = _bulk(Team, (Team(**o, name=f"Team {i:02d}") for i in range((size + 1) // 2)))
    suppliers = _bulk(Supplier, (Supplier(**o, name=f"Leverancier {i:02d}") for i in range(size)))
    links = _bulk(
        Link,
        (
            Link(
                **o,
                service=service,
                team=teams[i // 2] if i % 2 == 0 else None,
                supplier=suppliers[i // 2] if i % 2 else None,
                position=i + 1,
                contribution=f"Bijdrage van schakel {i + 1}.",
            )
            for i in range(size)
        ),
    )
    # Every link gets an interface: from the customer to the first, then link to link,
    # and the last one back to the customer.
    _bulk(
        Interface,
        [
            Interface(
                **o,
                service=service,
                name=f"Overdracht {i:02d}",
                source_kind="customer" if i == 0 else "link",
                source_link=links[i - 1] if i else None,
                target_kind="link" if i < size else "customer",
                target_link=links[i] if i < size else None,
                passes="Het verzoek",
                trigger="Een nieuw verzoek",
                expected_response="Een ontvangstbevestiging",
                norm_minutes=60,
            )
            for i in range(size + 1)
        ],
    )
    sections = design.canvas_sections()
    items = _bulk(
        CanvasItem,
        (
            CanvasItem(
                **o,
                service=service,
                section=sections[i % len(sections)].ref_id,
                name=f"{sections[i % len(sections)].name_nl} {i:02d}",
                values=_canvas_values(sections[i % len(sections)]),
                position=i,
            )
            for i in range(size)
        ),
    )
    _bulk(
        Link.canvas_items.through,
        (Link.canvas_items.through(link=link, canvasitem=items[i]) for i, link in enumerate(links)),
    )
    elements = _bulk(
        Element,
        (
            Element(**o, subject=subject, element_type="goal", name=f"Systeem {i:02d}")
            for i in range(size)
        ),
    )
    _bulk(
        InfrastructureComponent,
        (
            InfrastructureComponent(
                **o,
                service=service,
                name=f"Systeem {i:02d}",
                kind="application",
                element=elements[i],
                managed_by=link,
            )
            for i, link in enumerate(links)
        ),
    )
    agreements = _bulk(
        Agreement,
        [Agreement(**o, service=service, kind=AgreementKind.SA, name="SA Verhuizing")]
        + [
            Agreement(
                **o,
                service=service,
                link=link,
                kind=AgreementKind.UC if link.supplier_id else AgreementKind.OLA,
                name=f"{'UC' if link.supplier_id else 'OLA'} schakel {link.position:02d}",
            )
            for link in links
        ],
    )
    versions = _bulk(
        AgreementVersion,
        (
            AgreementVersion(
                **o,
                agreement=agreement,
                number=1,
                status=VersionStatus.ACTIVE,
                valid_from=datetime.date(2026, 1, 1),
                calendar=calendar,
                availability=Decimal("99.5"),
                facility_functionality="Adreswijziging verwerken.",
            )
            for agreement in agreements
        ),
    )
    # The SA's resolution norm holds the links' together (no norms_exceed_sa finding).
    _bulk(
        Norm,
        (
            Norm(
                **o,
                agreement_version=version,
                priority=p,
                response_minutes=30 * p,
                resolution_minutes=(60 * size if i == 0 else 60) * p,
            )
            for i, version in enumerate(versions)
            for p in PRIORITIES
        ),
    )
    # As services.service_approve records it: the digest and, where approvals have
    # one, the design version they approved (the gate compares that number).
    recorded = {"design_digest": design.design_digest(service)}
    if hasattr(service, "design_version"):
        recorded["design_version"] = service.design_version
    DesignApproval.objects.create(
        **o,
        service=service,
        decision=ApprovalDecision.APPROVED,
        decided_by_name="Een collega",
        service_version=service.version,
        status_at=ServiceStatus.IN_DESIGN,
        **recorded,
    )
    org.service = service


def build(slug: str, size: int, builder: Callable[[Org], None]) -> Org:
    org = _organisation(slug, size)
    builder(org)
    return org


# --- Measuring ----------------------------------------------------------------------


@dataclass
class Result:
    p50: float
    p95: float
    queries: int
    status: int


def measure(fetch: Callable[[], object], runs: int) -> Result:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fetch()  # warm caches (templates, content types, database pages)
    times = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = fetch()
            times.append((time.perf_counter() - start) * 1000)
    p95 = statistics.quantiles(times, n=20, method="inclusive")[18] if runs > 1 else times[0]
    return Result(statistics.median(times), p95, len(queries), response.status_code)


def client_for(org: Org):
    from django.test import Client

    client = Client()
    client.force_login(org.user)
    return client


def catalogue_cases(org: Org) -> dict[tuple[str, str, str], Callable[[], object] | str]:
    """(label, kind, page) → a request, or the reason it cannot be made."""
    from django.urls import NoReverseMatch, reverse

    client = client_for(org)
    late = max(1, int(org.size / PAGE * 0.9))
    found: dict[tuple[str, str, str], Callable[[], object] | str] = {}
    for label, kind, name in CATALOGUE:
        try:
            url = reverse(name, kwargs={"org": org.organisation.slug})
        except NoReverseMatch:
            for page in ("first", "late"):
                found[(label, kind, page)] = f"skipped: no URL {name} on this branch"
            continue
        found[(label, kind, "first")] = lambda c=client, u=url: c.get(u)
        found[(label, kind, "late")] = lambda c=client, u=url, p=late: c.get(u, {"page": p})
    return found


def chain_cases(org: Org) -> dict[tuple[str, str, str], Callable[[], object] | str]:
    from django.urls import reverse

    client = client_for(org)
    kwargs = {"org": org.organisation.slug, "pk": org.service.pk}
    found = {}
    for label, kind, name in SERVICE_PAGES:
        url = reverse(name, kwargs=kwargs)
        found[(label, kind, "—")] = lambda c=client, u=url: c.get(u)
    return found


def table(title: str, sizes: list[int], unit: str, measured: list[dict], runs: int) -> None:
    """One line per page: p50/p95 and queries per size, then largest ÷ smallest."""
    head = f"{'page':<21}{'kind':<5}{'page':<6}" + "".join(
        f"{f'{size:,} {unit}':>22}" for size in sizes
    )
    head += f"{'ratio p95':>11}{'Δq':>5}"
    print(f"\n{title}\n{head}\n{'-' * len(head)}")
    for key in measured[0]:
        label, kind, page = key
        start = f"{label:<21}{kind:<5}{page:<6}"
        if isinstance(measured[0][key], str):
            print(start + measured[0][key])
            continue
        results = [measure(cases[key], runs) for cases in measured]
        cells = [f"{r.p50:8.1f}/{r.p95:7.1f} {r.queries:3d}q" for r in results]
        ratio = results[-1].p95 / results[0].p95 if results[0].p95 else float("nan")
        grew = results[-1].queries - results[0].queries
        statuses = {r.status for r in results}
        flag = "" if statuses == {200} else f"  HTTP {sorted(statuses)}"
        print(start + "".join(f"{c:>22}" for c in cells) + f"{ratio:>10.2f}×{grew:>+5d}" + flag)


def main() -> None:
    args = parse_args()
    workdir = setup_django()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    service_sizes = [int(size) for size in args.services.split(",")]
    link_sizes = [int(size) for size in args.links.split(",")]
    try:
        call_command("migrate", verbosity=0)
        with open(os.devnull, "w") as quiet:  # it reports each library it loads
            call_command("frameworks_load", defaults=True, stdout=quiet)
        stamp = str(int(time.time()))[-6:]
        catalogues, chains = [], []
        for size in service_sizes:
            start = time.perf_counter()
            catalogues.append(build(f"bench-services-{size}-{stamp}", size, build_catalogue))
            print(f"built {size:>6,} services in {time.perf_counter() - start:6.1f} s")
        for size in link_sizes:
            start = time.perf_counter()
            chains.append(build(f"bench-chain-{size}-{stamp}", size, build_chain))
            print(f"built a chain of {size:>3} links in {time.perf_counter() - start:6.1f} s")
        if connection.vendor == "postgresql":
            # Autovacuum would soon gather statistics and set the visibility map
            # (index-only scans); do it now.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        print(
            f"\ndatabase: {connection.vendor} ({settings.DATABASES['default']['NAME']}); "
            f"{args.runs} runs; ms p50/p95, q = queries; late page = 90 % of the way; "
            "ratio = p95 of the largest ÷ p95 of the smallest, Δq = queries added"
        )
        if CALENDAR_PAGES and not CALENDAR_PAGES[0]:
            print(
                "note: no calendar pages on this branch, so the services have no service "
                "hours (the gate shows that gap; agreement versions keep their calendar)"
            )
        table(
            "Catalogues",
            service_sizes,
            "services",
            [catalogue_cases(org) for org in catalogues],
            args.runs,
        )
        table(
            "Service pages (one service, its chain)",
            link_sizes,
            "links",
            [chain_cases(org) for org in chains],
            args.runs,
        )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
