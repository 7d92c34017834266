"""What every model's figure is drawn with: shapes, part cards, a legend.

A figure is fixed geometry (each model module places its parts where the model's
own picture has them) filled with a subject's content. This module turns a
:class:`~stuurwiel.diagrams.selectors.PartView` into a card: the status as a chip
with icon and word, the part's name and question, the first elements (each a
link) and "+k more" (a link to the filtered list), and a badge with the number of
open findings. Text is fitted with :mod:`stuurwiel.services.textfit` (Arial
metrics; the SVG asks for Arial / Liberation Sans first).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stuurwiel.core.i18n import active_content_language
from stuurwiel.diagrams.choices import PartStatus
from stuurwiel.diagrams.palette import (
    FINDINGS_FILL,
    FINDINGS_TEXT,
    INK,
    MUTED,
    PAPER,
    RULE,
    STATUS_STYLES,
)
from stuurwiel.diagrams.selectors import PartView
from stuurwiel.services.textfit import fit_lines, fit_text, text_width

WIDTH, HEIGHT = 1400, 990  # A4 landscape proportions (297 : 210)
TITLE_SIZES = (16.0, 15.0, 14.0, 13.0)
ROW_SIZE = 12.5
ROW_H = 17.0
PAD = 12.0


def _fmt(value: Any) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)


@dataclass
class Shape:
    """One SVG element; ``attrs`` are escaped when rendered."""

    tag: str
    attrs: dict[str, Any]
    text: str = ""

    @property
    def markup(self) -> SafeString:
        # Plain joins with escape(): format_html per attribute made the figure's
        # rendering the slowest step of the page.
        attrs = " ".join(
            f'{key.replace("_", "-")}="{escape(_fmt(value))}"' for key, value in self.attrs.items()
        )
        if self.tag in ("text", "tspan"):
            return mark_safe(f"<{self.tag} {attrs}>{escape(self.text)}</{self.tag}>")  # noqa: S308
        return mark_safe(f"<{self.tag} {attrs}/>")  # noqa: S308 (every value escaped)


def text(x: float, y: float, content: str, size: float = ROW_SIZE, **attrs: Any) -> Shape:
    return Shape("text", {"x": x, "y": y, "font_size": size, "fill": INK, **attrs}, content)


def rect(x: float, y: float, w: float, h: float, **attrs: Any) -> Shape:
    return Shape("rect", {"x": x, "y": y, "width": w, "height": h, **attrs})


def path(d: str, **attrs: Any) -> Shape:
    return Shape("path", {"d": d, **attrs})


@dataclass
class Link:
    """A clickable row inside a card (an element, a sub-part, "+k more")."""

    url: str
    title: str
    shapes: list[Shape]


@dataclass
class PartGroup:
    """A part drawn in the figure: its shapes behind one link, with a title and
    description for assistive technology, and its own clickable rows."""

    view: PartView
    shapes: list[Shape] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    extra: str = ""  # more for the description (a cadence, a path)

    @property
    def id(self) -> str:
        return f"part-{self.view.ref}"

    @property
    def url(self) -> str:
        return self.view.url

    @property
    def status_label(self) -> str:
        return str(PartStatus(self.view.status).label)

    @property
    def title(self) -> str:
        return f"{self.view.name} — {self.status_label}"

    @property
    def desc(self) -> str:
        bits = [self.view.question, elements_phrase(self.view.count)]
        if self.view.findings:
            bits.append(findings_phrase(self.view.findings))
        if self.extra:
            bits.append(self.extra)
        return ". ".join(bit.rstrip(".") for bit in bits if bit) + "."


@dataclass
class Figure:
    """A model's figure for one subject, ready for ``diagrams/diagram.svg``."""

    key: str
    title: str
    subtitle: str
    desc: str
    width: int = WIDTH
    height: int = HEIGHT
    back: list[Shape] = field(default_factory=list)
    parts: list[PartGroup] = field(default_factory=list)
    front: list[Shape] = field(default_factory=list)
    legend: list[Shape] = field(default_factory=list)

    @property
    def arrow(self) -> str:
        """The arrow head marker, for ``marker_end``."""
        return f"url(#{self.key}-arrow)"

    def add(self, group: PartGroup) -> PartGroup:
        self.parts.append(group)
        return group


def attr_text(view: PartView, key: str) -> str:
    """A translated text attribute of the part (``{nl: …, en: …}``) in the active language."""
    value = (view.part.attributes or {}).get(key)
    if isinstance(value, dict):
        return str(value.get(active_content_language()) or value.get("nl") or "")
    return "" if value is None else str(value)


def elements_phrase(count: int) -> str:
    if not count:
        return _("no element answers it yet")
    return ngettext("{count} element", "{count} elements", count).format(count=count)


def findings_phrase(count: int) -> str:
    return ngettext("{count} open finding", "{count} open findings", count).format(count=count)


