"""The model graph drawn as SVG, with a deterministic layout.

Drawn with the diagrams' shapes and palette (:mod:`stuurwiel.diagrams.figure`), so
it looks like the models' own figures. An element is a box in the colour *and* the
shape of its ArchiMate layer (motivation: cut corners; strategy: rounded; business:
square corners; application: a band on top; technology: a 3-D box; implementation:
dashed border), with its type written under its name: never colour alone. A
relation is drawn in ArchiMate's notation (dashed realisation with a hollow
triangle, serving with an open arrow, composition with a filled diamond, …) and,
around a focus, labelled with its type in words.

This package holds what both views draw with; :mod:`.focus` lays out the view
around one element, :mod:`.overview` the filtered model. Every element is a link
that centres the graph on it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from stuurwiel.diagrams.figure import Shape, path, rect, text
from stuurwiel.diagrams.palette import INK, MUTED, PAPER, RULE
from stuurwiel.graph.choices import ElementLayer, ElementType, RelationType
from stuurwiel.graph.graph_selectors import layer_of
from stuurwiel.graph.models import Element
from stuurwiel.services.textfit import fit_lines, fit_text, text_width

NODE_W, NODE_H = 168.0, 54.0
EDGE = "#3d4753"
LINK = "#1f5f7a"


@dataclass(frozen=True)
class LayerStyle:
    fill: str
    stroke: str
    dash: str = ""


# Light ArchiMate-like fills: dark and muted ink on each pass WCAG AA
# (tests/test_graph_model_graph.py).
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


def element_node(element: Element, x: float, y: float, focus_url, *, extra: str = "") -> Node:
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


# --- Frame, bands, legend ---------------------------------------------------------------------


def header(figure: GraphFigure) -> None:
    figure.back.append(text(40, 44, figure.title, 22, font_weight=700))
    figure.back.append(text(40, 68, figure.subtitle, 13.5, fill=MUTED))
    figure.back.append(
        Shape("line", {"x1": 40, "y1": 82, "x2": figure.width - 40, "y2": 82, "stroke": RULE})
    )


def band(figure: GraphFigure, layer: str, y: float, h: float) -> None:
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


def legend(figure: GraphFigure, *, focus_types: bool) -> None:
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
