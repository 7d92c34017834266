"""The model graph drawn as SVG, with a deterministic layout.

Drawn with the diagrams' shapes and palette (:mod:`stuurwiel.diagrams.figure`), so
it looks like the models' own figures. An element is a box in the colour *and* the
shape of its ArchiMate layer (motivation: cut corners; strategy: rounded; business:
square corners; application: a band on top; technology: a 3-D box; implementation:
dashed border), with its type written under its name: never colour alone. A
relation is drawn in ArchiMate's notation (dashed realisation with a hollow
triangle, serving with an open arrow, composition with a filled diamond, …) and,
around a focus, labelled with its type in words.

Layouts: around a focus, the neighbours on a ring (ordered by direction and
relation type, so each group is one arc), their neighbours on an outer ring next
to them; the overview in bands per layer, top to bottom as in Archi, in a grid.
Every element is a link that centres the graph on it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stuurwiel.diagrams.figure import Shape, path, rect, text
from stuurwiel.diagrams.palette import INK, MUTED, PAPER, RULE
from stuurwiel.graph.choices import ElementLayer, ElementType, RelationType
from stuurwiel.graph.graph_selectors import IN, OUT, Focus, NeighbourGroup, Overview, layer_of
from stuurwiel.graph.models import Element
from stuurwiel.services.textfit import fit_lines, fit_text, text_width

NODE_W, NODE_H = 168.0, 54.0
INNER_PER_COLUMN = 12
EDGE = "#3d4753"
LINK = "#1f5f7a"


@dataclass(frozen=True)
class LayerStyle:
    fill: str
    stroke: str
    dash: str = ""


# Light ArchiMate-like fills: dark ink on every one passes WCAG AA (tests/test_graph_page.py).
LAYER_STYLES: dict[str, LayerStyle] = {
    ElementLayer.MOTIVATION: LayerStyle("#ece6fb", "#5b4b9a"),
    ElementLayer.STRATEGY: LayerStyle("#f9e8c8", "#8a5a00"),
    ElementLayer.BUSINESS: LayerStyle("#fff5c2", "#6f6200"),
    ElementLayer.APPLICATION: LayerStyle("#d9f1f8", "#1f5f7a"),
    ElementLayer.TECHNOLOGY: LayerStyle("#dff0d6", "#2f6b2f"),
    ElementLayer.IMPLEMENTATION: LayerStyle("#fbe3e3", "#8f1d1d", "6 3"),
}

# ArchiMate's notation: (line dash, marker at the source, marker at the target).
RELATION_NOTATION: dict[str, tuple[str, str, str]] = {
    RelationType.COMPOSITION: ("", "diamond-filled", ""),
    RelationType.AGGREGATION: ("", "diamond-open", ""),
    RelationType.ASSIGNMENT: ("", "dot", "arrow-filled"),
    RelationType.REALIZATION: ("6 4", "", "triangle-open"),
    RelationType.SERVING: ("", "", "arrow-open"),
    RelationType.ACCESS: ("2 3", "", "arrow-open"),
    RelationType.INFLUENCE: ("6 4", "", "arrow-open"),
    RelationType.TRIGGERING: ("", "", "triangle-filled"),
    RelationType.FLOW: ("6 4", "", "triangle-filled"),
    RelationType.SPECIALIZATION: ("", "", "triangle-open"),
    RelationType.ASSOCIATION: ("", "", ""),
}


@dataclass
class Node:
    """An element (or a "+N more" link) in the drawing, behind one link."""

    id: str
    url: str
    label: str  # the accessible name of the link
    shapes: list[Shape] = field(default_factory=list)
    kind: str = "element"  # "element", "centre", "more", "type"


@dataclass
class Edge:
    title: str
    relation_type: str
    shapes: list[Shape] = field(default_factory=list)


@dataclass
class GraphFigure:
    title: str
    subtitle: str
    desc: str
    width: int = 1400
    height: int = 980
    key: str = "model-graph"
    back: list[Shape] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    nodes: list[Node] = field(default_factory=list)
    legend: list[Shape] = field(default_factory=list)
    notations: list[tuple[str, str, str, str]] = field(default_factory=list)


def type_label(element_type: str) -> str:
    try:
        return str(ElementType(element_type).label)
    except ValueError:
        return element_type


def relation_label(relation_type: str) -> str:
    try:
        return str(RelationType(relation_type).label)
    except ValueError:
        return relation_type


# --- Boxes and lines --------------------------------------------------------------------


def element_box(x: float, y: float, element: Element, *, strong: bool = False) -> list[Shape]:
    """The element at (x, y) (top left): its layer's shape and colour, its name
    (two lines) and its type in words."""
    style = LAYER_STYLES[layer_of(element.element_type)]
    w, h = NODE_W, NODE_H
    width = 3.0 if strong else 1.4
    common = {
        "fill": style.fill,
        "stroke": style.stroke,
        "stroke_width": width,
        "stroke_dasharray": style.dash or "none",
    }
    layer = layer_of(element.element_type)
    shapes: list[Shape]
    if layer == ElementLayer.MOTIVATION:
        c = 9
        d = (
            f"M{x + c},{y} H{x + w - c} L{x + w},{y + c} V{y + h - c} L{x + w - c},{y + h} "
            f"H{x + c} L{x},{y + h - c} V{y + c} Z"
        )
        shapes = [path(d, **common)]
    elif layer == ElementLayer.STRATEGY:
        shapes = [rect(x, y, w, h, rx=16, **common)]
    elif layer == ElementLayer.APPLICATION:
        shapes = [
            rect(x, y, w, h, rx=0, **common),
            Shape("line", {"x1": x, "y1": y + 7, "x2": x + w, "y2": y + 7, "stroke": style.stroke}),
        ]
    elif layer == ElementLayer.TECHNOLOGY:
        o = 7
        shapes = [
            path(
                f"M{x},{y + o} L{x + o},{y} H{x + w} V{y + h - o} L{x + w - o},{y + h}",
                fill=style.fill,
                stroke=style.stroke,
                stroke_width=1.2,
            ),
            rect(x, y + o, w - o, h - o, **common),
            Shape(
                "line",
                {"x1": x + w - o, "y1": y + o, "x2": x + w, "y2": y, "stroke": style.stroke},
            ),
        ]
        w -= o
    else:
        shapes = [rect(x, y, w, h, rx=4, **common)]
    top = y + (9 if layer in (ElementLayer.APPLICATION, ElementLayer.TECHNOLOGY) else 3)
    size, lines = fit_text(element.name, w - 16, (12.5, 11.5, 10.5), 2, bold=True)
    cursor = top + (13 if len(lines) == 2 else 20)
    for line in lines:
        shapes.append(text(x + 8, cursor, line, size, font_weight=700, fill=INK))
        cursor += size + 1.5
    kind = fit_lines(type_label(element.element_type), w - 16, 10.5, 1)[0]
    shapes.append(text(x + 8, y + h - 5, kind, 10.5, fill=MUTED, font_style="italic"))
    return shapes


def _clip(cx: float, cy: float, tx: float, ty: float, w: float, h: float) -> tuple[float, float]:
    """Where the line from the centre of a ``w`` × ``h`` box towards (tx, ty) leaves it."""
    dx, dy = tx - cx, ty - cy
    if dx == 0 and dy == 0:
        return cx, cy
    scale = min(
        (w / 2) / abs(dx) if dx else math.inf,
        (h / 2) / abs(dy) if dy else math.inf,
    )
    return cx + dx * scale, cy + dy * scale


def relation_line(
    a: tuple[float, float],
    b: tuple[float, float],
    relation_type: str,
    *,
    label: str = "",
    box_a: tuple[float, float] = (NODE_W, NODE_H),
    box_b: tuple[float, float] = (NODE_W, NODE_H),
    opacity: float = 1.0,
) -> list[Shape]:
    """A relation from the box centred at ``a`` to the one centred at ``b``, in
    ArchiMate's notation, with its type written at the middle when ``label``."""
    x1, y1 = _clip(*a, *b, *box_a)
    x2, y2 = _clip(*b, *a, *box_b)
    dash, start, end = RELATION_NOTATION.get(relation_type, ("", "", ""))
    attrs = {
        "x1": x1,
        "y1": y1,
        "x2": x2,
        "y2": y2,
        "stroke": EDGE,
        "stroke_width": 1.4,
        "stroke_dasharray": dash or "none",
    }
    if opacity < 1:
        attrs["stroke_opacity"] = opacity
    if start:
        attrs["marker_start"] = f"url(#mg-{start})"
    if end:
        attrs["marker_end"] = f"url(#mg-{end})"
    shapes = [Shape("line", attrs)]
    if label:
        mx, my = (x1 + x2) / 2, (y1 + y2) / 2
        w = text_width(label, 10.5) + 8
        shapes.append(rect(mx - w / 2, my - 8, w, 15, rx=3, fill=PAPER, stroke=RULE))
        shapes.append(text(mx - w / 2 + 4, my + 3.5, label, 10.5, fill=INK))
    return shapes


