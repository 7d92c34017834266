"""How the change log's pages hold up with millions of entries in one organisation.

Run from the repository root::

    STUURWIEL_DEMO=1 .venv/bin/python bench/changelog_scale.py [--sizes 1000000,10000000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> .venv/bin/python bench/changelog_scale.py

It fills one organisation's change log in steps up to each size (COPY on PostgreSQL,
``executemany`` in transactions of 200,000 rows on SQLite; the log's indexes are
dropped while loading and rebuilt after, as one would for a bulk import), runs
``ANALYZE``, and then requests each page ``--runs`` times through Django's test
client as a signed-in organisation admin, printing the p50 and p95 time of the whole
request in the server process and its number of queries:

- the feed's first page;
- a filtered page (one person + one object type + a 30-day date range);
- a late keyset page (a cursor 90 % down the log);
- one element's history (its own entries and its parts');
- the API feed's first page.

Then, once: the INSERTs into the log for one element update, and the queries and
time of deleting a person who owns ``--owned`` elements (10,000 by default).

Entries are spread over 20 people, 8 object types, 2 years and about 50,000
objects; one real element (with a subject) gets its share, so its history page
exists. Without ``DATABASE_URL`` a throwaway SQLite file in a temporary directory
is used and removed; with it, the organisation stays behind (slug ``bench-log-…``):
point it at a database made for the purpose and drop it afterwards.

Times depend on the machine (and on the others using it); nothing is asserted.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ACTORS = 20
OBJECTS = 50_000
SPAN = datetime.timedelta(days=730)
BATCH = 200_000
MODELS = [
    ("graph", "element"),
    ("graph", "relation"),
    ("graph", "subject"),
    ("parties", "person"),
    ("parties", "team"),
    ("parties", "supplier"),
    ("parties", "stakeholder"),
    ("organisations", "membership"),
]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000000,10000000", help="comma-separated sizes")
    parser.add_argument("--runs", type=int, default=20, help="timed requests per page")
    parser.add_argument("--owned", type=int, default=10_000, help="elements of the deleted person")
    return parser.parse_args()


def setup_django() -> str:
    sys.path.insert(0, str(ROOT))
    workdir = tempfile.mkdtemp(prefix="stuurwiel-bench-log-")
    os.makedirs(f"{workdir}/static")
    os.environ.setdefault("STUURWIEL_DATA_DIR", workdir)
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    os.environ.setdefault("STUURWIEL_DEMO", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stuurwiel.settings")
    import django

    django.setup()
    return workdir


# --- Building ------------------------------------------------------------------------


@dataclass
class World:
    organisation: object
    admin: object
    actors: list
    type_ids: list[int]
    element: object
    subject: object
    element_type_id: int
    subject_type_id: int
    start: datetime.datetime


def build_world() -> World:
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from stuurwiel.graph.models import Element, Subject
    from stuurwiel.organisations.choices import Role
    from stuurwiel.organisations.models import Membership, Organisation, RoleAssignment

    stamp = uuid.uuid4().hex[:6]
    organisation = Organisation.objects.create(name=f"Bench log {stamp}", slug=f"bench-log-{stamp}")
    users = []
    for n in range(ACTORS):
        user = get_user_model().objects.create_user(
            username=f"bench-{stamp}-{n}", first_name=f"Persoon{n}", last_name="Bench"
        )
        membership = Membership.objects.create(organisation=organisation, user=user)
        RoleAssignment.objects.create(membership=membership, role=Role.ORGANISATION_ADMIN)
        users.append(user)
    subject = Subject.objects.create(organisation=organisation, name="Verhuizing", kind="service")
    element = Element.objects.create(
        organisation=organisation, name="Adres wijzigen", element_type="goal", subject=subject
    )
    types = [ContentType.objects.get_by_natural_key(app, model).pk for app, model in MODELS]
    return World(
        organisation,
        users[0],
        users,
        types,
        element,
        subject,
        types[0],
        types[2],
        timezone.now() - SPAN,
    )


def _rows(world: World, first: int, count: int, total: int, rng: random.Random):
    """``count`` entries numbered from ``first``, oldest first, evenly over SPAN."""
    step = SPAN / total
    correlation = uuid.uuid4()
    for n in range(first, first + count):
        if n % 5 == 0:
            correlation = uuid.uuid4()
        actor = world.actors[rng.randrange(ACTORS)]
        type_id = world.type_ids[rng.randrange(len(world.type_ids))]
        object_id = rng.randrange(1, OBJECTS)
        parent_type = parent_id = None
        if n % 997 == 0:  # the real element's share (~1 in 1,000), rolling up to its subject
            type_id, object_id = world.element_type_id, world.element.pk
            parent_type, parent_id = world.subject_type_id, world.subject.pk
        elif type_id == world.element_type_id and n % 10 == 0:
            parent_type, parent_id = world.subject_type_id, rng.randrange(1, 500)
        yield (
            world.organisation.pk,
            world.start + step * n,
            actor.pk,
            actor.get_full_name(),
            "ui",
            correlation,
            "update",
            type_id,
            object_id,
            f"Object {object_id}",
            parent_type,
            parent_id,
            json.dumps({"name": f"Oud {n}"}),
            json.dumps({"name": f"Nieuw {n}"}),
            "",
        )


COLUMNS = (
    "organisation_id, timestamp, actor_id, actor_repr, source, correlation_id, action, "
    "content_type_id, object_id, object_repr, parent_content_type_id, parent_object_id, "
    "before, after, reason"
)


def load(world: World, first: int, count: int, total: int) -> None:
    """Append ``count`` entries with the log's indexes dropped, then rebuild them."""
    from django.db import connection, transaction

    from stuurwiel.changelog.models import ChangeLogEntry

    rng = random.Random(first)
    indexes = ChangeLogEntry._meta.indexes
    with connection.schema_editor() as editor:
        for index in indexes:
            editor.remove_index(ChangeLogEntry, index)
    table = ChangeLogEntry._meta.db_table
    if connection.vendor == "postgresql":
        with (
            transaction.atomic(),
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({COLUMNS}) FROM STDIN") as copy,
        ):
            for row in _rows(world, first, count, total, rng):
                copy.write_row(row)
    else:
        sql = f"INSERT INTO {table} ({COLUMNS}) VALUES ({', '.join(['%s'] * 15)})"
        rows = _rows(world, first, count, total, rng)
        done = 0
        while done < count:
            chunk = []
            for row in rows:
                ts = connection.ops.adapt_datetimefield_value(row[1])
                chunk.append((*row[:1], ts, *row[2:5], row[5].hex, *row[6:]))
                if len(chunk) == BATCH:
                    break
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.executemany(sql, chunk)
            done += len(chunk)
    with connection.schema_editor() as editor:
        for index in indexes:
            editor.add_index(ChangeLogEntry, index)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# --- Measuring -----------------------------------------------------------------------


