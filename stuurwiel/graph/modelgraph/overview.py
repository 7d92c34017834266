"""The overview of the filtered model: bands per ArchiMate layer, top to bottom as
in Archi, the elements in a grid with the relations among them; above the cap a
tile per type with its count (and per part of the chosen framework)."""

from __future__ import annotations

import math

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stuurwiel.diagrams.figure import rect, text
from stuurwiel.diagrams.palette import INK, MUTED, PAPER
from stuurwiel.graph.choices import ElementLayer, ElementType
from stuurwiel.graph.graph_selectors import Overview, layer_of
from stuurwiel.graph.modelgraph import (
    LAYER_STYLES,
    LINK,
    NODE_H,
    NODE_W,
    Edge,
    GraphFigure,
    Node,
    band,
    element_node,
    header,
    legend,
    relation_label,
    relation_line,
    type_label,
)
from stuurwiel.services.textfit import fit_lines, text_width

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
    header(figure)
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
            band(figure, layer, y, band_h)
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
        legend(figure, focus_types=False)
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
        band(figure, layer, y, band_h)
        for i, element in enumerate(members):
            x = left + (i % per_row) * (NODE_W + gap_x) + NODE_W / 2
            ey = y + gap_y - 10 + (i // per_row) * (NODE_H + gap_y) + NODE_H / 2
            # Stagger alternate rows a little, so lines between rows pass between boxes.
            if (i // per_row) % 2:
                x += gap_x / 2
            centres[element.pk] = (x, ey)
            figure.nodes.append(element_node(element, x, ey, focus_url))
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
    legend(figure, focus_types=False)
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
