"""Whether every list stays flat as an organisation grows from 1,000 to 100,000 rows.

Run from the repository root::

    STUURWIEL_DEMO=1 .venv/bin/python bench/lists_scale.py [--sizes 1000,10000,100000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench STUURWIEL_DEMO=1 \\
        .venv/bin/python bench/lists_scale.py

For each size it builds one organisation with that many rows of every listed kind
(teams, persons, suppliers, stakeholders, subjects, elements, relations, members),
with ``bulk_create`` in a throwaway SQLite file (or in the database ``DATABASE_URL``
names; the organisations then stay behind as ``bench-lists-<size>-<n>``). Then it
requests the first page and a late page (90 % of the way) of each list, as the
HTML page and as the API list, through Django's test client signed in as an
organisation admin, and prints the median (p50) and p95 server time of ``--runs``
requests and the number of queries. The change feed is benchmarked apart (it is a
change-log list, see the change-log bench).

Writes per second, with and without kept database connections, need a real server
(Django's test client never closes a connection): ``bench/lists_peer.py --writes N``.

Times depend on the machine; nothing is asserted. A list is flat when its time at
100,000 rows is close to its time at 1,000 and its query count does not change.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE = 50
BATCH = 5000

# (label, HTML url name, API url name); the API names are <namespace>-api:<model>-list.
LISTS = [
    ("teams", "parties:team_list", "parties-api:team-list"),
    ("persons", "parties:person_list", "parties-api:person-list"),
    ("suppliers", "parties:supplier_list", "parties-api:supplier-list"),
    ("stakeholders", "parties:stakeholder_list", "parties-api:stakeholder-list"),
    ("subjects", "graph:subject_list", "graph-api:subject-list"),
    ("elements", "graph:element_list", "graph-api:element-list"),
    ("relations", "graph:relation_list", "graph-api:relation-list"),
    ("members", "organisations:membership_list", "organisations-api:membership-list"),
]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", default="1000,10000,100000", help="rows per list, comma-separated"
    )
    parser.add_argument("--runs", type=int, default=15, help="timed requests per page")
    parser.add_argument("--lists", default="", help="only these lists (comma-separated labels)")
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


def _bulk(model, rows) -> list:
    return model.objects.bulk_create(rows, batch_size=BATCH)


# Which organisation of a size holds each list. The lists are spread over four so
# that each grows on its own: the element list's filter offers the organisation's
# subjects and persons as choices, so 100,000 subjects in the same organisation
# would measure that select, not the list.
GROUPS = {
    "teams": "parties",
    "persons": "parties",
    "suppliers": "parties",
    "stakeholders": "parties",
    "subjects": "subjects",
    "elements": "graph",
    "relations": "graph",
    "members": "members",
}


def _organisation(slug: str, size: int):
    from django.contrib.auth import get_user_model

    from stuurwiel.organisations.choices import Role
    from stuurwiel.organisations.models import Membership, Organisation, RoleAssignment

    organisation = Organisation.objects.create(name=f"Bench {slug}", slug=slug)
    user = get_user_model().objects.create_user(username=f"{slug}-admin", password="x")
    membership = Membership.objects.create(organisation=organisation, user=user)
    RoleAssignment.objects.create(membership=membership, role=Role.ORGANISATION_ADMIN)
    return Org(organisation, user, size)


def build_parties(org: Org) -> None:
    """Teams, persons (one per team, every thousandth a coordinator), suppliers, stakeholders."""
    from stuurwiel.parties.models import Person, Stakeholder, Supplier, Team

    size, o = org.size, {"organisation": org.organisation}
    teams = _bulk(Team, (Team(**o, name=f"Team {i:06d}", code=f"T{i}") for i in range(size)))
    persons = _bulk(
        Person,
        (
            Person(**o, name=f"Persoon {i:06d}", job_title="Adviseur", team=t)
            for i, t in enumerate(teams)
        ),
    )
    led = teams[:: max(1, size // 1000)]
    for i, team in enumerate(led):
        team.coordinator = persons[i]
    Team.objects.bulk_update(led, ["coordinator"], batch_size=BATCH)
    _bulk(Supplier, (Supplier(**o, name=f"Leverancier {i:06d}") for i in range(size)))
    _bulk(
        Stakeholder,
        (
            Stakeholder(
                **o,
                name=f"Belanghebbende {i:06d}",
                category=("people", "planet", "profit")[i % 3],
                interest="high",
                influence="low",
            )
            for i in range(size)
        ),
    )


def build_subjects(org: Org) -> None:
    from stuurwiel.graph.models import Subject

    o = {"organisation": org.organisation}
    _bulk(
        Subject, (Subject(**o, name=f"Onderwerp {i:06d}", kind="service") for i in range(org.size))
    )


def build_graph(org: Org) -> None:
    """Elements, 500 per subject (as in graph_scale.py) with 20 owners, and one
    relation from each element to the next."""
    from stuurwiel.graph.models import Element, Relation, Subject
    from stuurwiel.parties.models import Person

    size, o = org.size, {"organisation": org.organisation}
    subjects = _bulk(
        Subject,
        (
            Subject(**o, name=f"Onderwerp {i:04d}", kind="service")
            for i in range(max(1, size // 500))
        ),
    )
    owners = _bulk(Person, (Person(**o, name=f"Eigenaar {i:02d}") for i in range(20)))
    elements = _bulk(
        Element,
        (
            Element(
                **o,
                subject=subjects[i // 500],
                owner=owners[i % 20],
                element_type="goal",
                name=f"Element {i:06d}",
            )
            for i in range(size)
        ),
    )
    _bulk(
        Relation,
        (
            Relation(**o, source=e, target=elements[(i + 1) % size], relation_type="influence")
            for i, e in enumerate(elements)
        ),
    )


def build_members(org: Org) -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from stuurwiel.organisations.choices import Role
    from stuurwiel.organisations.models import Membership, RoleAssignment

    User = get_user_model()
    slug = org.organisation.slug
    password = make_password(None)  # unusable; members only need to be listed
    users = _bulk(
        User, (User(username=f"{slug}-lid-{i:06d}", password=password) for i in range(org.size))
    )
    memberships = _bulk(
        Membership,
        (
            Membership(organisation=org.organisation, user=u, name=f"Lid {i:06d}")
            for i, u in enumerate(users)
        ),
    )
    _bulk(RoleAssignment, (RoleAssignment(membership=m, role=Role.OPERATOR) for m in memberships))


BUILDERS = {
    "parties": build_parties,
    "subjects": build_subjects,
    "graph": build_graph,
    "members": build_members,
}


def build(slug: str, size: int, labels: list[str]) -> dict[str, Org]:
    """For each list in ``labels``, the organisation of ``size`` rows holding it."""
    orgs = {}
    for group in dict.fromkeys(GROUPS[label] for label in labels):
        org = _organisation(f"{slug}-{group}", size)
        BUILDERS[group](org)
        orgs[group] = org
    return {label: orgs[GROUPS[label]] for label in labels}


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


def cases(orgs: dict[str, Org]) -> dict[tuple[str, str, str], Callable[[], object]]:
    from django.urls import reverse

    clients = {id(org): client_for(org) for org in orgs.values()}
    found = {}
    for label, html, api in LISTS:
        if label not in orgs:
            continue
        org = orgs[label]
        client = clients[id(org)]
        late = max(1, int(org.size / PAGE * 0.9))
        for kind, name in (("HTML", html), ("API", api)):
            url = reverse(name, kwargs={"org": org.organisation.slug})
            found[(label, kind, "first")] = lambda c=client, u=url: c.get(u)
            found[(label, kind, "late")] = lambda c=client, u=url, p=late: c.get(u, {"page": p})
    return found


def main() -> None:
    args = parse_args()
    workdir = setup_django()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    sizes = [int(size) for size in args.sizes.split(",")]
    labels = [label for label, _, _ in LISTS]
    if args.lists:
        labels = [label for label in args.lists.split(",") if label in labels]
    try:
        call_command("migrate", verbosity=0)
        stamp = str(int(time.time()))[-6:]
        built = []
        for size in sizes:
            start = time.perf_counter()
            built.append(build(f"bench-lists-{size}-{stamp}", size, labels))
            print(f"built {size:>9,} rows per list in {time.perf_counter() - start:6.1f} s")
        if connection.vendor == "postgresql":
            # Autovacuum would soon gather statistics and set the visibility map
            # (index-only scans); do it now.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        print(
            f"\ndatabase: {connection.vendor} ({settings.DATABASES['default']['NAME']}); "
            f"{args.runs} runs; ms p50/p95, q = queries; late page = 90 % of the way\n"
        )
        head = f"{'list':<13}{'kind':<5}{'page':<6}" + "".join(
            f"{f'{size:,} rows':>22}" for size in sizes
        )
        print(head)
        print("-" * len(head))
        measured = [cases(orgs) for orgs in built]
        for key in measured[0]:
            label, kind, page = key
            cells = []
            statuses = set()
            for org_cases in measured:
                r = measure(org_cases[key], args.runs)
                statuses.add(r.status)
                cells.append(f"{r.p50:8.1f}/{r.p95:7.1f} {r.queries:3d}q")
            flag = "" if statuses == {200} else f"  HTTP {sorted(statuses)}"
            print(f"{label:<13}{kind:<5}{page:<6}" + "".join(f"{c:>22}" for c in cells) + flag)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
