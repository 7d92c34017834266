"""Missiegedreven omgevingen (seed 003) read with CIMO: Context → Interventie on
the five lines (and its scale levels) → Mechanismen, the four boundary-crossing
mechanisms and fitting social dynamics → Outcomes, doorwerking through the four
development processes towards individu, collectief and maatschappij. Meervoudige
waardecreatie and the leeragenda sit at the centre under the reasoning; the return
arrow is the last samenhang question (does doorwerking help the problem in
context?). Names, letters, kinds and questions come from the library.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from stuurwiel.diagrams.figure import (
    CardStyle,
    Figure,
    card,
    chip_part,
    header,
    legend,
    path,
    text,
)
from stuurwiel.diagrams.palette import INK, MUTED
from stuurwiel.diagrams.selectors import DiagramContent, PartView
from stuurwiel.services.textfit import fit_lines

TOP, HEAD_H, CHIP_H, CHIP_GAP = 100, 140, 30, 8
COLUMNS = {
    "context": (40, 220),
    "interventie": (300, 250),
    "mechanismen": (590, 250),
    "outcomes": (880, 250),
}
REACH = (1170, 190)
CENTRE_TOP, CENTRE_H = 640, 240
ARROW = "#3d4753"


def draw(content: DiagramContent) -> Figure:
    framework, subject = content.framework, content.subject
    cimo = content.of_kind("cimo")
    answered = sum(1 for view in content.asked if view.status == "answered")
    figure = Figure(
        key="missiegedreven",
        title=str(framework.name),
        subtitle=_("{subject}: {answered} of {total} parts answered").format(
            subject=subject.name, answered=answered, total=len(content.asked)
        ),
        desc=_(
            "Context, intervention, mechanisms and outcomes from left to right, with "
            "multiple value creation and the learning agenda at the centre, filled with "
            "the elements of {subject}."
        ).format(subject=subject.name),
    )
    header(figure, str(framework.name))
    for view in cimo:
        if view.ref in COLUMNS:
            _column(figure, view)
    outcomes = content.get("outcomes")
    reach = [c for c in (outcomes.children if outcomes else []) if c.part.kind == "reach_level"]
    _reach(figure, reach)
    _arrows(figure)
    _centre(figure, content)
    legend(figure, 40, 925)
    return figure


def _column(figure: Figure, view: PartView) -> None:
    x, w = COLUMNS[view.ref]
    letter = str((view.part.attributes or {}).get("letter", ""))
    if view.ref == "context":
        style = CardStyle(kicker=letter, question_lines=2, rows="elements")
        figure.add(card(view, x, TOP, w, 470, style))
        return
    style = CardStyle(kicker=letter, question_lines=3, rows="none")
    figure.add(card(view, x, TOP, w, HEAD_H, style))
    y = TOP + HEAD_H + 14
    kinds: list[str] = []
    for child in view.children:
        if child.part.kind == "reach_level":
            continue  # drawn in the reach column
        if child.part.kind not in kinds:
            kinds.append(child.part.kind)
            y += 6 if len(kinds) > 1 else 0
            figure.back.append(
                text(
                    x + 2,
                    y + 12,
                    child.part.kind_label.upper(),
                    10.5,
                    font_weight=700,
                    fill=MUTED,
                    letter_spacing=0.6,
                )
            )
            y += 18
        figure.add(chip_part(child, x, y, w, CHIP_H))
        y += CHIP_H + CHIP_GAP


def _reach(figure: Figure, reach: list[PartView]) -> None:
    x, w = REACH
    figure.back.append(text(x, TOP + 16, _("Doorwerking towards"), 14, font_weight=700))
    y = TOP + 32
    for view in reach:
        style = CardStyle(question_lines=0, title_lines=1, rows="elements")
        figure.add(card(view, x, y, w, 150, style))
        y += 150 + 10


def _arrows(figure: Figure) -> None:
    y = TOP + HEAD_H / 2
    gaps = [(260, 300), (550, 590), (840, 880), (1130, 1170)]
    for start, end in gaps:
        figure.back.append(
            path(
                f"M{start + 4},{y} L{end - 6},{y}",
                stroke=ARROW,
                stroke_width=2.5,
                fill="none",
                marker_end=figure.arrow,
            )
        )
    # Back to the problem in context: the last samenhang question.
    bottom = 606
    mid = REACH[0] + REACH[1] / 2
    d = f"M{mid},{bottom - 16} L{mid},{bottom} L150,{bottom} L150,{TOP + 474}"
    figure.back.append(
        path(
            d,
            stroke=ARROW,
            stroke_width=1.6,
            fill="none",
            stroke_dasharray="6 4",
            marker_end=figure.arrow,
        )
    )
    label = _("Does doorwerking help solve the problem in context?")
    figure.back.append(
        text(700, bottom + 18, label, 12, font_style="italic", text_anchor="middle", fill=INK)
    )


def _centre(figure: Figure, content: DiagramContent) -> None:
    """Meervoudige waardecreatie and the leeragenda, side by side at the centre,
    and the samenhang of the whole beside them."""
    value = content.get("meervoudige_waardecreatie")
    agenda = content.get("leeragenda")
    coherence = content.get("samenhang")
    if value is not None:
        figure.add(card(value, 300, CENTRE_TOP, 400, CENTRE_H, CardStyle(question_lines=2)))
    if agenda is not None:
        figure.add(
            card(
                agenda, 730, CENTRE_TOP, 400, CENTRE_H, CardStyle(question_lines=2, rows="children")
            )
        )
    if coherence is not None:
        figure.add(
            card(
                coherence,
                1170,
                CENTRE_TOP,
                190,
                CENTRE_H,
                CardStyle(question_lines=4, rows="elements"),
            )
        )
    figure.back.append(text(40, CENTRE_TOP + 16, _("At the centre"), 14, font_weight=700))
    note = _(
        "Multiple value creation goes hand in hand with a learning agenda "
        "of short- and long-term questions."
    )
    y = CENTRE_TOP + 22
    for line in fit_lines(note, 220, 12.5, 6):
        y += 18
        figure.back.append(text(40, y, line, 12.5, fill=MUTED))
