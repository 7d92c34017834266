"""How the call pages name what the USM library defines: a call's type, process,
step and pattern in the active language, read from the definition the call
pinned (so a reloaded library never renames a running call's step)."""

from __future__ import annotations

from collections.abc import Iterable

from stuurwiel.calls.definitions import definition_of
from stuurwiel.calls.forms import in_language
from stuurwiel.calls.models import Call, WorkflowSnapshot
from stuurwiel.workflow.definition import Definition


def definitions_for(calls: Iterable[Call]) -> dict[int, Definition]:
    """The definitions of these calls' snapshots, in one query at most."""
    from stuurwiel.calls import definitions

    ids = {call.workflow_id for call in calls}
    cached = {pk: definitions._DEFINITIONS[pk] for pk in ids if pk in definitions._DEFINITIONS}
    missing = ids - set(cached)
    if missing:
        for snapshot in WorkflowSnapshot.objects.filter(pk__in=missing):
            cached[snapshot.pk] = definition_of(snapshot)
    return cached


def label_calls(calls: list[Call]) -> list[Call]:
    """Give each call ``type_label``, ``process_label``, ``step_label`` and
    ``pattern_label`` for the templates."""
    found = definitions_for(calls)
    for call in calls:
        describe(call, found[call.workflow_id])
    return calls


def describe(call: Call, definition: Definition) -> Call:
    call_type = definition.call_types.get(call.call_type)
    call.type_label = (
        in_language(call_type.name_nl, call_type.name_en) if call_type else call.call_type
    )
    process = definition.processes.get(call.process)
    call.process_label = in_language(process.name_nl, process.name_en) if process else call.process
    call.step_label = step_label(definition, call.step)
    pattern = next((p for p in definition.patterns if p.number == call.pattern), None)
    call.pattern_label = pattern_label(pattern) if pattern else ""
    return call


def pattern_label(pattern) -> str:
    """ "WF3 — Verstoring met …": the library's name, which carries the number
    already (a name without it gets it in front)."""
    name = in_language(pattern.name_nl, pattern.name_en)
    return name if name.startswith(f"WF{pattern.number}") else f"WF{pattern.number} {name}"


def step_label(definition: Definition, ref: str) -> str:
    if not ref:
        return ""
    try:
        step = definition.step(ref)
    except KeyError:
        return ref
    return in_language(step.name_nl, step.name_en)


def process_label(definition: Definition, ref: str) -> str:
    process = definition.processes.get(ref)
    return in_language(process.name_nl, process.name_en) if process else ref
