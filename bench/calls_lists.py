"""The call lists at 10,000 and 1,000,000 calls in one organisation (issue 7: p95 < 150 ms,
query counts constant in the number of calls).

Run from the repository root::

    STUURWIEL_DEMO=1 .venv/bin/python bench/calls_lists.py [--sizes 10000,1000000] [--reuse]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/stuurwiel_benchlists STUURWIEL_DEMO=1 \\
        .venv/bin/python bench/calls_lists.py --reuse

Per size it builds one organisation ``bench-calls-<size>``: ten live services with a chain of
three links each (twenty teams and two suppliers over thirty links), 200 operators in the
teams, a team coordinator per team, ten workflow coordinators, 1,000 requesters; one call is
registered through the services and cloned with ``bulk_create`` up to the size: registered
over three years, about 95 % closed, 5 % open (open, process fulfilled, workflow fulfilled),
the open ones 30 % unassigned; operator, workflow coordinator, requester, service and link
drawn at random (seeded), so each measured member's share is small. One call in ten has a
public reply; open calls and one closed call in ten a link segment.

Then per page (:data:`PAGES`; a page is one entry) it requests the page ``--runs`` times
through Django's test client in-process, signed in as the member the entry names, and prints
p50/p95 server time (request handling, no network) and the query count, then the ratio of
the largest size to the smallest per page.

``--reuse`` keeps the data: on SQLite in ``--sqlite`` (default ``var/bench/calls_lists.sqlite3``),
on PostgreSQL in the database ``DATABASE_URL`` names; an organisation of the right size that
is already there is measured as it is. Without it, SQLite data lives in a throwaway file.
Times depend on the machine; nothing is asserted.
"""

from __future__ import annotations

import argparse
import base64
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BATCH = 5000
SERVICES = 10
TEAMS = 20
OPERATORS = 200
COORDINATORS = 10
REQUESTERS = 1000
SPAN = timedelta(days=3 * 365)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,1000000", help="calls, comma-separated")
    parser.add_argument("--runs", type=int, default=20, help="timed requests per page")
    parser.add_argument("--reuse", action="store_true", help="keep and reuse the data")
    parser.add_argument("--sqlite", default=str(ROOT / "var" / "bench" / "calls_lists.sqlite3"))
    parser.add_argument("--pages", default="", help="only pages whose label contains this")
    return parser.parse_args()


def setup_django(args) -> str:
    sys.path.insert(0, str(ROOT))
    workdir = tempfile.mkdtemp(prefix="stuurwiel-bench-")
    os.makedirs(f"{workdir}/static")  # whitenoise warns when STATIC_ROOT is missing
    os.environ.setdefault("STUURWIEL_DATA_DIR", workdir)
    if not os.environ.get("DATABASE_URL"):
        path = args.sqlite if args.reuse else f"{workdir}/bench.sqlite3"
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("STUURWIEL_DEMO", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stuurwiel.settings")
    import django

    django.setup()
    return workdir


# --- Building the data ------------------------------------------------------------------


@dataclass
class World:
    organisation: object
    size: int
    members: dict = field(default_factory=dict)  # role label → user measured
    service: object = None
    link: object = None  # the measured operator's link


def _users(prefix: str, count: int) -> list:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    User = get_user_model()
    password = make_password(None)  # unusable: the bench signs in with force_login
    return User.objects.bulk_create(
        [User(username=f"{prefix}-{i:04d}", password=password) for i in range(count)],
        batch_size=BATCH,
    )


def _members(org, users: list, role: str) -> None:
    from stuurwiel.organisations.models import Membership, RoleAssignment

    memberships = Membership.objects.bulk_create(
        [Membership(organisation=org, user=user) for user in users], batch_size=BATCH
    )
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(membership=m, role=role) for m in memberships], batch_size=BATCH
    )