# --- Around a focus ------------------------------------------------------------------------


@dataclass
class _Slot:
    """A place on the inner ring: a neighbour, or its group's "+N more"."""

    group: NeighbourGroup
    element: Element | None
    x: float = 0.0
    y: float = 0.0


ROW = NODE_H + 12  # vertical pitch of the boxes on one side
TOP, BOTTOM = 100.0, 100.0  # room for the title above and the legend below


def _side_x(dy: float, reach: float, near: float, far: float) -> float:
    """Horizontal distance from the centre of a box ``dy`` above or below it: the
    boxes of one side stand on an arc, farthest out level with the focus."""
    share = min(1.0, abs(dy) / reach) if reach else 0.0
    return far - (far - near) * share * share


def _inner_slots(focus: Focus, cx: float, cy: float, near: float, far: float) -> list[_Slot]:
    """Incoming groups on the left, outgoing on the right, each group one run of
    boxes, top to bottom; a side with more boxes than fit in one column takes two."""
    slots: list[_Slot] = []
    for direction, sign in ((IN, -1), (OUT, 1)):
        side = [
            _Slot(group, element)
            for group in focus.groups
            if group.direction == direction
            for element in [*group.elements, *([None] if group.more else [])]
        ]
        columns = 1 if len(side) <= INNER_PER_COLUMN else 2
        pitch = ROW if columns == 1 else ROW / 2
        # A little air between groups, while the side still fits in its column(s).
        breaks = sum(1 for a, b in zip(side, side[1:], strict=False) if a.group is not b.group)
        air = min(pitch / 3, (INNER_PER_COLUMN * ROW - len(side) * pitch) / breaks) if breaks else 0
        offsets, cursor = [], 0.0
        for i, slot in enumerate(side):
            if i and slot.group is not side[i - 1].group:
                cursor += max(air, 0.0)
            offsets.append(cursor)
            cursor += pitch
        middle = (offsets[-1] / 2) if offsets else 0.0
        reach = max(middle, ROW)
        for i, slot in enumerate(side):
            dy = offsets[i] - middle
            out = (NODE_W + 24) if columns == 2 and i % 2 else 0.0
            slot.x = cx + sign * (_side_x(dy, reach, near, far) + out)
            slot.y = cy + dy
        slots += side
    return slots


