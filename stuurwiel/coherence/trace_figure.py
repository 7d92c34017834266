"""The trace of an element drawn as SVG, server-side, in the diagrams' look.

Columns from left to right: the framework's trace stages (the reasons first);
where a service realises an element on the path, a band under the stages holds
the service (below that element) and its measured performance. Every element
is a card that opens the element, with a second link to its own trace; a stage
without elements is a dashed placeholder
("Geen Motivatie gekoppeld") with the open finding that names the gap and its fix
link. Status is never told by colour alone: the focus card says "Dit element",
gaps are dashed and start with ○, findings carry ⚠ and a number.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stuurwiel.coherence.trace import Trace, TraceNode, TraceService, TraceStage
from stuurwiel.diagrams.figure import Shape, findings_badge, path, rect, text
from stuurwiel.diagrams.palette import INK, MUTED, PAPER, RULE, STATUS_STYLES
from stuurwiel.services.textfit import fit_lines, fit_text

# Narrow columns and no text under 12.5 units: the page scales the figure to its
# width, and five stages must stay readable on a laptop (about 0.8 of their size).
COL_W, COL_GAP, MARGIN = 200.0, 34.0, 24.0
CARD_H, CARD_GAP, GAP_H = 104.0, 16.0, 196.0
# Cards start below a lane for the arcs of links that skip a stage (drawn over
# the cards in between, such a line would look like a chain through them).
LANE_TOP, TOP = 150.0, 210.0
FOCUS_FILL = "#e6eef7"  # with INK: 14.6:1
FOCUS_STROKE = "#1f5f7a"
LINK = "#1f5f7a"  # on white: 7.0:1
GAP = STATUS_STYLES["unanswered"]
MET = STATUS_STYLES["answered"]
EDGE = "#3d4753"


@dataclass
class Item:
    """One clickable thing in the figure: shapes behind a link, with an
    accessible name (title) and description, and more links inside."""

    id: str
    url: str
    title: str
    desc: str
    kind: str
    shapes: list[Shape] = field(default_factory=list)
    links: list[tuple[str, str, list[Shape]]] = field(default_factory=list)


@dataclass
class TraceFigure:
    key: str
    title: str
    subtitle: str
    desc: str
    width: int
    height: int
    back: list[Shape] = field(default_factory=list)
    edges: list[Shape] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    legend: list[Shape] = field(default_factory=list)

    @property
    def arrow(self) -> str:
        return f"url(#{self.key}-arrow)"


def stage_name(stage: TraceStage) -> str:
    return " · ".join(stage.names or [p.ref_id for p in stage.parts])


def _element_url(org: str, pk: int) -> str:
    return reverse("graph:element_detail", args=[org, pk])


def trace_url(org: str, pk: int, framework_ref: str = "") -> str:
    url = reverse("coherence:element_trace", args=[org, pk])
    return f"{url}?framework={framework_ref}" if framework_ref else url


def _node_card(fig, node: TraceNode, x, y, org, fw_ref, views) -> tuple[Item, float]:
    focus = node.direction == "focus"
    desc_bits = [node.type_label]
    if node.findings:
        desc_bits.append(
            ngettext("{count} open finding", "{count} open findings", len(node.findings)).format(
                count=len(node.findings)
            )
        )
    if focus:
        desc_bits.insert(0, _("the element traced"))
    item = Item(
        id=f"element-{node.id}",
        url=_element_url(org, node.id),
        title=node.name,
        desc=", ".join(desc_bits) + ".",
        kind="focus" if focus else node.direction,
    )
    item.shapes.append(
        rect(
            x,
            y,
            COL_W,
            CARD_H,
            rx=8,
            fill=FOCUS_FILL if focus else PAPER,
            stroke=FOCUS_STROKE if focus else INK,
            stroke_width=3 if focus else 1.3,
        )
    )
    cursor = y + 19
    if focus:
        item.shapes.append(text(x + 12, cursor, "◆ " + _("This element"), 12.5, font_weight=700))
        cursor += 2
    size, lines = fit_text(
        node.name,
        COL_W - 24 - (40 if node.findings else 0),
        (15.5, 14.5, 13.5),
        2 if focus else 3,
        bold=True,
    )
    if not focus:
        cursor -= 15
    for line in lines:
        cursor += size + 3
        item.shapes.append(text(x + 12, cursor, line, size, font_weight=700))
    item.shapes.append(text(x + 12, y + CARD_H - 10, node.type_label, 13, fill=MUTED))
    if node.findings:
        item.shapes += findings_badge(x + COL_W - 8, y + 8, len(node.findings), short=True)
    if not focus:
        label = _("Trace ›")
        item.links.append(
            (
                trace_url(org, node.id, fw_ref),
                _("The trace of {name}").format(name=node.name),
                [
                    text(
                        x + COL_W - 12,
                        y + CARD_H - 10,
                        label,
                        13,
                        font_weight=700,
                        fill=LINK,
                        text_anchor="end",
                        class_="row-text",
                    )
                ],
            )
        )
    return item, CARD_H


def _gap_card(fig, stage: TraceStage, x, y, views) -> tuple[Item, float]:
    name = stage_name(stage)
    sentence = _("No {part} linked").format(part=name)
    first = views.get(stage.findings[0].pk) if stage.findings else None
    desc = sentence + "."
    if first is not None:
        desc += " " + first.reasoning
    item = Item(
        id=f"gap-{stage.number}",
        url=first.fix_url if first is not None and first.fix_url else "",
        title=_("Gap: {sentence}").format(sentence=sentence),
        desc=desc,
        kind="gap",
    )
    h = GAP_H if first is not None else CARD_H
    item.shapes.append(
        rect(
            x,
            y,
            COL_W,
            h,
            rx=8,
            fill=GAP.tint,
            stroke=GAP.stroke,
            stroke_width=1.6,
            stroke_dasharray="6 4",
        )
    )
    cursor = y + 20
    for line in fit_lines("○ " + sentence, COL_W - 24 - (34 if stage.findings else 0), 13.5, 2):
        item.shapes.append(text(x + 12, cursor, line, 13.5, font_weight=700, fill=GAP.stroke))
        cursor += 17
    if stage.findings:
        item.shapes += findings_badge(x + COL_W - 8, y + 8, len(stage.findings), short=True)
    if first is not None:
        for line in fit_lines(first.reasoning, COL_W - 24, 13, 6):
            cursor += 1
            item.shapes.append(text(x + 12, cursor, line, 13, fill=INK))
            cursor += 16
        if first.fix_url:
            item.shapes.append(
                text(
                    x + 12,
                    y + h - 10,
                    first.fix_label + " ›",
                    13,
                    font_weight=700,
                    fill=LINK,
                    class_="row-text",
                )
            )
    else:
        item.shapes.append(text(x + 12, cursor + 4, _("No open finding names it."), 13, fill=MUTED))
    return item, h


def _service_card(service: TraceService, x, y, org) -> Item:
    item = Item(
        id=f"service-{service.id}",
        url=reverse("services:service_detail", args=[org, service.id]),
        title=service.name,
        desc=_("The service that realises it."),
        kind="service",
    )
    item.shapes.append(rect(x, y, COL_W, CARD_H, rx=8, fill=PAPER, stroke=INK, stroke_width=1.3))
    item.shapes.append(text(x + 12, y + 19, "▣ " + _("Service"), 12.5, font_weight=700, fill=MUTED))
    size, lines = fit_text(service.name, COL_W - 24, (15.0, 14.0, 13.0), 3, bold=True)
    cursor = y + 21
    for line in lines:
        cursor += size + 3
        item.shapes.append(text(x + 12, cursor, line, size, font_weight=700))
    return item


def performance_sentence(service: TraceService) -> str:
    if not service.measured and not service.running:
        return _("No calls measured yet")
    return _("{met} met · {breached} breached · {running} running").format(
        met=service.met, breached=service.breached, running=service.running
    )


def _performance_card(service: TraceService, x, y, org) -> Item:
    sentence = performance_sentence(service)
    percent = service.percent_met
    item = Item(
        id=f"performance-{service.id}",
        url=reverse("dashboard:dashboard", args=[org]) + f"?service={service.id}",
        title=_("Measured performance of {name}").format(name=service.name),
        desc=sentence
        + (
            ". " + _("{percent} % within the norm").format(percent=percent)
            if percent is not None
            else ""
        )
        + ".",
        kind="performance",
    )
    measured = percent is not None
    item.shapes.append(
        rect(
            x,
            y,
            COL_W,
            CARD_H,
            rx=8,
            fill=PAPER,
            stroke=INK if measured else GAP.stroke,
            stroke_width=1.3,
            stroke_dasharray="none" if measured else "6 4",
        )
    )
    item.shapes.append(
        text(x + 12, y + 19, "◷ " + _("Chain clocks (SA norm)"), 12.5, font_weight=700, fill=MUTED)
    )
    if measured:
        item.shapes.append(
            text(
                x + 12,
                y + 44,
                _("{percent} % within the norm").format(percent=percent),
                15,
                font_weight=700,
            )
        )
    for n, line in enumerate(fit_lines(sentence, COL_W - 24, 13, 2)):
        item.shapes.append(
            text(
                x + 12,
                y + (66 if measured else 44) + n * 17,
                line,
                13,
                fill=INK if measured else GAP.stroke,
            )
        )
    return item


def draw_trace(trace: Trace, *, org: str, views: dict) -> TraceFigure:
    """The figure of ``trace``; ``views``: finding pk → its FindingView (words, fix link)."""
    fw_ref = trace.framework.ref_id if trace.framework is not None else ""
    columns: list[tuple[str, str]] = [
        (f"{stage.number}", stage_name(stage)) for stage in trace.stages
    ]
    # Services and their measured performance go in a band under the stages, not
    # in two more columns: seven columns made every text too small to read.
    slots = max(len(columns), 2 if trace.services else 1)
    width = int(2 * MARGIN + slots * COL_W + (slots - 1) * COL_GAP)
    width = max(width, 760)
    fig = TraceFigure(
        key="trace",
        title=_("Trace: {name}").format(name=trace.element.name),
        subtitle=(
            _("{framework}: from the reasons (left) to realisation and results (right)").format(
                framework=trace.framework.name
            )
            if trace.framework is not None
            else ""
        ),
        desc="",
        width=width,
        height=0,
    )
    placed: dict[int, tuple[float, float, float]] = {}  # element → (x, y, height)
    bottom = TOP
    for index, (number, heading) in enumerate(columns):
        x = MARGIN + index * (COL_W + COL_GAP)
        kicker = f"{number} · " if number else ""
        for n, line in enumerate(fit_lines(kicker + heading, COL_W, 15, 2)):
            fig.back.append(text(x, 112 + n * 18, line, 15, font_weight=700))
        fig.back.append(
            Shape(
                "line",
                {"x1": x, "y1": LANE_TOP - 4, "x2": x + COL_W, "y2": LANE_TOP - 4, "stroke": RULE},
            )
        )
    for index, stage in enumerate(trace.stages):
        x = MARGIN + index * (COL_W + COL_GAP)
        y = TOP
        if stage.gap:
            item, h = _gap_card(fig, stage, x, y, views)
            fig.items.append(item)
            y += h + CARD_GAP
        for node in stage.nodes:
            item, h = _node_card(fig, node, x, y, org, fw_ref, views)
            fig.items.append(item)
            placed[node.id] = (x, y, h)
            y += h + CARD_GAP
        if stage.more:
            fig.back.append(
                text(
                    x + 12,
                    y + 10,
                    _("+{count} more not drawn").format(count=stage.more),
                    13,
                    fill=MUTED,
                )
            )
            y += 24
        bottom = max(bottom, y)
    if trace.services:
        bottom = _service_band(fig, trace, placed, bottom, slots, org)
    lane = 0
    for low, high, _type in trace.edges:
        if low in placed and high in placed:
            lx, ly, lh = placed[low]
            hx, hy, hh = placed[high]
            if lx == hx:
                continue
            if hx - lx > COL_W + COL_GAP + 1:  # skips a stage: an arc over the cards
                fig.edges.append(_arc(lx + COL_W * 0.6, ly, hx + COL_W * 0.4, hy, lane, fig))
                lane += 1
            else:
                fig.edges.append(_edge(lx + COL_W, ly + lh / 2, hx, hy + hh / 2, fig, False))
    fig.height = int(bottom + 70)
    _header(fig)
    _legend(fig, MARGIN, bottom + 16)
    fig.desc = trace_summary(trace)
    return fig


def _service_band(fig, trace: Trace, placed: dict, top: float, slots: int, org: str) -> float:
    """Under the stages: per service that realises an element on the path, its
    card below that element (a dashed line down from it) and its measured
    performance beside it. Returns the new bottom."""
    y = top + 40
    fig.back.append(
        text(
            MARGIN, y, _("Realised by a service, and its measured performance"), 15, font_weight=700
        )
    )
    fig.back.append(
        Shape(
            "line",
            {"x1": MARGIN, "y1": y + 10, "x2": fig.width - MARGIN, "y2": y + 10, "stroke": RULE},
        )
    )
    y += 30
    step = COL_W + COL_GAP
    for service in trace.services:
        via = placed.get(service.via)
        column = round((via[0] - MARGIN) / step) if via else 0
        column = min(column, slots - 2)
        sx = MARGIN + column * step
        px = sx + step
        fig.items.append(_service_card(service, sx, y, org))
        fig.items.append(_performance_card(service, px, y, org))
        fig.edges.append(_edge(sx + COL_W, y + CARD_H / 2, px, y + CARD_H / 2, fig, False))
        if via is not None:
            vx, vy, vh = via
            fig.edges.append(_down(vx + COL_W / 2, vy + vh, sx + COL_W / 2, y, fig))
        y += CARD_H + CARD_GAP
    return y


def _down(x1, y1, x2, y2, fig) -> Shape:
    """A dashed line from the bottom of a card down to the top of another."""
    mid = (y1 + y2) / 2
    return path(
        f"M{x1:.1f},{y1:.1f} C{x1:.1f},{mid:.1f} {x2:.1f},{mid:.1f} {x2:.1f},{y2 - 2:.1f}",
        fill="none",
        stroke=EDGE,
        stroke_width=1.4,
        stroke_dasharray="4 3",
        marker_end=fig.arrow,
    )


def _edge(x1, y1, x2, y2, fig, dashed: bool) -> Shape:
    mid = (x1 + x2) / 2
    return path(
        f"M{x1:.1f},{y1:.1f} C{mid:.1f},{y1:.1f} {mid:.1f},{y2:.1f} {x2 - 2:.1f},{y2:.1f}",
        fill="none",
        stroke=EDGE,
        stroke_width=1.4,
        stroke_dasharray="4 3" if dashed else "none",
        marker_end=fig.arrow,
    )


def _arc(x1, y1, x2, y2, lane: int, fig) -> Shape:
    """From the top of one card up into the lane and down onto the top of another."""
    top = LANE_TOP + 8 + (lane % 5) * 9
    return path(
        f"M{x1:.1f},{y1:.1f} L{x1:.1f},{top + 8:.1f} Q{x1:.1f},{top:.1f} {x1 + 8:.1f},{top:.1f} "
        f"L{x2 - 8:.1f},{top:.1f} Q{x2:.1f},{top:.1f} {x2:.1f},{top + 8:.1f} "
        f"L{x2:.1f},{y2 - 2:.1f}",
        fill="none",
        stroke=EDGE,
        stroke_width=1.4,
        marker_end=fig.arrow,
    )


def _header(fig: TraceFigure) -> None:
    fig.back[:0] = [
        rect(0, 0, fig.width, fig.height, fill=PAPER),
        text(MARGIN, 44, fig.title, 22, font_weight=700),
        text(MARGIN, 68, fig.subtitle, 13.5, fill=MUTED),
        Shape("line", {"x1": MARGIN, "y1": 82, "x2": fig.width - MARGIN, "y2": 82, "stroke": RULE}),
    ]


def _legend(fig: TraceFigure, x: float, y: float) -> None:
    shapes = fig.legend
    shapes.append(text(x, y + 14, _("Legend"), 13.5, font_weight=700))
    cursor = x + 70
    shapes.append(
        rect(cursor, y, 28, 20, rx=4, fill=FOCUS_FILL, stroke=FOCUS_STROKE, stroke_width=3)
    )
    shapes.append(text(cursor + 36, y + 14, _("the element traced"), 13, fill=MUTED))
    cursor += 190
    shapes.append(
        rect(
            cursor,
            y,
            28,
            20,
            rx=4,
            fill=GAP.tint,
            stroke=GAP.stroke,
            stroke_width=1.6,
            stroke_dasharray="6 4",
        )
    )
    shapes.append(
        text(cursor + 36, y + 14, _("○ a gap: nothing linked on this stage"), 13, fill=MUTED)
    )
    cursor += 300
    shapes += findings_badge(cursor + 34, y, 1, short=True)
    shapes.append(text(cursor + 42, y + 14, _("open findings"), 13, fill=MUTED))
    shapes.append(
        text(
            x,
            y + 40,
            _("Click an element to open it, “Trace ›” to trace it in turn."),
            13,
            fill=MUTED,
        )
    )


def trace_summary(trace: Trace) -> str:
    """One sentence for the figure's <desc> and caption."""
    if trace.framework is None:
        return _("This element answers no part with a place on a trace.")
    gaps = [stage_name(s) for s in trace.stages if s.gap]
    found = len(trace.nodes) - 1
    text_ = ngettext(
        "{count} element on the path of {name}.",
        "{count} elements on the path of {name}.",
        found,
    ).format(count=found, name=trace.element.name)
    if gaps:
        text_ += " " + _("Gaps: {parts}.").format(parts=", ".join(gaps))
    else:
        text_ += " " + _("No gaps along the path.")
    return text_
