"""The four models' diagrams for a subject with 1,000 elements: server time and queries.

Run from the repository root::

    STUURWIEL_DEMO=1 .venv/bin/python bench/diagrams.py [--elements 1000] [--runs 30]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/stuurwiel_diagrams \
        .venv/bin/python bench/diagrams.py

It loads the four bundled libraries into a throwaway SQLite file (or the database
``DATABASE_URL`` names) and makes, per framework, a subject of ``--elements``
elements spread over the framework's parts (and one of 10 elements, for the query
count). Then, as a signed-in organisation admin through Django's test client, it times
``--runs`` requests (after one warm-up) of the diagram page and of the SVG file:
p50 and p95 wall time, and the queries of one request at both sizes (the issue's
target: < 300 ms, a constant query count). Times depend on the machine; nothing is
asserted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FRAMEWORKS = {
    "optimum": "capability",
    "idm": "digitalisation_agenda",
    "missiegedreven": "mission_environment",
    "usm": "service",
}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--elements", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=30)
    return parser.parse_args()


def setup_django() -> str:
    sys.path.insert(0, str(ROOT))
    workdir = tempfile.mkdtemp(prefix="stuurwiel-bench-")
    os.makedirs(f"{workdir}/static")
    os.environ.setdefault("STUURWIEL_DATA_DIR", workdir)
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    os.environ.setdefault("STUURWIEL_DEMO", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stuurwiel.settings")
    import django

    django.setup()
    return workdir


def build(elements: int):
    """An organisation, its admin, and per framework a large and a small subject."""
    from django.contrib.auth import get_user_model

    from stuurwiel.frameworks.loader import validate_libraries, write_libraries
    from stuurwiel.frameworks.models import Framework, FrameworkPart
    from stuurwiel.frameworks.services import bundled_library_paths
    from stuurwiel.graph.models import Classification, Element, Subject
    from stuurwiel.organisations.choices import Role
    from stuurwiel.organisations.models import Membership, Organisation, RoleAssignment

    if not Framework.objects.exists():
        write_libraries(validate_libraries(bundled_library_paths()), by=None)
    stamp = str(time.time_ns())[-8:]
    org = Organisation.objects.create(name=f"Bench diagrams {stamp}", slug=f"bench-diag-{stamp}")
    user = get_user_model().objects.create_user(username=f"bench-diag-{stamp}", password="x")
    membership = Membership.objects.create(organisation=org, user=user)
    RoleAssignment.objects.create(membership=membership, role=Role.ORGANISATION_ADMIN)
    subjects = {}
    for ref_id, kind in FRAMEWORKS.items():
        framework = Framework.objects.get(ref_id=ref_id)
        parts = list(FrameworkPart.objects.filter(framework=framework).order_by("order"))
        for size in (10, elements):
            subject = Subject.objects.create(organisation=org, name=f"{ref_id} {size}", kind=kind)
            subject.frameworks.add(framework)
            made = Element.objects.bulk_create(
                Element(
                    organisation=org, subject=subject, name=f"Element {i:05d}", element_type="goal"
                )
                for i in range(size)
            )
            Classification.objects.bulk_create(
                Classification(element=element, part=parts[i % len(parts)])
                for i, element in enumerate(made)
            )
            subjects[(ref_id, size)] = subject
    return org, user, subjects


def timed(call, runs: int) -> tuple[float, float]:
    call()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(len(samples) * 0.95))]


def main() -> None:
    args = parse_args()
    workdir = setup_django()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    try:
        call_command("migrate", verbosity=0)
        org, user, subjects = build(args.elements)
        client = Client(HTTP_ACCEPT_LANGUAGE="nl")
        client.force_login(user)
        print(
            f"database: {connection.vendor} ({settings.DATABASES['default']['NAME']}); "
            f"{args.elements} elements per subject; {args.runs} runs"
        )
        print(
            f"{'diagram':<16}{'view':<10}{'p50 ms':>9}{'p95 ms':>9}{'queries':>9}{'(10 el.)':>10}"
        )
        for ref_id in FRAMEWORKS:
            for name, label in (("subject_diagram", "page"), ("subject_diagram_svg", "svg file")):
                urls = {
                    size: reverse(
                        f"diagrams:{name}",
                        kwargs={
                            "org": org.slug,
                            "pk": subjects[(ref_id, size)].pk,
                            "ref_id": ref_id,
                        },
                    )
                    for size in (10, args.elements)
                }
                counts = {}
                for size, url in urls.items():
                    assert client.get(url).status_code == 200
                    with CaptureQueriesContext(connection) as captured:
                        client.get(url)
                    counts[size] = len(captured)
                p50, p95 = timed(lambda url=urls[args.elements]: client.get(url), args.runs)
                print(
                    f"{ref_id:<16}{label:<10}{p50:>9.1f}{p95:>9.1f}"
                    f"{counts[args.elements]:>9}{counts[10]:>10}"
                )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