def draw_focus(
    focus: Focus,
    *,
    focus_url: Callable[[int], str],
    detail_url: str,
    more_url: Callable[[NeighbourGroup], str],
    subtitle: str,
) -> GraphFigure:
    """The focus in the centre, its neighbours on a ring grouped by direction and
    relation type (incoming on the left, outgoing on the right), their neighbours
    on an outer ring beside them."""
    centre = focus.centre
    figure = GraphFigure(
        title=_("Model graph around {name}").format(name=centre.name),
        subtitle=subtitle,
        desc=_focus_desc(focus),
    )
    cx = figure.width / 2
    cy = TOP + (figure.height - TOP - BOTTOM) / 2
    near, far = (190.0, 330.0) if focus.depth < 2 else (170.0, 250.0)
    _header(figure)
    slots = _inner_slots(focus, cx, cy, near, far)
    # One label per group, on its middle spoke; every spoke says it in its title.
    labelled: dict[str, _Slot] = {}
    for group in focus.groups:
        members = [slot for slot in slots if slot.group is group]
        labelled[group.key] = members[len(members) // 2]
    placed: dict[int, _Slot] = {}
    for slot in slots:
        group = slot.group
        label = relation_label(group.relation_type)
        outgoing = group.direction == OUT
        shown = f"{label} →" if outgoing else f"← {label}"
        ends = ((cx, cy), (slot.x, slot.y)) if outgoing else ((slot.x, slot.y), (cx, cy))
        if slot.element is None:
            more = _("+{count} more").format(count=group.more)
            w = text_width(more, 12, bold=True) + 20
            boxes = ((NODE_W, NODE_H), (w, 28.0)) if outgoing else ((w, 28.0), (NODE_W, NODE_H))
            line = relation_line(
                *ends, group.relation_type, box_a=boxes[0], box_b=boxes[1], opacity=0.6
            )
            figure.edges.append(Edge(label, group.relation_type, line))
            words = _("{count} more related by {relation}: the list")
            figure.nodes.append(
                Node(
                    f"more-{group.key}",
                    more_url(group),
                    words.format(count=group.more, relation=label),
                    [
                        rect(slot.x - w / 2, slot.y - 14, w, 28, rx=14, fill=PAPER, stroke=LINK),
                        text(
                            slot.x - w / 2 + 10, slot.y + 4.5, more, 12, font_weight=700, fill=LINK
                        ),
                    ],
                    kind="more",
                )
            )
            continue
        element = slot.element
        placed[element.pk] = slot
        words = _("{relation}, to {name}") if outgoing else _("{relation}, from {name}")
        title = words.format(relation=label, name=element.name)
        line = relation_line(
            *ends, group.relation_type, label=shown if labelled[group.key] is slot else ""
        )
        figure.edges.append(Edge(title, group.relation_type, line))
        figure.nodes.append(_element_node(element, slot.x, slot.y, focus_url, extra=title))
    _outer_ring(figure, focus, placed, cx, cy, focus_url)
    figure.nodes.append(
        Node(
            "centre",
            detail_url,
            _("{name} ({type}), the element in focus: open its page").format(
                name=centre.name, type=type_label(centre.element_type)
            ),
            element_box(cx - NODE_W / 2, cy - NODE_H / 2, centre, strong=True),
            kind="centre",
        )
    )
    _legend(figure, focus_types=True)
    return figure


def _outer_ring(figure, focus: Focus, placed: dict[int, _Slot], cx, cy, focus_url) -> None:
    """Depth 2: each neighbour's neighbours in an outer column on its side, as
    level with it as the others allow; what does not fit is counted at its parent."""
    pitch = NODE_H + 8
    lowest = figure.height - BOTTOM - NODE_H / 2
    hidden: dict[int, int] = dict(focus.outer_more)
    for sign in (-1, 1):
        wanted = []
        for node in focus.outer:
            parent = placed.get(node.parent_id)
            if parent is None or (parent.x - cx) * sign <= 0:
                continue
            siblings = [n for n in focus.outer if n.parent_id == node.parent_id]
            offset = (siblings.index(node) - (len(siblings) - 1) / 2) * pitch * 0.5
            wanted.append((parent.y + offset, node, parent))
        wanted.sort(key=lambda item: item[0])
        room = int((lowest - (TOP + NODE_H / 2)) // pitch) + 1
        for _y, node, _parent in wanted[room:]:
            hidden[node.parent_id] = hidden.get(node.parent_id, 0) + 1
        wanted = wanted[:room]
        ys: list[float] = []
        for y, _node, _parent in wanted:  # top to bottom, each below the one before
            ys.append(max(y, TOP + NODE_H / 2, ys[-1] + pitch if ys else -math.inf))
        shift = max(0.0, (ys[-1] - lowest) if ys else 0.0)
        x = cx + sign * (figure.width / 2 - NODE_W / 2 - 16)
        for y, (_wanted, node, parent) in zip(ys, wanted, strict=True):
            y -= shift
            label = relation_label(node.relation_type)
            ends = (
                ((parent.x, parent.y), (x, y))
                if node.direction == OUT
                else ((x, y), (parent.x, parent.y))
            )
            line = relation_line(*ends, node.relation_type, label=label, opacity=0.8)
            figure.edges.append(Edge(label, node.relation_type, line))
            figure.nodes.append(_element_node(node.element, x, y, focus_url, extra=label))
    for parent_id, count in hidden.items():
        parent = placed.get(parent_id)
        if parent is not None and count:
            figure.back.append(
                text(
                    parent.x - NODE_W / 2,
                    parent.y + NODE_H / 2 + 12,
                    _("+{count} further").format(count=count),
                    10.5,
                    fill=MUTED,
                )
            )


def _element_node(element: Element, x: float, y: float, focus_url, *, extra: str = "") -> Node:
    label = _("{name} ({type}): centre the graph on it").format(
        name=element.name, type=type_label(element.element_type)
    )
    if extra:
        label = f"{label}. {extra}"
    return Node(
        f"element-{element.pk}",
        focus_url(element.pk),
        label,
        element_box(x - NODE_W / 2, y - NODE_H / 2, element),
    )


def _focus_desc(focus: Focus) -> str:
    parts = [
        ngettext(
            "{name} with {count} related element",
            "{name} with {count} related elements",
            focus.neighbour_count,
        ).format(name=focus.centre.name, count=focus.neighbour_count)
    ]
    for group in focus.groups:
        arrow = _("outgoing") if group.direction == OUT else _("incoming")
        parts.append(
            "{relation} ({arrow}): {names}".format(
                relation=relation_label(group.relation_type),
                arrow=arrow,
                names=", ".join(e.name for e in group.elements)
                + (f" +{group.more}" if group.more else ""),
            )
        )
    return "; ".join(parts) + "."


# --- The overview -----------------------------------------------------------------------------


def draw_overview(
    overview: Overview, *, focus_url, type_url, part_url, subtitle: str
) -> GraphFigure:
    """Bands per layer, top to bottom; the elements in a grid with the relations
    among them, or above the cap a tile per type with its count."""
    figure = GraphFigure(
        title=_("Model graph"),
        subtitle=subtitle,
        desc=_overview_desc(overview),
    )
    _header(figure)
    top = 110.0
    left = 170.0
    if overview.aggregated:
        rows = [
            (layer, [t for t in overview.types if t.layer == layer])
            for layer in ElementLayer.values
        ]
        tile_w, tile_h, gap = 196.0, 58.0, 14.0
        per_row = int((figure.width - left - 30) // (tile_w + gap))
        y = top
        for layer, types in rows:
            if not types:
                continue
            lines = math.ceil(len(types) / per_row)
            band_h = lines * (tile_h + gap) + gap
            _band(figure, layer, y, band_h)
            for i, tcount in enumerate(types):
                tx = left + (i % per_row) * (tile_w + gap)
                ty = y + gap + (i // per_row) * (tile_h + gap)
                style = LAYER_STYLES[layer]
                name = type_label(tcount.element_type)
                words = ngettext("{count} element", "{count} elements", tcount.count).format(
                    count=tcount.count
                )
                figure.nodes.append(
                    Node(
                        f"type-{tcount.element_type}",
                        type_url(tcount.element_type),
                        _("{type}: {count}, the list").format(type=name, count=words),
                        [
                            rect(
                                tx,
                                ty,
                                tile_w,
                                tile_h,
                                rx=6,
                                fill=style.fill,
                                stroke=style.stroke,
                                stroke_width=1.4,
                                stroke_dasharray=style.dash or "none",
                            ),
                            text(
                                tx + 10,
                                ty + 22,
                                fit_lines(name, tile_w - 20, 13.5, 1, bold=True)[0],
                                13.5,
                                font_weight=700,
                            ),
                            text(tx + 10, ty + 44, words, 12, fill=INK, class_="row-text"),
                        ],
                        kind="type",
                    )
                )
            y += band_h + 10
        if overview.parts:
            y += 10
            figure.back.append(
                text(40, y + 14, _("Per part of the framework"), 14, font_weight=700)
            )
            y += 26
            x = 40.0
            for part in overview.parts:
                label = f"{part.name} · {part.count}"
                w = min(text_width(label, 12, bold=True) + 22, 320)
                if x + w > figure.width - 40:
                    x, y = 40.0, y + 38
                figure.nodes.append(
                    Node(
                        f"part-{part.part_id}",
                        part_url(part.urn),
                        _("{part}: {count}, the list").format(part=part.name, count=part.count),
                        [
                            rect(x, y, w, 28, rx=14, fill=PAPER, stroke=LINK, stroke_width=1.3),
                            text(
                                x + 11,
                                y + 18.5,
                                fit_lines(label, w - 18, 12, 1, bold=True)[0],
                                12,
                                font_weight=700,
                                fill=LINK,
                            ),
                        ],
                        kind="type",
                    )
                )
                x += w + 10
            y += 40
        if overview.type_pairs:
            y += 10
            figure.back.append(
                text(40, y + 14, _("Most frequent relations between types"), 14, font_weight=700)
            )
            y += 24
            for pair in overview.type_pairs:
                y += 19
                figure.back.append(text(48, y, pair.text, 12))
        figure.height = int(max(y + 120, 600))
        _legend(figure, focus_types=False)
        return figure
    gap_x, gap_y = 26.0, 30.0
    per_row = int((figure.width - left - 30) // (NODE_W + gap_x))
    centres: dict[int, tuple[float, float]] = {}
    y = top
    for layer in ElementLayer.values:
        members = [e for e in overview.elements if layer_of(e.element_type) == layer]
        if not members:
            continue
        members.sort(
            key=lambda e: (
                list(ElementType.values).index(e.element_type)
                if e.element_type in ElementType.values
                else 99,
                e.name.lower(),
                e.pk,
            )
        )
        lines = math.ceil(len(members) / per_row)
        band_h = lines * (NODE_H + gap_y) + gap_y - 10
        _band(figure, layer, y, band_h)
        for i, element in enumerate(members):
            x = left + (i % per_row) * (NODE_W + gap_x) + NODE_W / 2
            ey = y + gap_y - 10 + (i // per_row) * (NODE_H + gap_y) + NODE_H / 2
            # Stagger alternate rows a little, so lines between rows pass between boxes.
            if (i // per_row) % 2:
                x += gap_x / 2
            centres[element.pk] = (x, ey)
            figure.nodes.append(_element_node(element, x, ey, focus_url))
        y += band_h + 10
    for relation in overview.relations:
        a, b = centres.get(relation.source_id), centres.get(relation.target_id)
        if a is None or b is None:
            continue
        label = relation_label(relation.relation_type)
        figure.edges.append(
            Edge(
                label,
                relation.relation_type,
                relation_line(a, b, relation.relation_type, opacity=0.7),
            )
        )
    if not overview.elements:
        figure.back.append(
            text(40, top + 30, _("No element matches these filters."), 14, fill=MUTED)
        )
        y = top + 60
    figure.height = int(max(y + 110, 500))
    _legend(figure, focus_types=False)
    return figure


def _overview_desc(overview: Overview) -> str:
    if overview.aggregated:
        return ngettext(
            "{count} element, more than can be drawn one by one: counted per type.",
            "{count} elements, more than can be drawn one by one: counted per type.",
            overview.total,
        ).format(count=overview.total)
    return ngettext(
        "{count} element and {relations} relations among them, in bands per layer.",
        "{count} elements and {relations} relations among them, in bands per layer.",
        overview.total,
    ).format(count=overview.total, relations=len(overview.relations))


# --- Frame, bands, legend ---------------------------------------------------------------------


def _header(figure: GraphFigure) -> None:
    figure.back.append(text(40, 44, figure.title, 22, font_weight=700))
    figure.back.append(text(40, 68, figure.subtitle, 13.5, fill=MUTED))
    figure.back.append(
        Shape("line", {"x1": 40, "y1": 82, "x2": figure.width - 40, "y2": 82, "stroke": RULE})
    )


def _band(figure: GraphFigure, layer: str, y: float, h: float) -> None:
    style = LAYER_STYLES[layer]
    figure.back.append(
        rect(
            30,
            y,
            figure.width - 60,
            h,
            rx=6,
            fill=PAPER,
            stroke=style.stroke,
            stroke_width=1,
            stroke_dasharray="3 3",
        )
    )
    figure.back.append(rect(30, y, 8, h, fill=style.stroke))
    for i, line in enumerate(fit_lines(str(ElementLayer(layer).label), 110, 13, 2, bold=True)):
        figure.back.append(text(48, y + 22 + i * 16, line, 13, font_weight=700, fill=INK))


def _legend(figure: GraphFigure, *, focus_types: bool) -> None:
    """The layers (shape and colour, with their names) and, for the drawn
    relations, their notation with the Dutch name."""
    y = figure.height - 62
    shapes = figure.legend
    shapes.append(
        Shape(
            "line", {"x1": 40, "y1": y - 12, "x2": figure.width - 40, "y2": y - 12, "stroke": RULE}
        )
    )
    shapes.append(text(40, y + 12, _("Legend"), 12.5, font_weight=700))
    x = 40 + text_width(_("Legend"), 12.5, bold=True) + 16
    for layer in ElementLayer.values:
        style = LAYER_STYLES[layer]
        shapes.append(
            rect(
                x,
                y,
                22,
                16,
                rx=3,
                fill=style.fill,
                stroke=style.stroke,
                stroke_width=1.4,
                stroke_dasharray=style.dash or "none",
            )
        )
        label = str(ElementLayer(layer).label)
        shapes.append(text(x + 28, y + 12.5, label, 11.5, fill=INK))
        x += 28 + text_width(label, 11.5) + 16
    drawn = sorted(
        {edge.relation_type for edge in figure.edges},
        key=lambda v: list(RelationType.values).index(v) if v in RelationType.values else 99,
    )
    y += 28
    x = 40 + text_width(_("Legend"), 12.5, bold=True) + 16
    for relation_type in drawn:
        label = relation_label(relation_type)
        shapes += relation_line(
            (x + 11, y + 6), (x + 49, y + 6), relation_type, box_a=(0, 0), box_b=(0, 0)
        )
        shapes.append(text(x + 56, y + 10, label, 11.5, fill=INK))
        x += 56 + text_width(label, 11.5) + 16
        if x > figure.width - 160:
            break
    if focus_types:
        shapes.append(
            text(
                figure.width - 40,
                y + 10,
                _("Click an element to centre the graph on it."),
                11.5,
                fill=MUTED,
                text_anchor="end",
            )
        )


def render_graph_svg(figure: GraphFigure, *, standalone: bool = False) -> str:
    return render_to_string("graph/model_graph.svg", {"figure": figure, "standalone": standalone})
