"""Runs a call's state through a :class:`~stuurwiel.workflow.definition.Definition`.

Pure functions over plain data (see the package docstring for the model):
:func:`start` gives the state of a new call, :func:`options` every transition of a
state with what blocks it, :func:`apply` the next state and the engine events.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from stuurwiel.workflow.definition import EVALUATE, REVIEW, Definition, Pattern, Step
from stuurwiel.workflow.guards import Blocker, Facts, guard_step

# Run statuses.
ACTIVE = "active"
WAITING = "waiting"
FULFILLED = "fulfilled"

# Call statuses (the calls app stores them as CallStatus).
OPEN = "open"
PROCESS_FULFILLED = "process_fulfilled"
WORKFLOW_FULFILLED = "workflow_fulfilled"
CLOSED = "closed"

# Transition names.
COMPLETE = "complete"
FORK = "fork"
CONFIRM = "confirm"
REOPEN = "reopen"
TRANSITIONS = (COMPLETE, FORK, CONFIRM, REOPEN)


@dataclass(frozen=True)
class Run:
    """One process of a call: the root, or a part forked from another run."""

    number: int
    process: str
    parent: int | None = None
    fork_step: str = ""
    step: str = ""
    status: str = ACTIVE

    @property
    def forked(self) -> bool:
        return self.parent is not None


@dataclass(frozen=True)
class State:
    runs: tuple[Run, ...]
    status: str = OPEN

    @property
    def root(self) -> Run:
        return self.runs[0]

    @property
    def active(self) -> Run | None:
        return next((run for run in self.runs if run.status == ACTIVE), None)

    def run(self, number: int) -> Run:
        return next(run for run in self.runs if run.number == number)

    def replaced(self, run: Run) -> State:
        return replace(self, runs=tuple(run if r.number == run.number else r for r in self.runs))


@dataclass(frozen=True)
class Option:
    """A transition of the current state: allowed, or blocked with reasons."""

    name: str
    step: str
    target: str = ""
    blockers: tuple[Blocker, ...] = ()

    @property
    def allowed(self) -> bool:
        return not self.blockers

    def as_data(self) -> dict[str, Any]:
        return {
            "transition": self.name,
            "step": self.step,
            "target": self.target,
            "allowed": self.allowed,
            "blocked_by": [blocker.as_data() for blocker in self.blockers],
        }


@dataclass(frozen=True)
class Event:
    """What :func:`apply` did, for the calls app to store as call events."""

    kind: str  # step_completed, forked, resumed, process_fulfilled, confirmed, reopened, closed
    run: int
    process: str
    step: str = ""
    target: str = ""
    data: dict[str, Any] = field(default_factory=dict)


class TransitionRefused(Exception):
    """The transition is not one the state allows; ``options`` lists those it does."""

    def __init__(self, message: str, options: list[Option]) -> None:
        self.message = message
        self.options = options
        super().__init__(message)


# --- Reading a state ---------------------------------------------------------------


def _steps(definition: Definition, run: Run) -> tuple[Step, ...]:
    return definition.process(run.process).steps_run(forked=run.forked)


def _next_step(definition: Definition, run: Run) -> Step | None:
    steps = _steps(definition, run)
    index = next(i for i, step in enumerate(steps) if step.ref == run.step)
    return steps[index + 1] if index + 1 < len(steps) else None


def current_step(definition: Definition, state: State) -> Step | None:
    run = state.active
    return definition.step(run.step) if run is not None and run.step else None


def path(state: State) -> tuple[str, ...]:
    """The processes entered, root first, along the forks taken (the latest fork
    of each run: a reopened call that forks again follows its new branch)."""
    processes = [state.root.process]
    parent = state.root.number
    while True:
        children = [run for run in state.runs if run.parent == parent]
        if not children:
            return tuple(processes)
        child = max(children, key=lambda run: run.number)
        processes.append(child.process)
        parent = child.number


def derived_pattern(definition: Definition, state: State) -> Pattern | None:
    """The workflow pattern whose path is the one taken (``None`` while it is not
    yet one of the eight, e.g. before an incident's recover step decides)."""
    taken = path(state)
    return next((pattern for pattern in definition.patterns if pattern.path == taken), None)


def start(definition: Definition, call_type: str) -> State:
    process = definition.process(definition.call_types[call_type].process)
    return State(runs=(Run(number=1, process=process.ref, step=process.steps[0].ref),))


# --- Options --------------------------------------------------------------------------


def _state_options(definition: Definition, state: State) -> list[Option]:
    run = state.active
    if state.status == CLOSED or run is None:
        return []
    step = definition.step(run.step)
    if not run.forked and step.generic == REVIEW:
        return [Option(CONFIRM, step.ref), Option(REOPEN, step.ref)]
    if step.is_fork:
        return [Option(FORK, step.ref, target) for target in step.fork_to]
    return [Option(COMPLETE, step.ref)]


def options(definition: Definition, state: State, facts: Facts) -> list[Option]:
    """Every transition the state offers, each with what blocks it for the actor
    described by ``facts`` (an empty list of blockers: allowed)."""
    found = []
    for option in _state_options(definition, state):
        step = definition.step(option.step)
        blockers = guard_step(definition, step, option.name, facts)
        found.append(replace(option, blockers=tuple(blockers)))
    return found


# --- Applying a transition ---------------------------------------------------------


def _advance(definition: Definition, state: State, run: Run, events: list[Event]) -> State:
    """Move ``run`` past its current step; a run that runs out of steps is
    fulfilled and hands back to its parent."""
    following = _next_step(definition, run)
    if following is not None:
        state = state.replaced(replace(run, step=following.ref))
        if not run.forked and following.generic == REVIEW:
            state = replace(state, status=PROCESS_FULFILLED)
            events.append(Event("process_fulfilled", run.number, run.process, following.ref))
        return state
    if not run.forked:
        events.append(Event("closed", run.number, run.process, run.step))
        return replace(state.replaced(replace(run, step="", status=FULFILLED)), status=CLOSED)
    state = state.replaced(replace(run, step="", status=FULFILLED))
    events.append(Event("process_fulfilled", run.number, run.process))
    parent = state.run(run.parent or 0)
    resumed = replace(parent, status=ACTIVE)
    state = state.replaced(resumed)
    events.append(Event("resumed", parent.number, parent.process, parent.step))
    return _advance(definition, state, resumed, events)


def _previous_work_step(definition: Definition, run: Run) -> Step:
    steps = _steps(definition, run)
    index = next(i for i, step in enumerate(steps) if step.ref == run.step)
    return steps[max(index - 1, 0)]


def apply(
    definition: Definition, state: State, name: str, *, target: str = "", facts: Facts
) -> tuple[State, list[Event]]:
    """The state after transition ``name`` (with ``target`` for a fork) and the
    events it produced; :class:`TransitionRefused` if the state does not offer it.
    Guards (roles, separation) are the caller's to check with :func:`options`."""
    offered = options(definition, state, facts)
    chosen = next((o for o in offered if o.name == name and o.target == (target or o.target)), None)
    if chosen is None or (name == FORK and not target):
        raise TransitionRefused("not offered", offered)
    run = state.active
    assert run is not None
    events: list[Event] = []
    if name == COMPLETE:
        events.append(Event("step_completed", run.number, run.process, run.step))
        return _advance(definition, state, run, events), events
    if name == FORK:
        events.append(Event("step_completed", run.number, run.process, run.step, target))
        child_process = definition.process(target)
        child = Run(
            number=max(r.number for r in state.runs) + 1,
            process=target,
            parent=run.number,
            fork_step=run.step,
            step=child_process.steps_run(forked=True)[0].ref,
        )
        state = replace(state.replaced(replace(run, status=WAITING)), runs=(*state.runs, child))
        state = state.replaced(replace(run, status=WAITING))
        events.append(Event("forked", child.number, target, child.step, data={"from": run.number}))
        return state, events
    if name == CONFIRM:
        events.append(Event("confirmed", run.number, run.process, run.step))
        state = replace(state, status=WORKFLOW_FULFILLED)
        following = _next_step(definition, run)
        if following is None or following.generic != EVALUATE:
            return _advance(definition, state, run, events), events
        return state.replaced(replace(run, step=following.ref)), events
    # REOPEN: back to the step before the review (the fork step, if it forked there).
    back = _previous_work_step(definition, run)
    events.append(Event("reopened", run.number, run.process, back.ref))
    return replace(state.replaced(replace(run, step=back.ref)), status=OPEN), events


# --- Storing a state ------------------------------------------------------------------


def state_as_data(state: State) -> dict[str, Any]:
    return {
        "status": state.status,
        "runs": [
            {
                "number": run.number,
                "process": run.process,
                "parent": run.parent,
                "fork_step": run.fork_step,
                "step": run.step,
                "status": run.status,
            }
            for run in state.runs
        ],
    }


def state_from_data(data: dict[str, Any]) -> State:
    return State(runs=tuple(Run(**run) for run in data["runs"]), status=data["status"])