def status_chip(
    x: float, y: float, status: str, *, size: float = 11.5
) -> tuple[list[Shape], float]:
    """The status as a chip with icon and word; returns the shapes and its width."""
    style = STATUS_STYLES[status]
    label = f"{style.icon} {PartStatus(status).label}"
    w = text_width(label, size, bold=True) + 14
    shapes = [
        rect(x, y, w, 20, rx=10, fill=style.fill, stroke=style.stroke, stroke_width=1),
        text(x + 7, y + 14, label, size, font_weight=700, fill=style.text),
    ]
    return shapes, w


def findings_badge(right: float, y: float, count: int, *, short: bool = False) -> list[Shape]:
    """ "⚠ 3 bevindingen" in a dark badge ending at ``right``; never colour alone."""
    label = f"⚠ {count}" if short else f"⚠ {findings_phrase(count)}"
    w = text_width(label, 11, bold=True) + 14
    return [
        rect(right - w, y, w, 20, rx=4, fill=FINDINGS_FILL),
        text(right - w + 7, y + 14, label, 11, font_weight=700, fill=FINDINGS_TEXT),
    ]


@dataclass
class CardStyle:
    kicker: str = ""  # a letter or number in front of the name ("C", "3", "WF1")
    title_lines: int = 2
    question_lines: int = 2
    extra: list[str] = field(default_factory=list)  # lines under the question
    rows: str = "elements"  # "elements", "children" or "none"
    title_sizes: tuple[float, ...] = TITLE_SIZES


def card(
    view: PartView, x: float, y: float, w: float, h: float, style: CardStyle | None = None
) -> PartGroup:
    """A part as a card of ``w`` × ``h`` at (x, y)."""
    style = style or CardStyle()
    look = STATUS_STYLES[view.status]
    group = PartGroup(view)
    group.shapes.append(
        rect(
            x,
            y,
            w,
            h,
            rx=8,
            fill=PAPER,
            stroke=look.stroke,
            stroke_width=1.6,
            stroke_dasharray=look.dash or "none",
        )
    )
    group.shapes.append(rect(x, y, 6, h, fill=look.fill, stroke=look.stroke, stroke_width=0.8))
    chip, chip_w = status_chip(x + PAD + 4, y + PAD, view.status)
    group.shapes += chip
    count_label = elements_phrase(view.count) if view.count else ""
    if count_label:
        group.shapes.append(
            text(x + PAD + 4 + chip_w + 8, y + PAD + 14, count_label, 11.5, fill=MUTED)
        )
    if view.findings:
        # The full "⚠ 2 open findings" only where it fits beside the chip and the
        # count (a "Partly answered" chip on a narrow card left it overlapping).
        used = PAD + 4 + chip_w + 8 + (text_width(count_label, 11.5) + 8 if count_label else 0)
        full = text_width(f"⚠ {findings_phrase(view.findings)}", 11, bold=True) + 14
        group.shapes += findings_badge(
            x + w - PAD, y + PAD, view.findings, short=full > w - PAD - used
        )
    inner = w - 2 * PAD - 4
    left = x + PAD + 4
    cursor = y + PAD + 20 + 8
    title = f"{style.kicker}  {view.name}" if style.kicker else view.name
    size, lines = fit_text(title, inner, style.title_sizes, style.title_lines, bold=True)
    for line in lines:
        cursor += size + 3
        group.shapes.append(text(left, cursor, line, size, font_weight=700))
    if view.question and style.question_lines:
        for line in fit_lines(view.question, inner, 12, style.question_lines):
            cursor += 15
            group.shapes.append(text(left, cursor, line, 12, font_style="italic", fill=MUTED))
    for extra in style.extra:
        for line in fit_lines(extra, inner, 11.5, 2):
            cursor += 15
            group.shapes.append(text(left, cursor, line, 11.5, fill=INK))
    if style.rows != "none":
        cursor += 8
        group.shapes.append(
            Shape(
                "line", {"x1": left, "y1": cursor, "x2": x + w - PAD, "y2": cursor, "stroke": RULE}
            )
        )
        cursor += 4
        _rows(group, view, left, cursor, inner, y + h - PAD + 2, style.rows)
    return group


