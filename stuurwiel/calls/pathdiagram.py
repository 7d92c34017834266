"""The process path of a call, drawn: one lane per process run (the process the
call started first, each forked process below the run it forked from), its steps
as stations, the forks as arrows down to the process they started, the current
step marked. Done steps carry a check mark and the current step an arrow and a
bold name, so the state never rests on colour alone; colours pass WCAG AA on
white. :func:`process_path` gives the data (also the text alternative),
:func:`render_path_svg` the SVG.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from stuurwiel.calls.definitions import definition_of
from stuurwiel.services.textfit import fit_lines
from stuurwiel.workflow import engine

DONE = "done"
CURRENT = "current"
WAITING = "waiting"
AHEAD = "ahead"

STEP_GAP = 104.0
LANE_HEIGHT = 92.0
LEFT = 150.0
TOP = 40.0
RADIUS = 11.0
COLOURS = {DONE: "#1b5e20", CURRENT: "#0b4f8a", WAITING: "#8a4b00", AHEAD: "#5f6368"}


@dataclass
class Station:
    ref: str
    name: str
    state: str
    fork_target: str = ""


@dataclass
class Lane:
    number: int
    process: str
    name: str
    status: str
    parent: int | None
    fork_step: str
    stations: list[Station] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return {
            engine.ACTIVE: _("in progress"),
            engine.WAITING: _("waits for its fork"),
            engine.FULFILLED: _("fulfilled"),
        }[self.status]


def _name(item) -> str:
    return item.name_en if (get_language() or "nl").startswith("en") else item.name_nl


def process_path(call) -> list[Lane]:
    """The runs of the call in the order they started, with each step's state."""
    definition = definition_of(call.workflow)
    state = engine.state_from_data(call.state)
    children = {}
    for run in state.runs:
        if run.parent is not None:
            children[(run.parent, run.fork_step)] = run
    lanes = []
    for run in state.runs:
        process = definition.process(run.process)
        steps = process.steps_run(forked=run.forked)
        refs = [step.ref for step in steps]
        here = refs.index(run.step) if run.step in refs else len(refs)
        lane = Lane(run.number, run.process, _name(process), run.status, run.parent, run.fork_step)
        for index, step in enumerate(steps):
            if run.status == engine.FULFILLED or index < here:
                kind = DONE
            elif index == here:
                kind = WAITING if run.status == engine.WAITING else CURRENT
            else:
                kind = AHEAD
            child = children.get((run.number, step.ref))
            target = definition.process(child.process) if child else None
            lane.stations.append(
                Station(step.ref, _name(step), kind, _name(target) if target else "")
            )
        lanes.append(lane)
    return lanes


def _station_x(index: int) -> float:
    return LEFT + index * STEP_GAP


def _lane_y(index: int) -> float:
    return TOP + index * LANE_HEIGHT


def _glyph(state: str) -> str:
    return {DONE: "✓", CURRENT: "▶", WAITING: "‖", AHEAD: ""}[state]


def render_path_svg(lanes: list[Lane], *, title: str) -> SafeString:
    """The path as an accessible SVG (``role="img"``, ``<title>``, ``<desc>``)."""
    width = LEFT + max((len(lane.stations) for lane in lanes), default=1) * STEP_GAP + 20
    height = TOP + len(lanes) * LANE_HEIGHT + 10
    row_of = {lane.number: index for index, lane in enumerate(lanes)}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}" role="img" aria-labelledby="path-title '
        f'path-desc" font-family="system-ui, sans-serif" class="process-path">',
        f'<title id="path-title">{escape(title)}</title>',
        f'<desc id="path-desc">{escape(describe(lanes))}</desc>',
    ]
    for index, lane in enumerate(lanes):
        y = _lane_y(index)
        parts.append(
            f'<text x="8" y="{y + 4:.0f}" font-size="14" font-weight="700" fill="#202124">'
            f"{escape(fit_lines(lane.name, 130, 14.0, 1, True)[0])}</text>"
            f'<text x="8" y="{y + 22:.0f}" font-size="11.5" fill="#3c4043">'
            f"{escape(fit_lines(lane.status_label, 130, 11.5, 1)[0])}</text>"
        )
        if lane.stations:
            parts.append(
                f'<line x1="{_station_x(0):.0f}" y1="{y:.0f}" '
                f'x2="{_station_x(len(lane.stations) - 1):.0f}" y2="{y:.0f}" '
                f'stroke="#9aa0a6" stroke-width="2"/>'
            )
        for position, station in enumerate(lane.stations):
            parts.append(_station_svg(station, _station_x(position), y, position))
        if lane.parent is not None and lane.parent in row_of:
            parent = lanes[row_of[lane.parent]]
            column = next((i for i, s in enumerate(parent.stations) if s.ref == lane.fork_step), 0)
            x = _station_x(column)
            top = _lane_y(row_of[lane.parent]) + RADIUS + 26
            parts.append(
                f'<path d="M{x:.0f},{top:.0f} V{y - RADIUS - 4:.0f} H{_station_x(0):.0f}" '
                f'fill="none" stroke="#0b4f8a" stroke-width="2" stroke-dasharray="5 3" '
                f'marker-end="url(#path-arrow)"/>'
            )
    parts.insert(
        3,
        '<defs><marker id="path-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        'fill="#0b4f8a"/></marker></defs>',
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def _station_svg(station: Station, x: float, y: float, position: int) -> str:
    colour = COLOURS[station.state]
    filled = station.state in (DONE, CURRENT)
    fill = colour if filled else "#ffffff"
    weight = "700" if station.state in (CURRENT, WAITING) else "400"
    label_y = y + RADIUS + 16 + (12 if position % 2 else 0)
    label = fit_lines(station.name, STEP_GAP * 1.6, 11.5, 1)[0]
    glyph = _glyph(station.state)
    mark = (
        f'<text x="{x:.0f}" y="{y + 4:.0f}" font-size="11" text-anchor="middle" '
        f'fill="{"#ffffff" if filled else colour}">{glyph}</text>'
        if glyph
        else ""
    )
    return (
        f'<g class="station station-{station.state}"><title>{escape(station.name)} — '
        f"{escape(_state_label(station.state))}</title>"
        f'<circle cx="{x:.0f}" cy="{y:.0f}" r="{RADIUS:.0f}" fill="{fill}" stroke="{colour}" '
        f'stroke-width="{3 if station.state == CURRENT else 2}"/>{mark}'
        f'<text x="{x:.0f}" y="{label_y:.0f}" font-size="11.5" text-anchor="middle" '
        f'font-weight="{weight}" fill="#202124">{escape(label)}</text></g>'
    )


def _state_label(state: str) -> str:
    return {
        DONE: _("done"),
        CURRENT: _("current step"),
        WAITING: _("waiting here for the forked process"),
        AHEAD: _("still to come"),
    }[state]


def describe(lanes: list[Lane]) -> str:
    """The path in words (the SVG's description and the text alternative)."""
    sentences = []
    for lane in lanes:
        done = [s.name for s in lane.stations if s.state == DONE]
        now = next((s for s in lane.stations if s.state in (CURRENT, WAITING)), None)
        text = _("{process}: {status}; done: {done}.").format(
            process=lane.name, status=lane.status_label, done=", ".join(done) or _("nothing yet")
        )
        if now is not None:
            text += " " + _("Now: {step}.").format(step=now.name)
        forks = [s for s in lane.stations if s.fork_target]
        for station in forks:
            text += " " + _("Forked at {step} to {process}.").format(
                step=station.name, process=station.fork_target
            )
        sentences.append(text)
    return " ".join(sentences)