def build_world(slug: str, size: int) -> tuple[World, dict]:
    """The organisation, its services, chains, agreements and members; and what the
    calls are drawn from."""
    from stuurwiel.agreements.models import Agreement, AgreementVersion, Norm
    from stuurwiel.calendars.models import BusinessCalendar, ServiceWindow
    from stuurwiel.graph.models import Subject
    from stuurwiel.organisations.choices import Role
    from stuurwiel.organisations.models import Organisation
    from stuurwiel.parties.models import Person, Supplier, Team
    from stuurwiel.services.models import Link, Service

    org = Organisation.objects.create(name=f"Bench meldingen {size}", slug=slug)
    o = {"organisation": org}
    calendar = BusinessCalendar.objects.create(**o, name="Kantoor")
    ServiceWindow.objects.bulk_create(
        [
            ServiceWindow(**o, calendar=calendar, weekday=d, start_minute=510, end_minute=1020)
            for d in range(1, 6)
        ]
    )
    teams = [Team.objects.create(**o, name=f"Team {t:02d}") for t in range(TEAMS)]
    suppliers = [Supplier.objects.create(**o, name=f"Leverancier {s}") for s in range(2)]
    services, links = [], {}
    for s in range(SERVICES):
        subject = Subject.objects.create(**o, name=f"Dienst {s:02d}", kind="service")
        service = Service.objects.create(
            **o, subject=subject, name=f"Dienst {s:02d}", status="live", calendar=calendar
        )
        services.append(service)
        chain = []
        for position in (1, 2, 3):
            party = (
                {"supplier": suppliers[s % 2]}
                if position == 3 and s % 2
                else {"team": teams[(s * 3 + position - 1) % TEAMS]}
            )
            steps = ["herstellen-aannemen"] if position == 1 else []
            chain.append(
                Link.objects.create(**o, service=service, position=position, steps=steps, **party)
            )
        links[service.pk] = chain
        sa = Agreement.objects.create(**o, service=service, kind="sa", name=f"SA {s}")
        version = AgreementVersion.objects.create(
            **o, agreement=sa, number=1, status="active", calendar=calendar
        )
        Norm.objects.bulk_create(
            [
                Norm(
                    **o,
                    agreement_version=version,
                    priority=p,
                    response_minutes=30 * p,
                    resolution_minutes=480 * p,
                )
                for p in range(1, 6)
            ]
        )
        service.sa = version
    operators = _users(f"{slug}-op", OPERATORS)
    _members(org, operators, Role.OPERATOR)
    Person.objects.bulk_create(
        [
            Person(**o, name=f"Behandelaar {i:03d}", user=u, team=teams[i % TEAMS])
            for i, u in enumerate(operators)
        ]
    )
    team_coordinators = _users(f"{slug}-tc", TEAMS)
    _members(org, team_coordinators, Role.TEAM_COORDINATOR)
    leads = Person.objects.bulk_create(
        [
            Person(**o, name=f"Teamcoördinator {t:02d}", user=u, team=teams[t])
            for t, u in enumerate(team_coordinators)
        ]
    )
    for team, lead in zip(teams, leads, strict=True):
        team.coordinator = lead
    Team.objects.bulk_update(teams, ["coordinator"])
    coordinators = _users(f"{slug}-wc", COORDINATORS)
    _members(org, coordinators, Role.WORKFLOW_COORDINATOR)
    requesters = _users(f"{slug}-rq", REQUESTERS)
    _members(org, requesters, Role.REQUESTER)
    world = World(org, size)
    pool = {
        "services": services,
        "links": links,
        "operators": operators,
        "coordinators": coordinators,
        "requesters": requesters,
    }
    return world, pool


def grow(world: World, pool: dict) -> None:
    """The calls: one registered through the services, the rest cloned from it."""
    from stuurwiel.calls import services as call_services
    from stuurwiel.calls.choices import CallStatus, EventKind
    from stuurwiel.calls.models import Call, CallEvent, LinkSegment

    org, size = world.organisation, world.size
    template = call_services.call_register(
        organisation=org,
        service=pool["services"][0],
        call_type="incident",
        title="Storing",
        by=pool["requesters"][0],
        impact="medium",
        urgency="high",
    )
    rng = random.Random(size)
    start = datetime(2024, 1, 1, 8, tzinfo=UTC)
    step = SPAN / size
    operators, coordinators = pool["operators"], pool["coordinators"]
    requesters, services = pool["requesters"], pool["services"]
    for first in range(1, size, BATCH):
        calls = []
        for n in range(first, min(size, first + BATCH)):
            service = services[rng.randrange(SERVICES)]
            link = pool["links"][service.pk][rng.randrange(3)]
            draw = rng.random()
            status = (
                CallStatus.OPEN
                if draw < 0.035
                else CallStatus.PROCESS_FULFILLED
                if draw < 0.045
                else CallStatus.WORKFLOW_FULFILLED
                if draw < 0.05
                else CallStatus.CLOSED
            )
            closed = status == CallStatus.CLOSED
            registered = start + step * n
            assigned = closed or rng.random() < 0.7
            calls.append(
                Call(
                    organisation=org,
                    number=f"BL-{n:07d}",
                    service=service,
                    call_type=template.call_type,
                    title=f"Melding {n}",
                    channel=template.channel,
                    requester=requesters[rng.randrange(REQUESTERS)],
                    priority=1 + rng.randrange(5),
                    status=status,
                    workflow_id=template.workflow_id,
                    state=template.state,
                    process=template.process,
                    step=template.step,
                    current_link=link,
                    assignee=operators[rng.randrange(OPERATORS)] if assigned else None,
                    coordinator=coordinators[rng.randrange(COORDINATORS)]
                    if rng.random() < 0.6
                    else None,
                    sa_version=service.sa,
                    registered_at=registered,
                    closed_at=registered + timedelta(days=2) if closed else None,
                )
            )
        calls = Call.objects.bulk_create(calls, batch_size=1000)
        events, segments = [], []
        for call in calls:
            if rng.random() < 0.1:
                events.append(
                    CallEvent(
                        organisation=org,
                        call=call,
                        at=call.registered_at + timedelta(hours=1),
                        kind=EventKind.COMMENTED,
                        actor_id=call.assignee_id,
                        text="We zijn ermee bezig.",
                        public=True,
                    )
                )
            if call.status != CallStatus.CLOSED or rng.random() < 0.1:
                segments.append(
                    LinkSegment(
                        organisation=org,
                        call=call,
                        link=call.current_link,
                        started_at=call.registered_at,
                    )
                )
        CallEvent.objects.bulk_create(events, batch_size=1000)
        LinkSegment.objects.bulk_create(segments, batch_size=1000)


