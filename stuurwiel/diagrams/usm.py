"""USM 1-5-8 (seed 002, §10–13): one service definition (with the Service Model
Canvas cells) under the service management architecture, the five processes with
their question and the call (melding) that starts each, and the eight workflow
patterns as a matrix: each pattern's path through the processes, numbered in
order. For a service subject each part shows its answered status; a pattern
follows the processes on its path (see ``selectors``). Names, numbers, questions,
triggers and paths come from the library.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stuurwiel.diagrams.figure import (
    CardStyle,
    Figure,
    PartGroup,
    Shape,
    card,
    chip_part,
    header,
    legend,
    rect,
    text,
)
from stuurwiel.diagrams.palette import INK, MUTED, PAPER, RULE
from stuurwiel.diagrams.selectors import DiagramContent, PartView

TOP_Y, TOP_H = 100, 236
PROC_Y, PROC_H = 356, 196
PROC_X, PROC_W, PROC_GAP = 340, 196, 9
MATRIX_Y, ROW_H = 590, 38
LABEL_X, LABEL_W = 40, 286


def draw(content: DiagramContent) -> Figure:
    framework, subject = content.framework, content.subject
    processes = content.of_kind("process")
    patterns = content.of_kind("workflow_pattern")
    # Scored on what the figure asks of a service: its definition, the SMA, the processes.
    scored = [v for v in (content.get("service-definitie"), content.get("sma")) if v] + processes
    answered = sum(1 for view in scored if view.status == "answered")
    figure = Figure(
        key="usm",
        title=str(framework.name),
        subtitle=_("{subject}: {answered} of {total} parts answered").format(
            subject=subject.name, answered=answered, total=len(scored)
        ),
        desc=_(
            "One service definition, the processes and the workflow patterns through "
            "them, filled with the elements of {subject}."
        ).format(subject=subject.name),
    )
    header(figure, str(framework.name))
    top = [content.get("service-definitie"), content.get("sma")]
    for index, view in enumerate(v for v in top if v is not None):
        style = CardStyle(kicker="1" if index == 0 else "", question_lines=1, rows="children")
        figure.add(card(view, 40 + index * 440, TOP_Y, 420, TOP_H, style))
    _logic(figure, len(processes), len(patterns))
    columns = {}
    for index, view in enumerate(processes):
        x = PROC_X + index * (PROC_W + PROC_GAP)
        columns[view.ref] = x + PROC_W / 2
        figure.add(_process(content, view, x))
    _matrix(figure, patterns, columns)
    legend(figure, 40, 925, [(_dot_sign, _("step in the pattern, in order"))])
    return figure


def _logic(figure: Figure, processes: int, patterns: int) -> None:
    """The 1-5-8 logic, counted from the library."""
    x, y = 940, TOP_Y
    figure.back.append(rect(x, y, 420, TOP_H, rx=8, fill="#f3f5f8", stroke=RULE))
    figure.back.append(text(x + 24, y + 66, f"1 · {processes} · {patterns}", 44, font_weight=700))
    lines = [
        _("1 service definition for every service"),
        ngettext("{count} process", "{count} processes", processes).format(count=processes),
        ngettext("{count} workflow pattern", "{count} workflow patterns", patterns).format(
            count=patterns
        ),
    ]
    for i, line in enumerate(lines):
        figure.back.append(text(x + 24, y + 110 + i * 24, line, 15, fill=INK))
    figure.back.append(
        text(
            x + 24,
            y + 196,
            _("Every activity falls in exactly one process."),
            12.5,
            font_style="italic",
            fill=MUTED,
        )
    )


def _process(content: DiagramContent, view: PartView, x: float) -> PartGroup:
    triggers = [content.get(ref) for ref in (view.part.refs or {}).get("trigger", [])]
    names = ", ".join(t.name for t in triggers if t is not None)
    steps = view.asked_children
    done = sum(1 for step in steps if step.status == "answered")
    extra = []
    if names:
        extra.append(_("Call: {names}").format(names=names))
    if steps:
        extra.append(_("{done} of {total} steps answered").format(done=done, total=len(steps)))
    number = (view.part.attributes or {}).get("number", "")
    style = CardStyle(kicker=str(number), title_lines=1, question_lines=2, extra=extra)
    group = card(view, x, PROC_Y, PROC_W, PROC_H, style)
    group.extra = "; ".join(extra)
    return group


def _dot(cx: float, cy: float, number: int) -> list[Shape]:
    return [
        Shape("circle", {"cx": cx, "cy": cy, "r": 11, "fill": INK}),
        text(cx, cy + 4.5, str(number), 12, font_weight=700, fill=PAPER, text_anchor="middle"),
    ]


def _dot_sign(x: float, y: float) -> tuple[list[Shape], float]:
    return _dot(x + 11, y + 10, 1), 22


def _matrix(figure: Figure, patterns: list[PartView], columns: dict[str, float]) -> None:
    """One row per pattern: its label, and its path as numbered dots on the
    process columns, joined by a line."""
    figure.back.append(
        text(
            LABEL_X, MATRIX_Y - 12, _("Workflow patterns").upper(), 11, font_weight=700, fill=MUTED
        )
    )
    bottom = MATRIX_Y + len(patterns) * ROW_H
    for cx in columns.values():
        figure.back.append(
            Shape("line", {"x1": cx, "y1": PROC_Y + PROC_H, "x2": cx, "y2": bottom, "stroke": RULE})
        )
    for index, view in enumerate(patterns):
        y = MATRIX_Y + index * ROW_H
        if index % 2 == 0:
            figure.back.append(rect(LABEL_X, y, 1320, ROW_H, fill="#f6f7f9"))
        group = figure.add(chip_part(view, LABEL_X + 4, y + 4, LABEL_W, ROW_H - 8))
        path_refs = [ref for ref in (view.part.refs or {}).get("path", []) if ref in columns]
        names = " → ".join(member.name for member in view.group)
        kind = str((view.part.attributes or {}).get("kind", ""))
        group.extra = _("Path: {path}").format(path=names) + (f" ({kind})" if kind else "")
        xs = [columns[ref] for ref in path_refs]
        if len(xs) > 1:
            group.shapes.append(
                Shape(
                    "line",
                    {
                        "x1": min(xs),
                        "y1": y + ROW_H / 2,
                        "x2": max(xs),
                        "y2": y + ROW_H / 2,
                        "stroke": INK,
                        "stroke_width": 2.5,
                    },
                )
            )
        for order, cx in enumerate(xs, start=1):
            group.shapes += _dot(cx, y + ROW_H / 2, order)