@dataclass
class Result:
    p50: float
    p95: float
    queries: int
    status: int


def measure(fetch: Callable[[], object], runs: int) -> Result:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fetch()
    times = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = fetch()
            times.append((time.perf_counter() - start) * 1000)
    p95 = statistics.quantiles(times, n=20)[18] if len(times) > 1 else times[0]
    return Result(statistics.median(times), p95, len(queries), response.status_code)


def cases(world: World, total: int) -> dict[str, Callable[[], object]]:
    from django.contrib.contenttypes.models import ContentType
    from django.test import Client
    from django.urls import reverse

    from stuurwiel.changelog.models import ChangeLogEntry
    from stuurwiel.changelog.selectors import _encode

    client = Client()
    client.force_login(world.admin)
    slug = world.organisation.slug
    feed = reverse("changelog:feed", kwargs={"org": slug})
    first_id = (
        ChangeLogEntry.objects.filter(organisation=world.organisation)
        .order_by("id")
        .values_list("id", flat=True)
        .first()
    )
    deep = ChangeLogEntry.objects.get(pk=first_id + int(total * 0.1))  # 90 % down, newest first
    cursor = _encode(deep, by_time=True)
    newest = ChangeLogEntry.objects.filter(organisation=world.organisation).latest("timestamp")
    end = newest.timestamp.date()
    filters = {
        "actor": world.actors[3].pk,
        "content_type": ContentType.objects.get_by_natural_key("parties", "person").pk,
        "since": (end - datetime.timedelta(days=30)).isoformat(),
        "until": end.isoformat(),
    }
    history = reverse("graph:element_history", kwargs={"org": slug, "pk": world.element.pk})
    api = f"/api/o/{slug}/changes/"
    return {
        "feed, first page": lambda: client.get(feed),
        "feed, person+type+30 days": lambda: client.get(feed, filters),
        "feed, late keyset page": lambda: client.get(feed, {"cursor": cursor}),
        "element history": lambda: client.get(history),
        "API feed, first page": lambda: client.get(api),
    }


def write_costs(world: World, owned: int) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from stuurwiel.graph import services as graph
    from stuurwiel.graph.models import Element
    from stuurwiel.parties import services as parties

    element = Element.objects.get(pk=world.element.pk)
    with CaptureQueriesContext(connection) as captured:
        graph.element_update(
            instance=element, by=world.admin, version=element.version, data={"name": "Adres"}
        )
    inserts = [
        q
        for q in captured.captured_queries
        if q["sql"].startswith("INSERT") and "changelog" in q["sql"]
    ]
    print(f"\none element update: {len(inserts)} INSERT into the change log")
    for size in (owned // 100, owned):
        person = parties.person_create(
            organisation=world.organisation, by=world.admin, data={"name": f"Eigenaar {size}"}
        )
        Element.objects.bulk_create(
            (
                Element(
                    organisation=world.organisation,
                    name=f"Owned {size}-{n}",
                    element_type="goal",
                    owner=person,
                )
                for n in range(size)
            ),
            batch_size=2000,
        )
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            parties.person_delete(instance=person, by=world.admin)
            ms = (time.perf_counter() - start) * 1000
        inserts = sum(1 for q in captured.captured_queries if q["sql"].startswith("INSERT"))
        print(
            f"delete a person owning {size:>6,} elements: {len(captured):3d} queries "
            f"({inserts} INSERT), {ms:8.1f} ms"
        )


def main() -> None:
    args = parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    workdir = setup_django()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    try:
        call_command("migrate", verbosity=0)
        world = build_world()
        print(f"database: {connection.vendor} ({settings.DATABASES['default']['NAME']})")
        loaded = 0
        for total in sizes:
            start = time.perf_counter()
            load(world, loaded, total - loaded, sizes[-1])
            loaded = total
            print(f"\nloaded {total:,} entries in {time.perf_counter() - start:7.1f} s")
            head = f"{'page':<28} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}"
            print(f"{args.runs} runs\n{head}\n{'-' * len(head)}")
            for name, fetch in cases(world, total).items():
                r = measure(fetch, args.runs)
                flag = "" if r.status == 200 else f"  HTTP {r.status}"
                print(f"{name:<28} {r.p50:8.1f} {r.p95:8.1f} {r.queries:8d}{flag}")
        write_costs(world, args.owned)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