def measured_members(world: World) -> None:
    """The members the pages are requested as: the first of each kind, whose share of
    the calls is about 1/200 (operator), 1/20 (team), 1/10 (workflow coordinator),
    1/1000 (requester)."""
    from django.contrib.auth import get_user_model

    from stuurwiel.services.models import Link

    User = get_user_model()
    slug = world.organisation.slug
    for label, prefix in (
        ("operator", "op"),
        ("team coordinator", "tc"),
        ("workflow coordinator", "wc"),
        ("requester", "rq"),
    ):
        world.members[label] = User.objects.get(username=f"{slug}-{prefix}-0000")
    world.link = (
        Link.objects.filter(
            organisation=world.organisation, team__members__user=world.members["operator"]
        )
        .select_related("service")
        .order_by("pk")
        .first()
    )
    world.service = world.link.service


def world_for(size: int, reuse: bool) -> World:
    from stuurwiel.calls.models import Call
    from stuurwiel.organisations.models import Organisation

    slug = f"bench-calls-{size}"
    found = Organisation.objects.filter(slug=slug).first() if reuse else None
    if found is not None and Call.objects.filter(organisation=found).count() >= size:
        world = World(found, size)
        print(f"reused {size:>9,} calls ({slug})")
    else:
        if found is not None:
            slug = f"{slug}-{int(time.time())}"
        started = time.perf_counter()
        world, pool = build_world(slug, size)
        grow(world, pool)
        print(f"built  {size:>9,} calls in {time.perf_counter() - started:6.1f} s ({slug})")
    measured_members(world)
    return world


# --- The pages ----------------------------------------------------------------------------


def _url(name: str, world: World, **query) -> str:
    from urllib.parse import urlencode

    from django.urls import reverse

    address = reverse(name, kwargs={"org": world.organisation.slug})
    return f"{address}?{urlencode(query)}" if query else address


def _late_worklist(world: World, member: str, tab: str) -> str:
    """The worklist's page 90 % of the way down (the link a user reaches by paging)."""
    from stuurwiel.calls import selectors
    from stuurwiel.organisations import access

    member_access = access.access_for(world.members[member], world.organisation)
    rows = selectors.worklist(tab, member_access)
    return _late(world, rows, "calls:worklist", list=tab)