def _rows(
    group: PartGroup,
    view: PartView,
    left: float,
    top: float,
    inner: float,
    bottom: float,
    kind: str,
) -> None:
    """Element names (or sub-parts with their status) down to ``bottom``; what
    does not fit becomes "+k more"."""
    if kind == "children":
        items = [
            (c.name, c.url, STATUS_STYLES[c.status].icon, c.count, c) for c in view.asked_children
        ]
        more, more_url = 0, ""
    else:
        items = [(e.name, url, "•", 0, None) for e, url in view.named_elements]
        more, more_url = view.more, view.list_url
    room = max(0, int((bottom - top) // ROW_H))
    hidden_names: list[str] = []
    if len(items) + (1 if more else 0) > room:
        cut = max(0, room - 1)
        hidden = len(items) - cut
        hidden_names = [item[0] for item in items[cut:]]
        items = items[:cut]
        more += hidden
        more_url = view.list_url if kind != "children" else view.anchor_url
    # Names get a second line where the card has the room (narrow cards cut them short).
    per_item = 2 if items and 2 * len(items) + (1 if more else 0) <= room else 1
    cursor = top
    for name, url, icon, count, child in items:
        cursor += ROW_H
        label = f"{name} · {count}" if count else name
        lines = fit_lines(label, inner - 16, ROW_SIZE, per_item)
        shapes = [
            text(
                left,
                cursor,
                icon,
                ROW_SIZE,
                font_weight=700,
                fill=STATUS_STYLES[child.status].stroke if child else MUTED,
            ),
            text(left + 15, cursor, lines[0], ROW_SIZE, fill=INK, class_="row-text"),
        ]
        for line in lines[1:]:
            cursor += ROW_H
            shapes.append(text(left + 15, cursor, line, ROW_SIZE, fill=INK, class_="row-text"))
        title = f"{name} — {PartStatus(child.status).label}" if child else name
        group.links.append(Link(url, title, shapes))
    if more:
        cursor += ROW_H
        label = _("+{count} more").format(count=more)
        title = (
            ", ".join(hidden_names)
            if kind == "children"
            else _("All elements that answer {part}").format(part=view.name)
        )
        group.links.append(
            Link(
                more_url,
                title,
                [
                    text(
                        left + 15,
                        cursor,
                        label,
                        ROW_SIZE,
                        font_weight=700,
                        fill="#1f5f7a",
                        class_="row-text",
                    )
                ],
            )
        )
    elif not items and kind == "elements":
        # Say what a click does, so an empty part is a next step, not a dead end.
        for line in fit_lines(_("Nothing answers this yet: click to add one."), inner, 12, 2):
            cursor += ROW_H
            group.shapes.append(text(left, cursor, line, 12, font_style="italic", fill=MUTED))


def chip_part(view: PartView, x: float, y: float, w: float, h: float = 30) -> PartGroup:
    """A small part: icon, name and count on one line, in a status-coloured pill."""
    look = STATUS_STYLES[view.status]
    group = PartGroup(view)
    group.shapes.append(
        rect(
            x,
            y,
            w,
            h,
            rx=h / 2,
            fill=look.tint,
            stroke=look.stroke,
            stroke_width=1.3,
            stroke_dasharray=look.dash or "none",
        )
    )
    label = view.name + (f" · {view.count}" if view.count else "")
    size, lines = fit_text(label, w - 40, (12.5, 12.0, 11.0), 1, bold=True)
    group.shapes.append(
        text(x + 12, y + h / 2 + 5, look.icon, 13, font_weight=700, fill=look.stroke)
    )
    group.shapes.append(text(x + 28, y + h / 2 + 4.5, lines[0], size, font_weight=700))
    if view.findings:
        group.shapes += findings_badge(x + w - 4, y + (h - 20) / 2, view.findings, short=True)
    return group


def header(figure: Figure, framework_name: str) -> None:
    """The figure's title block: the model and the subject, a rule under it."""
    figure.back.append(rect(0, 0, figure.width, figure.height, fill=PAPER))
    figure.back.append(text(40, 44, figure.title, 24, font_weight=700))
    figure.back.append(text(40, 68, figure.subtitle, 14, fill=MUTED))
    figure.back.append(
        Shape("line", {"x1": 40, "y1": 82, "x2": figure.width - 40, "y2": 82, "stroke": RULE})
    )


def legend(figure: Figure, x: float, y: float, extra: list[tuple[Any, str]] | None = None) -> None:
    """The key: the three statuses, the findings badge, and the model's own signs
    (``extra``: pairs of a function drawing the sign at (x, y) and its label)."""
    shapes = figure.legend
    shapes.append(text(x, y + 14, _("Legend"), 12.5, font_weight=700))
    cursor = x + text_width(_("Legend"), 12.5, bold=True) + 16
    for status in PartStatus.values:
        chip, w = status_chip(cursor, y, status)
        shapes += chip
        cursor += w + 12
    badge_w = text_width("⚠ 1", 11, bold=True) + 14
    shapes += findings_badge(cursor + badge_w, y, 1, short=True)
    cursor += badge_w + 8
    shapes.append(text(cursor, y + 14, _("open findings"), 11.5, fill=MUTED))
    cursor += text_width(_("open findings"), 11.5) + 22
    for draw, label in extra or []:
        signs, w = draw(cursor, y)
        shapes += signs
        cursor += w + 8
        shapes.append(text(cursor, y + 14, label, 11.5, fill=MUTED))
        cursor += text_width(label, 11.5) + 22
    shapes.append(
        text(
            x,
            y + 40,
            _("Click a part to see the elements that answer it; every name opens its element."),
            11.5,
            fill=MUTED,
        )
    )


def render_svg(figure: Figure, *, standalone: bool = False) -> str:
    """The figure as SVG markup: inline in a page, or a standalone file (with the
    XML declaration) for download and for the PNG export."""
    from django.template.loader import render_to_string

    return render_to_string(
        "diagrams/diagram.svg", {"figure": figure, "standalone": standalone, "uid": figure.key}
    )
