"""How the connected model's pages scale with the size of an organisation.

Run from the repository root::

    STUURWIEL_DEMO=1 .venv/bin/python bench/graph_scale.py [--elements 100000]

The model graph's figures for one subject of 1,000 and one of 10,000 elements::

    STUURWIEL_DEMO=1 .venv/bin/python bench/graph_scale.py --elements 10000 --per-subject 10000

It builds two organisations in a throwaway SQLite file in a temporary directory
(or in the database ``DATABASE_URL`` names, which must be migratable): a small one
with 1,000 elements and a large one with ``--elements``, both spread over subjects
of ``--per-subject`` elements with about two relations per element and one or two
classifications each. Rows are written with ``bulk_create``: this measures reads,
so the change log is not filled. Then it requests each page through Django's test
client, as a signed-in organisation admin, and prints the median time of
``--runs`` requests, the number of queries, and the ratio large/small.

With ``DATABASE_URL`` the two organisations stay behind (slugs ``bench-<size>-<n>``):
point it at a database made for the purpose. On PostgreSQL the script runs
``ANALYZE`` after loading, as autovacuum would soon do.

Times depend on the machine; nothing is asserted. A page whose time grows with the
organisation (ratio well above 1) lacks an index or fetches more than it shows.
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
SMALL = 1_000
TYPES = ["goal", "outcome", "driver", "principle", "process", "application", "means", "risk"]
RELATION_TYPES = ["serving", "realization", "influence", "flow", "association"]
WORDS = [
    "wachttijd",
    "verhuizing",
    "aanvraag",
    "vergunning",
    "inwoner",
    "registratie",
    "zaaksysteem",
    "klantcontact",
    "betaling",
    "controle",
    "archief",
    "melding",
]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--elements", type=int, default=100_000, help="size of the large org")
    parser.add_argument("--per-subject", type=int, default=500, help="elements per subject")
    parser.add_argument("--runs", type=int, default=7, help="timed requests per page")
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


def bench_framework():
    """A synthetic framework: 6 aspects of 3 steps each, two questions per part."""
    from stuurwiel.frameworks.models import Framework, FrameworkPart, GuidingQuestion

    urn = "urn:stuurwiel:bench:framework"
    framework, created = Framework.objects.get_or_create(
        urn=urn,
        defaults={
            "ref_id": "bench",
            "version": 1,
            "name_nl": "Meetmodel",
            "name_en": "Bench model",
            "content_hash": "bench",
        },
    )
    if created:
        order = 0
        for a in range(6):
            order += 1
            aspect = FrameworkPart.objects.create(
                framework=framework,
                urn=f"{urn}:a{a}",
                ref_id=f"a{a}",
                kind="aspect",
                order=order,
                name_nl=f"Aspect {a}",
                name_en=f"Aspect {a}",
                short_question_nl="Waarom?",
                short_question_en="Why?",
            )
            for s in range(3):
                order += 1
                FrameworkPart.objects.create(
                    framework=framework,
                    parent=aspect,
                    urn=f"{urn}:a{a}s{s}",
                    ref_id=f"a{a}s{s}",
                    kind="step",
                    order=order,
                    name_nl=f"Stap {a}.{s}",
                    name_en=f"Step {a}.{s}",
                )
        GuidingQuestion.objects.bulk_create(
            GuidingQuestion(
                part=part,
                urn=f"{part.urn}:q{q}",
                ref_id=f"q{q}",
                order=q,
                text_nl=f"Vraag {q} over {part.name_nl}?",
                text_en=f"Question {q} about {part.name_en}?",
            )
            for part in framework.parts.all()
            for q in range(2)
        )
    return framework


@dataclass
class Org:
    organisation: object
    user: object
    subject_id: int
    element_id: int
    size: int


def build(slug: str, size: int, per_subject: int, framework) -> Org:
    from django.contrib.auth import get_user_model

    from stuurwiel.graph.models import Classification, Element, Relation, Subject
    from stuurwiel.organisations.choices import Role
    from stuurwiel.organisations.models import Membership, Organisation, RoleAssignment
    from stuurwiel.parties.models import Person

    organisation = Organisation.objects.create(name=f"Bench {size}", slug=slug)
    user = get_user_model().objects.create_user(username=f"{slug}-admin", password="x")
    membership = Membership.objects.create(organisation=organisation, user=user)
    RoleAssignment.objects.create(membership=membership, role=Role.ORGANISATION_ADMIN)
    persons = Person.objects.bulk_create(
        Person(organisation=organisation, name=f"Persoon {i:02d}") for i in range(20)
    )
    parts = list(framework.parts.order_by("order"))
    through = Subject.frameworks.through
    made = 0
    first_subject = first_element = None
    for s in range(0, size, per_subject):
        subject = Subject.objects.create(
            organisation=organisation, name=f"Onderwerp {s // per_subject:04d}", kind="service"
        )
        through.objects.create(subject=subject, framework=framework)
        count = min(per_subject, size - s)
        elements = Element.objects.bulk_create(
            Element(
                organisation=organisation,
                subject=subject,
                element_type=TYPES[(s + i) % len(TYPES)],
                name=f"{WORDS[(s + i) % len(WORDS)].capitalize()} {s + i:06d}",
                description=f"Beschrijving van element {s + i} in {WORDS[i % 5]}.",
                owner=persons[(s + i) % len(persons)],
            )
            for i in range(count)
        )
        Classification.objects.bulk_create(
            Classification(element=element, part=parts[(i + offset) % len(parts)])
            for i, element in enumerate(elements)
            for offset in ((0,) if i % 3 else (0, 7))
        )
        Relation.objects.bulk_create(
            Relation(
                organisation=organisation,
                source=element,
                target=elements[(i + step) % count],
                relation_type=RELATION_TYPES[(i + step) % len(RELATION_TYPES)],
            )
            for i, element in enumerate(elements)
            for step in (1, 3)
            if count > 3
        )
        made += count
        first_subject = first_subject or subject
        first_element = first_element or elements[count // 2]
    assert made == size
    return Org(organisation, user, first_subject.pk, first_element.pk, size)


# --- Measuring ----------------------------------------------------------------------


@dataclass
class Result:
    ms: float
    queries: int
    status: int


def measure(fetch: Callable[[], object], runs: int) -> Result:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fetch()  # warm caches (templates, content types, SQLite pages)
    times = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = fetch()
            times.append((time.perf_counter() - start) * 1000)
    return Result(statistics.median(times), len(queries), response.status_code)


def cases(org: Org) -> dict[str, Callable[[], object]]:
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(org.user)
    slug = org.organisation.slug

    def page(name, **kwargs):
        return reverse(f"graph:{name}", kwargs={"org": slug, **kwargs})

    late = max(1, int(org.size / 50 * 0.9))
    api = f"/api/o/{slug}/model/elements/"
    return {
        "element list, first page": lambda: client.get(page("element_list")),
        "element list, type filter": lambda: client.get(
            page("element_list"), {"element_type": "goal"}
        ),
        "element list, search q": lambda: client.get(page("element_list"), {"q": "wachttijd"}),
        "element list, late page": lambda: client.get(page("element_list"), {"page": late}),
        "element list, by part": lambda: client.get(
            page("element_list"), {"part": "urn:stuurwiel:bench:framework:a1"}
        ),
        "API element list": lambda: client.get(api),
        "API element list, late page": lambda: client.get(api, {"page": late}),
        "subject lens page": lambda: client.get(page("subject_detail", pk=org.subject_id)),
        "element detail": lambda: client.get(page("element_detail", pk=org.element_id)),
        "relation list, first page": lambda: client.get(page("relation_list")),
        "element lookup (search)": lambda: client.get(
            page("element_lookup"), {"field": "source", "lookup": "verhuizing 0"}
        ),
        # The model graph: a subject's overview (counted per type above 150
        # elements) and the focus on one element at depth 1 and 2.
        "model graph, subject overview": lambda: client.get(
            page("model_graph"), {"subject": org.subject_id}
        ),
        "model graph, framework filter": lambda: client.get(
            page("model_graph"), {"subject": org.subject_id, "framework": "bench"}
        ),
        "model graph, focus": lambda: client.get(page("model_graph"), {"focus": org.element_id}),
        "model graph, focus depth 2": lambda: client.get(
            page("model_graph"), {"focus": org.element_id, "depth": "2"}
        ),
        "model graph, focus as SVG": lambda: client.get(
            page("model_graph_svg"), {"focus": org.element_id}
        ),
    }


def main() -> None:
    args = parse_args()
    workdir = setup_django()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    try:
        call_command("migrate", verbosity=0)
        framework = bench_framework()
        stamp = str(int(time.time()))[-6:]
        built = []
        for size in (SMALL, args.elements):
            start = time.perf_counter()
            built.append(build(f"bench-{size}-{stamp}", size, args.per_subject, framework))
            print(f"built {size:>9,} elements in {time.perf_counter() - start:6.1f} s")
        if connection.vendor == "postgresql":
            # Autovacuum would gather statistics soon after a bulk load; do it now,
            # or the planner guesses row counts of tables it has never looked at.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        small, large = built
        print(
            f"\ndatabase: {connection.vendor} ({settings.DATABASES['default']['NAME']}); "
            f"{args.runs} runs, median\n"
        )
        head = f"{'page':<30} {'ms':>8} {'q':>4} {'ms':>9} {'q':>4} {'ratio':>7}"
        sizes = f"{SMALL:,} el.".rjust(13) + f"{args.elements:,} el.".rjust(15)
        print(f"{'':<30}{sizes}")
        print(head)
        print("-" * len(head))
        small_cases, large_cases = cases(small), cases(large)
        for name in small_cases:
            a = measure(small_cases[name], args.runs)
            b = measure(large_cases[name], args.runs)
            flag = "" if a.status == b.status == 200 else f"  HTTP {a.status}/{b.status}"
            slow = "  > 300 ms" if b.ms > 300 else ""
            print(
                f"{name:<30} {a.ms:8.1f} {a.queries:4d} {b.ms:9.1f} {b.queries:4d} "
                f"{b.ms / a.ms:7.2f}{flag}{slow}"
            )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