def _late(world: World, rows, name: str, **query) -> str:
    """A page 90 % of the way down ``rows``: by its keyset token if the list pages by
    keyset, else by page number."""
    from django.conf import settings

    per_page = settings.STUURWIEL_LIST_PAGE_SIZE
    total = rows.count()
    depth = int(total * 0.9) // per_page * per_page
    try:
        from stuurwiel.core.pagination import keyset_token
    except ImportError:
        return _url(name, world, page=depth // per_page + 1, **query)
    if depth == 0:
        return _url(name, world, **query)
    previous = rows[depth - 1]
    return _url(name, world, after=keyset_token(previous), **query)


def _late_mine(world: World) -> str:
    from stuurwiel.calls import selectors
    from stuurwiel.organisations import access

    member_access = access.access_for(world.members["requester"], world.organisation)
    return _late(world, selectors.requester_calls(member_access), "calls:my_calls")


def _api_late(world: World) -> str:
    """The API list's cursor 90 % of the way down (the calls are newest first by id)."""
    from stuurwiel.calls.models import Call

    calls = Call.objects.filter(organisation=world.organisation).order_by("-id")
    position = calls.values_list("id", flat=True)[int(world.size * 0.9)]
    cursor = base64.b64encode(f"p={position}".encode()).decode()
    return _url("calls-api:call-list", world, cursor=cursor)


# label, member, url(world). The management dashboard is added here when it exists.
PAGES: list[tuple[str, str, Callable[[World], str]]] = [
    ("worklist mine", "operator", lambda w: _url("calls:worklist", w, list="mine")),
    ("worklist links", "operator", lambda w: _url("calls:worklist", w, list="links")),
    ("worklist coordination", "operator", lambda w: _url("calls:worklist", w, list="coordination")),
    ("worklist mine", "team coordinator", lambda w: _url("calls:worklist", w, list="mine")),
    ("worklist links", "team coordinator", lambda w: _url("calls:worklist", w, list="links")),
    (
        "worklist coordination",
        "team coordinator",
        lambda w: _url("calls:worklist", w, list="coordination"),
    ),
    ("worklist mine", "workflow coordinator", lambda w: _url("calls:worklist", w, list="mine")),
    (
        "worklist coordination",
        "workflow coordinator",
        lambda w: _url("calls:worklist", w, list="coordination"),
    ),
    (
        "worklist coordination late",
        "workflow coordinator",
        lambda w: _late_worklist(w, "workflow coordinator", "coordination"),
    ),
    (
        "worklist links service+open",
        "operator",
        lambda w: _url("calls:worklist", w, list="links", service=w.service.pk, status="open"),
    ),
    ("worklist links late", "operator", lambda w: _late_worklist(w, "operator", "links")),
    ("API list first", "operator", lambda w: _url("calls-api:call-list", w)),
    ("API list late cursor", "operator", _api_late),
    (
        "API list service+open",
        "operator",
        lambda w: _url("calls-api:call-list", w, service=w.service.pk, status="open"),
    ),
    ("my calls", "requester", lambda w: _url("calls:my_calls", w)),
    ("my calls late", "requester", _late_mine),
]


@dataclass
class Result:
    p50: float
    p95: float
    queries: int
    status: int


def measure(fetch: Callable[[], object], runs: int) -> Result:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fetch()  # warm caches (templates, the workflow definition, database pages)
    times = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = fetch()
            times.append((time.perf_counter() - start) * 1000)
    p95 = statistics.quantiles(times, n=20, method="inclusive")[18] if runs > 1 else times[0]
    return Result(statistics.median(times), p95, len(queries), response.status_code)


def main() -> None:
    args = parse_args()
    workdir = setup_django(args)
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    sizes = [int(size) for size in args.sizes.split(",")]
    pages = [page for page in PAGES if args.pages in page[0]]
    try:
        call_command("migrate", verbosity=0)
        worlds = [world_for(size, args.reuse) for size in sizes]
        if connection.vendor == "postgresql":
            # Autovacuum would soon gather statistics and set the visibility map; now.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        else:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        print(
            f"\ndatabase: {connection.vendor} ({settings.DATABASES['default']['NAME']}); "
            f"{args.runs} runs; ms p50/p95, q = queries; test client in-process\n"
        )
        head = f"{'page':<28}{'member':<22}" + "".join(f"{f'{size:,} calls':>24}" for size in sizes)
        print(head + f"{'p95 ratio':>11}")
        print("-" * (len(head) + 11))
        clients = {}
        for label, member, address in pages:
            cells, p95s, statuses = [], [], set()
            for world in worlds:
                key = (world.size, member)
                if key not in clients:
                    clients[key] = Client(HTTP_ACCEPT_LANGUAGE="nl")
                    clients[key].force_login(world.members[member])
                url = address(world)
                r = measure(lambda c=clients[key], u=url: c.get(u), args.runs)
                statuses.add(r.status)
                p95s.append(r.p95)
                cells.append(f"{r.p50:8.1f}/{r.p95:7.1f} {r.queries:3d}q")
            ratio = p95s[-1] / p95s[0] if p95s[0] else 0
            flag = "" if statuses == {200} else f"  HTTP {sorted(statuses)}"
            print(
                f"{label:<28}{member:<22}"
                + "".join(f"{c:>24}" for c in cells)
                + f"{ratio:>10.2f}×"
                + flag
            )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
