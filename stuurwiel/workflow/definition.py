"""The workflow definition, compiled from the USM library's parts and rules.

:func:`compile_definition` reads library-shaped data (the parts tree and the
coherence rules, as in ``frameworks/libraries/usm.yaml`` or rebuilt from the loaded
framework) and returns a :class:`Definition`. :meth:`Definition.as_data` and
:func:`definition_from_data` give the JSON form a call pins.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

#: Generic step kinds the engine treats specially (``attributes.generic_step``).
ACCEPT = "aannemen"
CLASSIFY = "classificeren"
REVIEW = "toetsen"
EVALUATE = "evalueren"


class DefinitionError(ValueError):
    """The library does not describe a workflow the engine can run."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class Step:
    ref: str
    process: str
    order: int
    name_nl: str
    name_en: str
    generic: str = ""
    fork_to: tuple[str, ...] = ()
    submits_risk: bool = False

    @property
    def is_fork(self) -> bool:
        return bool(self.fork_to)


@dataclass(frozen=True)
class Process:
    ref: str
    number: int
    name_nl: str
    name_en: str
    steps: tuple[Step, ...]
    forked_skips: tuple[str, ...] = ()
    risk_priority: bool = False

    def step(self, ref: str) -> Step:
        for step in self.steps:
            if step.ref == ref:
                return step
        raise KeyError(ref)

    def steps_run(self, *, forked: bool) -> tuple[Step, ...]:
        """The steps a run of this process goes through: all of them for the
        process a call starts, without ``forked_skips`` when entered by a fork."""
        if not forked:
            return self.steps
        return tuple(step for step in self.steps if step.generic not in self.forked_skips)


@dataclass(frozen=True)
class CallType:
    ref: str
    process: str
    name_nl: str
    name_en: str
    everyday: tuple[tuple[str, str], ...] = ()
    risk_priority: bool = False


@dataclass(frozen=True)
class Pattern:
    ref: str
    number: int
    name_nl: str
    name_en: str
    trigger: str
    path: tuple[str, ...]
    proactive: bool = False


@dataclass(frozen=True)
class Rule:
    """A function-separation rule of the library (``person_separation`` or
    ``role_separation``), with the parameters the guards read."""

    ref: str
    kind: str
    severity: str
    message_nl: str
    message_en: str
    params: dict[str, Any] = field(default_factory=dict)
    source: str = ""


@dataclass(frozen=True)
class Definition:
    urn: str
    version: int
    content_hash: str
    processes: dict[str, Process]
    call_types: dict[str, CallType]
    patterns: tuple[Pattern, ...]
    rules: tuple[Rule, ...]

    def process(self, ref: str) -> Process:
        return self.processes[ref]

    def step(self, ref: str) -> Step:
        for process in self.processes.values():
            for step in process.steps:
                if step.ref == ref:
                    return step
        raise KeyError(ref)

    def rule(self, ref: str) -> Rule | None:
        return next((rule for rule in self.rules if rule.ref == ref), None)

    def as_data(self) -> dict[str, Any]:
        return asdict(self)


def _text(value: Any, language: str) -> str:
    if isinstance(value, dict):
        return str(value.get(language) or value.get("nl") or "")
    return str(value or "")


def _walk(parts: list[dict]) -> list[dict]:
    found: list[dict] = []
    for part in parts:
        found.append(part)
        found.extend(_walk(part.get("children") or []))
    return found


def _risk_basis(attributes: dict) -> bool:
    basis = attributes.get("priority_basis")
    return isinstance(basis, dict) and "effect" in str(basis.get("en", ""))


def _process(part: dict) -> Process:
    attributes = part.get("attributes") or {}
    steps: list[Step] = []
    for child in part.get("children") or []:
        if child.get("kind") != "step":
            continue
        step_attributes = child.get("attributes") or {}
        refs = child.get("refs") or {}
        steps.append(
            Step(
                ref=child["ref_id"],
                process=part["ref_id"],
                order=int(step_attributes.get("order") or len(steps) + 1),
                name_nl=_text(child.get("name"), "nl"),
                name_en=_text(child.get("name"), "en"),
                generic=str(step_attributes.get("generic_step") or ""),
                fork_to=tuple(refs.get("fork_to") or ()) if step_attributes.get("fork") else (),
                submits_risk="risico" in (refs.get("submits") or ()),
            )
        )
    steps.sort(key=lambda step: step.order)
    return Process(
        ref=part["ref_id"],
        number=int(attributes.get("number") or 0),
        name_nl=_text(part.get("name"), "nl"),
        name_en=_text(part.get("name"), "en"),
        steps=tuple(steps),
        forked_skips=tuple(attributes.get("forked_skips") or ()),
        risk_priority=_risk_basis(attributes),
    )


