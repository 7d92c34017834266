"""The Optimum-model (seed 000): the governance line (vertical: Organisatie,
Methode, Middelen) and the value-creation line (horizontal: Motivatie, Methode,
Resultaat) crossing at Methode; each aspect a card with its W-question, status and
the elements that answer it; the two lines as cards of their own in the empty
corners of the cross. Names, questions and the lines' members come from the library.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from stuurwiel.diagrams.figure import (
    CardStyle,
    Figure,
    Shape,
    attr_text,
    card,
    header,
    legend,
    path,
    rect,
    text,
)
from stuurwiel.diagrams.palette import MUTED
from stuurwiel.diagrams.selectors import DiagramContent, PartView
from stuurwiel.services.textfit import fit_lines

CARD_W, CARD_H = 330, 236
COLUMNS = (105, 535, 965)  # left, centre, right
ROWS = (110, 385, 660)  # top, middle, bottom
# Where each aspect sits on the cross: (column, row); Methode at the crossing.
PLACES = {
    "organisatie": (1, 0),
    "motivatie": (0, 1),
    "methode": (1, 1),
    "resultaat": (2, 1),
    "middelen": (1, 2),
}
LINE_COLOURS = {"vertical": "#d3e2ee", "horizontal": "#e4def2"}
LINE_PLACES = {"vertical": (2, 0), "horizontal": (0, 2)}  # the cross's empty corners


def draw(content: DiagramContent) -> Figure:
    framework, subject = content.framework, content.subject
    aspects = content.of_kind("aspect")
    answered = sum(1 for view in aspects if view.status == "answered")
    figure = Figure(
        key="optimum",
        title=str(framework.name),
        subtitle=_("{subject}: {answered} of {total} aspects answered").format(
            subject=subject.name, answered=answered, total=len(aspects)
        ),
        desc=_(
            "The governance line (vertical) and the value-creation line (horizontal) cross "
            "at {centre}. Each aspect shows its question, its status and the elements of "
            "{subject} that answer it."
        ).format(centre=_name(content, "methode"), subject=subject.name),
    )
    header(figure, str(framework.name))
    _bands(figure)
    for view in aspects:
        col, row = PLACES.get(view.ref, (0, 0))
        extra = [str(view.part.description)] if view.part.description else []
        style = CardStyle(question_lines=1, extra=extra[:1])
        figure.add(card(view, COLUMNS[col], ROWS[row], CARD_W, CARD_H, style))
    for view in content.of_kind("line"):
        orientation = (view.part.attributes or {}).get("orientation", "vertical")
        _line_card(figure, view, orientation)
    _reading_note(figure, content)
    legend(
        figure,
        105,
        925,
        [
            (_band_sign("vertical"), _("governance line")),
            (_band_sign("horizontal"), _("value-creation line")),
        ],
    )
    return figure


def _name(content: DiagramContent, ref: str) -> str:
    view = content.get(ref)
    return view.name if view else ref


def _bands(figure: Figure) -> None:
    """The two lines behind the cards, with arrow heads at their ends."""
    cx, cy = COLUMNS[1] + CARD_W / 2, ROWS[1] + CARD_H / 2
    v, h = LINE_COLOURS["vertical"], LINE_COLOURS["horizontal"]
    figure.back.append(rect(cx - 32, 96, 64, 808, fill=v))
    figure.back.append(rect(56, cy - 32, 1288, 64, fill=h))
    figure.back.append(rect(cx - 32, cy - 32, 64, 64, fill=v))  # the crossing
    for d in (
        f"M{cx - 46},{104} L{cx},{90} L{cx + 46},{104} z",
        f"M{cx - 46},{896} L{cx},{910} L{cx + 46},{896} z",
    ):
        figure.back.append(_path(d, v))
    for d in (
        f"M{64},{cy - 46} L{50},{cy} L{64},{cy + 46} z",
        f"M{1336},{cy - 46} L{1350},{cy} L{1336},{cy + 46} z",
    ):
        figure.back.append(_path(d, h))


def _path(d: str, fill: str) -> Shape:
    return path(d, fill=fill)


def _band_sign(orientation: str):
    def draw_sign(x: float, y: float):
        return [rect(x, y + 2, 26, 16, rx=3, fill=LINE_COLOURS[orientation])], 26

    return draw_sign


def _line_card(figure: Figure, view: PartView, orientation: str) -> None:
    col, row = LINE_PLACES.get(orientation, (2, 0))
    x, y = COLUMNS[col], ROWS[row] + (0 if row == 0 else CARD_H - 190)
    members = ", ".join(member.name for member in view.group)
    focus_text = attr_text(view, "focus")
    style = CardStyle(
        question_lines=0,
        extra=[_("Focus: {focus}").format(focus=focus_text)] if focus_text else [],
        rows="none",
    )
    group = figure.add(card(view, x, y, CARD_W, 190, style))
    group.extra = _("Groups {members}").format(members=members)
    group.shapes.insert(
        1, rect(x + CARD_W - 44, y + 12, 30, 20, rx=3, fill=LINE_COLOURS[orientation])
    )
    cursor = y + 122
    for line in fit_lines(
        _("Aspects on this line: {members}").format(members=members), CARD_W - 32, 12, 2
    ):
        cursor += 15
        group.shapes.append(text(x + 16, cursor, line, 12, fill=MUTED))


def _reading_note(figure: Figure, content: DiagramContent) -> None:
    """The top-left corner: how to read the figure, in the model's own words."""
    x, y = COLUMNS[0], ROWS[0]
    figure.back.append(text(x, y + 16, _("How to read this figure"), 14, font_weight=700))
    note = _(
        "Two lines cross in {centre}. Governance asks who steers and with what; value "
        "creation asks why and with which result. A part is answered when an element of "
        "the subject answers it."
    ).format(centre=_name(content, "methode"))
    cursor = y + 20
    for line in fit_lines(note, CARD_W, 12.5, 7):
        cursor += 18
        figure.back.append(text(x, cursor, line, 12.5, fill=MUTED))
