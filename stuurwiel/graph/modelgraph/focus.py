"""The model graph around one element: the focus in the centre, its neighbours on
arcs left (incoming) and right (outgoing), grouped by relation type, and at
depth 2 their neighbours in an outer column on the same side."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stuurwiel.diagrams.figure import rect, text
from stuurwiel.diagrams.palette import MUTED, PAPER
from stuurwiel.graph.graph_selectors import IN, OUT, Focus, NeighbourGroup
from stuurwiel.graph.modelgraph import (
    LINK,
    NODE_H,
    NODE_W,
    Edge,
    GraphFigure,
    Node,
    element_box,
    element_node,
    header,
    legend,
    relation_label,
    relation_line,
    type_label,
)
from stuurwiel.graph.models import Element
from stuurwiel.services.textfit import text_width

INNER_PER_COLUMN = 12  # boxes in one column beside the focus

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
    # As tall as the fuller side needs (the outer column counted as one side).
    side = max(
        (
            sum(len(g.elements) + (1 if g.more else 0) for g in focus.groups if g.direction == d)
            for d in (IN, OUT)
        ),
        default=0,
    )
    rows = min(max(side, len(focus.outer) * 0.9), INNER_PER_COLUMN) + 1
    figure.height = int(min(max(TOP + BOTTOM + rows * ROW + 40, 560), figure.height))
    cx = figure.width / 2
    cy = TOP + (figure.height - TOP - BOTTOM) / 2
    near, far = (230.0, 370.0) if focus.depth < 2 else (215.0, 290.0)
    header(figure)
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
        figure.nodes.append(element_node(element, slot.x, slot.y, focus_url, extra=title))
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
    legend(figure, focus_types=True)
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
            figure.nodes.append(element_node(node.element, x, y, focus_url, extra=label))
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
