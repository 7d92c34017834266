"""IDM 2.1 (seed 001): the seven domains as concentric rings in the source's
numbering, Nalatenschap (1) the outer ring, and Wanneer, the time dimension over
all domains, as the band around them. Beside the rings one card per domain (by
the same number) with its W-question, cadence (the part's ``cadence``), status and
its sub-areas; the eighth card is Wanneer. Names, questions, numbers and cadences
come from the library.
"""

from __future__ import annotations

import math

from django.utils.translation import gettext as _

from stuurwiel.diagrams.figure import (
    CardStyle,
    Figure,
    PartGroup,
    card,
    header,
    legend,
    path,
    text,
)
from stuurwiel.diagrams.palette import INK, MUTED, PAPER, STATUS_STYLES
from stuurwiel.diagrams.selectors import DiagramContent, PartView
from stuurwiel.services.textfit import fit_text

CX, CY = 405, 498
TIME_OUTER, TIME_INNER = 384, 354
RING_OUTER, RING_STEP, RING_WIDTH = 349, 42, 38
TIME_FILL = "#1f3a56"
CARD_X, CARD_W, CARD_H, CARD_GAP = (810, 1090), 266, 190, 12
CARD_TOP = 100


def _number(view: PartView) -> int:
    value = (view.part.attributes or {}).get("number")
    return value if isinstance(value, int) else 99


def draw(content: DiagramContent) -> Figure:
    framework, subject = content.framework, content.subject
    domains = sorted(content.of_kind("domain"), key=lambda v: (_number(v), v.part.order))
    answered = sum(1 for view in domains if view.status == "answered")
    figure = Figure(
        key="idm",
        title=str(framework.name),
        subtitle=_("{subject}: {answered} of {total} domains answered").format(
            subject=subject.name, answered=answered, total=len(domains)
        ),
        desc=_(
            "The domains as rings, the first the outer ring, with the time dimension "
            "around them; each domain's card gives its question, cadence, status and "
            "sub-areas for {subject}."
        ).format(subject=subject.name),
    )
    header(figure, str(framework.name))
    time = next(iter(content.of_kind("dimension")), None)
    if time is not None:
        figure.add(_time_band(time))
    for index, view in enumerate(domains):
        figure.add(_ring(view, index))
    centre = RING_OUTER - len(domains) * RING_STEP + (RING_STEP - RING_WIDTH)
    size, lines = fit_text(subject.name, 2 * centre - 16, (13.0, 12.0, 11.0), 3, bold=True)
    top = CY - (len(lines) - 1) * (size + 2) / 2 + 4
    for i, line in enumerate(lines):
        figure.back.append(
            text(CX, top + i * (size + 2), line, size, font_weight=700, text_anchor="middle")
        )
    slots = [*domains, *([time] if time is not None else [])]
    for index, view in enumerate(slots[:8]):
        figure.add(_card(view, index))
    legend(figure, 40, 925)
    return figure


def _donut(outer: float, inner: float) -> str:
    def circle(r: float) -> str:
        return f"M{CX - r},{CY} a{r},{r} 0 1,0 {2 * r},0 a{r},{r} 0 1,0 {-2 * r},0 z"

    return circle(outer) + " " + circle(inner)


def _ring(view: PartView, index: int) -> PartGroup:
    outer = RING_OUTER - index * RING_STEP
    inner = outer - RING_WIDTH
    look = STATUS_STYLES[view.status]
    group = PartGroup(view, extra=_cadence(view))
    group.shapes.append(
        path(
            _donut(outer, inner),
            fill=look.tint,
            fill_rule="evenodd",
            stroke=look.stroke,
            stroke_width=1,
        )
    )
    middle = (outer + inner) / 2
    chord = 2 * math.sqrt(max(outer**2 - (middle + 6) ** 2, 0)) - 8
    label = f"{look.icon} {_number(view)}  {view.name}"
    size, lines = fit_text(label, chord, (14.0, 13.0, 12.0, 11.0, 10.0), 1, bold=True)
    group.shapes.append(
        text(CX, CY - middle + 5, lines[0], size, font_weight=700, text_anchor="middle", fill=INK)
    )
    if view.question:
        size, lines = fit_text(view.question, chord, (12.5, 12.0, 11.0, 10.0), 1)
        group.shapes.append(
            text(
                CX,
                CY + middle + 5,
                lines[0],
                size,
                font_style="italic",
                text_anchor="middle",
                fill=MUTED,
            )
        )
    return group


def _time_band(view: PartView) -> PartGroup:
    group = PartGroup(view)
    group.shapes.append(path(_donut(TIME_OUTER, TIME_INNER), fill=TIME_FILL, fill_rule="evenodd"))
    middle = (TIME_OUTER + TIME_INNER) / 2
    label = f"⟳ {view.name.upper()}"
    group.shapes.append(
        text(
            CX,
            CY - middle + 5,
            label,
            12.5,
            font_weight=700,
            text_anchor="middle",
            fill=PAPER,
            letter_spacing=0.6,
        )
    )
    # Arrow heads along the band: time goes round.
    for angle in (35, 145, 215, 325):
        a = math.radians(angle)
        x, y = CX + middle * math.cos(a), CY + middle * math.sin(a)
        tx, ty = -math.sin(a), math.cos(a)  # clockwise tangent
        nx, ny = math.cos(a), math.sin(a)
        tip = (x + 9 * tx, y + 9 * ty)
        left = (x - 5 * tx + 9 * nx, y - 5 * ty + 9 * ny)
        right = (x - 5 * tx - 9 * nx, y - 5 * ty - 9 * ny)
        d = "M" + " L".join(f"{px:.1f},{py:.1f}" for px, py in (tip, left, right)) + " z"
        group.shapes.append(path(d, fill=PAPER))
    return group


def _cadence(view: PartView) -> str:
    cadence = str(view.part.cadence or "")
    return _("Cadence: {cadence}").format(cadence=cadence) if cadence else ""


def _card(view: PartView, index: int) -> PartGroup:
    col, row = index % 2, index // 2
    x, y = CARD_X[col], CARD_TOP + row * (CARD_H + CARD_GAP)
    number = _number(view)
    cadence = _cadence(view)
    style = CardStyle(
        kicker=str(number) if number != 99 else "",
        title_lines=1,
        question_lines=1,
        extra=[f"⟳ {cadence}"] if cadence else [],
        rows="children" if view.asked_children else "elements",
    )
    group = card(view, x, y, CARD_W, CARD_H, style)
    group.extra = cadence
    return group
