"""How the coherence evaluation scales with the size of an organisation.

Run from the repository root::

    STUURWIEL_DEMO=1 .venv/bin/python bench/coherence_scale.py [--sizes 10000,30000,100000]

For each size it builds one organisation (bulk_create, no change log) with the
bundled libraries applied to subjects of ``--per-subject`` elements, the four
frameworks in turn: elements classified to the framework's parts (nine in ten
with a type that fits), three relations per element, two in five realising one of
the framework's link types, one in twenty reaching another subject. Then it times:

- the full evaluation of the organisation (``coherence_evaluate``): the first run,
  which opens every finding, and the median of ``--runs`` later runs;
- the incremental evaluation after one write: the median of ``--runs`` updates of
  one element's name through ``graph.services.element_update`` (the write, its
  change-log entry and the evaluation of the subjects it touches: a name change
  touches only when the element last changed, so only cadence rules run), and
  the evaluation alone of every rule of that subject (``findings_refresh``
  without ``touched``, what a structural write costs);

and prints the time per 1,000 elements, so a linear cost shows as a flat column,
the CPU time of this process (``cpu``: on SQLite that includes the database's
work; the machine may be shared) and the SQL statements of one incremental
evaluation (``eval q``), and the load average after each size.
Targets (issue 8): full < 2 s at 100,000 elements and 300,000 relations;
incremental < 50 ms. Without ``DATABASE_URL`` it runs in a throwaway SQLite file.

``--reuse`` keeps the data: on SQLite in ``--sqlite`` (default
``var/bench/coherence.sqlite3``), on PostgreSQL in the database ``DATABASE_URL``
names; an organisation ``bench-coherence-<size>`` already there is measured as it
is (its "1st" run then finds the findings of the last run open). ``--profile``
prints where one full and one incremental evaluation spend their time (cProfile,
the top functions by own time).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django(args) -> None:
    sys.path.insert(0, str(ROOT))
    workdir = tempfile.mkdtemp(prefix="stuurwiel-bench-")
    os.makedirs(f"{workdir}/static")
    os.environ.setdefault("STUURWIEL_DATA_DIR", workdir)
    if not os.environ.get("DATABASE_URL"):
        path = args.sqlite if args.reuse else f"{workdir}/bench.sqlite3"
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("STUURWIEL_DEMO", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stuurwiel.settings")
    import django

    django.setup()


def existing(size: int):
    """The kept organisation of this size and its elements, or None."""
    from stuurwiel.graph.models import Element, Relation
    from stuurwiel.organisations.models import Organisation

    organisation = Organisation.objects.filter(slug=f"bench-coherence-{size}").first()
    if organisation is None:
        return None
    elements = list(Element.objects.filter(organisation=organisation).order_by("pk"))
    return organisation, elements, Relation.objects.filter(organisation=organisation).count()


def build(size: int, per_subject: int, seed: int, *, reuse: bool = False):
    from django.db import connection

    from stuurwiel.core.vocabulary import ElementType
    from stuurwiel.frameworks.models import Framework, FrameworkPart, LinkType
    from stuurwiel.graph.models import Classification, Element, Relation, Subject
    from stuurwiel.organisations.models import Organisation

    rng = random.Random(seed)
    slug = f"bench-coherence-{size}" + ("" if reuse else f"-{int(time.time())}")
    organisation = Organisation.objects.create(name=slug, slug=slug)
    frameworks = list(Framework.objects.order_by("ref_id"))
    parts = {
        f.pk: [
            p for p in FrameworkPart.objects.filter(framework=f, assessable=True) if p.element_types
        ]
        for f in frameworks
    }
    links = {f.pk: list(LinkType.objects.filter(framework=f)) for f in frameworks}
    all_types = list(ElementType.values)
    count = max(size // per_subject, 1)
    subjects = Subject.objects.bulk_create(
        Subject(organisation=organisation, kind="capability", name=f"Onderwerp {n}")
        for n in range(count)
    )
    through = Subject.frameworks.through
    through.objects.bulk_create(
        through(subject_id=s.pk, framework_id=frameworks[n % len(frameworks)].pk)
        for n, s in enumerate(subjects)
    )
    elements, chosen = [], []
    for n in range(size):
        subject = subjects[n % count]
        framework = frameworks[(n % count) % len(frameworks)]
        part = rng.choice(parts[framework.pk])
        element_type = (
            rng.choice(part.element_types) if rng.random() < 0.9 else rng.choice(all_types)
        )
        elements.append(
            Element(
                organisation=organisation,
                subject=subject,
                element_type=element_type,
                name=f"Element {n}",
            )
        )
        chosen.append(part)
    Element.objects.bulk_create(elements, batch_size=2000)
    Classification.objects.bulk_create(
        (Classification(element=e, part=p) for e, p in zip(elements, chosen, strict=True)),
        batch_size=5000,
    )
    by_subject_part: dict = {}
    for element, part in zip(elements, chosen, strict=True):
        by_subject_part.setdefault((element.subject_id, part.pk), []).append(element)
    per_subject_list: dict = {}
    for element in elements:
        per_subject_list.setdefault(element.subject_id, []).append(element)
    seen, relations = set(), []
    for n, element in enumerate(elements):
        framework = frameworks[(n % count) % len(frameworks)]
        for _ in range(3):
            link = None
            if rng.random() < 0.4 and links[framework.pk]:
                link = rng.choice(links[framework.pk])
                pool = by_subject_part.get((element.subject_id, link.target_part_id))
                source = element
                target = rng.choice(pool) if pool else None
                relation_type = link.relation_type
            else:
                pool = per_subject_list[element.subject_id] if rng.random() > 0.05 else elements
                source, target, relation_type = element, rng.choice(pool), "association"
            if target is None or target.pk == source.pk:
                continue
            key = (source.pk, target.pk, relation_type)
            if key in seen:
                continue
            seen.add(key)
            relations.append(
                Relation(
                    organisation=organisation,
                    source=source,
                    target=target,
                    relation_type=relation_type,
                    link_type=link,
                )
            )
    Relation.objects.bulk_create(relations, batch_size=5000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return organisation, elements, len(relations)


def profile(label: str, call) -> None:
    import cProfile
    import pstats

    profiler = cProfile.Profile(time.process_time)  # CPU: the machine is shared
    profiler.enable()
    call()
    profiler.disable()
    print(f"--- profile (CPU time of this process): {label}")
    pstats.Stats(profiler).sort_stats("tottime").print_stats(18)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,30000,100000")
    parser.add_argument("--per-subject", type=int, default=500)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--reuse", action="store_true", help="keep and reuse the data")
    parser.add_argument("--sqlite", default=str(ROOT / "var" / "bench" / "coherence.sqlite3"))
    parser.add_argument("--profile", action="store_true", help="print a cProfile breakdown")
    args = parser.parse_args()
    setup_django(args)
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from stuurwiel.coherence.services import coherence_evaluate, findings_refresh
    from stuurwiel.graph import services as graph_services
    from stuurwiel.graph.models import Element

    call_command("migrate", verbosity=0)
    call_command("frameworks_load", "--defaults", verbosity=0)
    print(
        f"database: {connection.vendor}; {args.per_subject} elements per subject; {args.runs} runs"
    )
    header = ("elements", "relations", "full 1st s", "full s", "cpu s", "ms/1k el", "findings")
    columns = f"{'write+eval ms':>13} {'eval ms':>8} {'cpu ms':>7} {'eval q':>6}"
    print(" ".join(f"{h:>10}" for h in header), columns)
    for size in [int(s) for s in args.sizes.split(",")]:
        kept = existing(size) if args.reuse else None
        organisation, elements, relation_count = kept or build(
            size, args.per_subject, seed=size, reuse=args.reuse
        )
        started = time.perf_counter()
        first = coherence_evaluate(organisation=organisation)
        first_s = time.perf_counter() - started
        fulls, full_cpus = [], []
        for _ in range(args.runs):
            started, cpu = time.perf_counter(), time.process_time()
            last = coherence_evaluate(organisation=organisation)
            fulls.append(time.perf_counter() - started)
            full_cpus.append(time.process_time() - cpu)
        writes, evals, eval_cpus, statements = [], [], [], []
        rng = random.Random(size)
        for _ in range(args.runs):
            element = Element.objects.get(pk=rng.choice(elements).pk)
            started = time.perf_counter()
            graph_services.element_update(
                instance=element,
                by=None,
                data={"name": element.name + "."},
                version=element.version,
            )
            writes.append(time.perf_counter() - started)
            with CaptureQueriesContext(connection) as queries:
                started, cpu = time.perf_counter(), time.process_time()
                findings_refresh(organisation=organisation, subject_ids=[element.subject_id])
                evals.append(time.perf_counter() - started)
                eval_cpus.append(time.process_time() - cpu)
            statements.append(len(queries.captured_queries))
        full = statistics.median(fulls)
        full_cpu = statistics.median(full_cpus)
        figures = (size, relation_count, f"{first_s:.2f}", f"{full:.2f}", f"{full_cpu:.2f}")
        figures += (f"{1e6 * full / size:.1f}", first.open_total)
        write_ms, eval_ms = 1000 * statistics.median(writes), 1000 * statistics.median(evals)
        cpu_ms = 1000 * statistics.median(eval_cpus)
        print(
            " ".join(f"{f:>10}" for f in figures),
            f"{write_ms:>13.1f} {eval_ms:>8.1f} {cpu_ms:>7.1f} {max(statements):>6}",
            f"  (load {os.getloadavg()[0]:.2f})",
        )
        stages = ", ".join(f"{name} {1000 * cpu:.0f}" for name, cpu in last.timings.items())
        print(f"{'':>10} CPU ms of the last full run per stage: {stages}")
        if args.profile:
            profile(f"full, {size}", partial(coherence_evaluate, organisation=organisation))
            profile(
                f"incremental, {size}",
                partial(
                    findings_refresh,
                    organisation=organisation,
                    subject_ids=[elements[0].subject_id],
                ),
            )


if __name__ == "__main__":
    main()