def compile_definition(
    *, parts: list[dict], rules: list[dict], urn: str, version: int, content_hash: str
) -> Definition:
    """The definition the library's parts and rules describe; every problem found
    is listed in one :class:`DefinitionError`."""
    every = _walk(parts)
    processes = {part["ref_id"]: _process(part) for part in every if part["kind"] == "process"}
    call_types: dict[str, CallType] = {}
    patterns: list[Pattern] = []
    for part in every:
        attributes = part.get("attributes") or {}
        refs = part.get("refs") or {}
        if part["kind"] == "call_type":
            call_types[part["ref_id"]] = CallType(
                ref=part["ref_id"],
                process=str(attributes.get("starts_process") or ""),
                name_nl=_text(part.get("name"), "nl"),
                name_en=_text(part.get("name"), "en"),
                everyday=tuple(
                    (_text(item, "nl"), _text(item, "en"))
                    for item in attributes.get("everyday_calls") or ()
                ),
                risk_priority=_risk_basis(attributes),
            )
        elif part["kind"] == "workflow_pattern":
            patterns.append(
                Pattern(
                    ref=part["ref_id"],
                    number=int(attributes.get("number") or 0),
                    name_nl=_text(part.get("name"), "nl"),
                    name_en=_text(part.get("name"), "en"),
                    trigger=(refs.get("trigger") or [""])[0],
                    path=tuple(refs.get("path") or ()),
                    proactive=attributes.get("kind") == "proactive",
                )
            )
    separation = tuple(
        Rule(
            ref=rule["ref_id"],
            kind=rule["kind"],
            severity=rule.get("severity", "warning"),
            message_nl=_text(rule.get("message"), "nl"),
            message_en=_text(rule.get("message"), "en"),
            params=dict(rule.get("params") or {}),
            source=str((rule.get("source") or {}).get("ref", "")),
        )
        for rule in rules
        if rule.get("kind") in ("person_separation", "role_separation")
    )
    definition = Definition(
        urn=urn,
        version=version,
        content_hash=content_hash,
        processes=processes,
        call_types=call_types,
        patterns=tuple(sorted(patterns, key=lambda pattern: pattern.number)),
        rules=separation,
    )
    problems = definition_problems(definition)
    if problems:
        raise DefinitionError(problems)
    return definition


def definition_problems(definition: Definition) -> list[str]:
    """What makes a definition unrunnable: unknown processes, steps that fork
    nowhere, patterns whose path the forks cannot take."""
    problems = []
    if not definition.processes:
        problems.append("the library declares no processes")
    for process in definition.processes.values():
        if not process.steps:
            problems.append(f"process {process.ref} has no steps")
        if not process.steps_run(forked=True):
            problems.append(f"process {process.ref} runs no step when forked to")
        for step in process.steps:
            for target in step.fork_to:
                if target not in definition.processes:
                    problems.append(f"step {step.ref} forks to unknown process {target}")
    for call_type in definition.call_types.values():
        if call_type.process not in definition.processes:
            problems.append(f"call type {call_type.ref} starts unknown process {call_type.process}")
    for pattern in definition.patterns:
        path = pattern.path
        if not path or any(ref not in definition.processes for ref in path):
            problems.append(f"pattern {pattern.ref} has an unknown process in its path")
            continue
        for here, there in zip(path, path[1:], strict=False):
            targets = {t for s in definition.processes[here].steps for t in s.fork_to}
            if there not in targets:
                problems.append(f"pattern {pattern.ref}: {here} cannot fork to {there}")
    return problems


def _step_from(data: dict) -> Step:
    return Step(**{**data, "fork_to": tuple(data.get("fork_to") or ())})


def definition_from_data(data: dict[str, Any]) -> Definition:
    """The :class:`Definition` stored as :meth:`Definition.as_data`."""
    processes = {
        ref: Process(
            **{
                **value,
                "steps": tuple(_step_from(step) for step in value["steps"]),
                "forked_skips": tuple(value.get("forked_skips") or ()),
            }
        )
        for ref, value in data["processes"].items()
    }
    call_types = {
        ref: CallType(**{**value, "everyday": tuple(tuple(pair) for pair in value["everyday"])})
        for ref, value in data["call_types"].items()
    }
    patterns = tuple(
        Pattern(**{**value, "path": tuple(value["path"])}) for value in data["patterns"]
    )
    rules = tuple(Rule(**value) for value in data["rules"])
    return Definition(
        urn=data["urn"],
        version=data["version"],
        content_hash=data["content_hash"],
        processes=processes,
        call_types=call_types,
        patterns=patterns,
        rules=rules,
    )
