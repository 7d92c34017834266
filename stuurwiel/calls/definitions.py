"""The workflow definition a call runs on: compiled from the loaded USM library
(or the bundled file when none is loaded), stored once per content hash as a
:class:`~stuurwiel.calls.models.WorkflowSnapshot`, and read back per call."""

from __future__ import annotations

from functools import lru_cache

import yaml

from stuurwiel.calls.models import WorkflowSnapshot
from stuurwiel.organisations.roles import USM_LIBRARY, USM_URN
from stuurwiel.workflow.definition import Definition, compile_definition, definition_from_data

_KINDS = ("process", "step", "call_type", "workflow_pattern")


def _loaded_library() -> tuple[list[dict], list[dict], int, str] | None:
    """The USM framework in the database as library-shaped data, or ``None``."""
    from stuurwiel.frameworks.models import CoherenceRule, Framework, FrameworkPart

    framework = Framework.objects.filter(urn=USM_URN).first()
    if framework is None:
        return None
    rows = list(
        FrameworkPart.objects.filter(framework=framework, kind__in=_KINDS).order_by("order", "pk")
    )
    shaped: dict[int, dict] = {}
    for row in rows:
        shaped[row.pk] = {
            "ref_id": row.ref_id,
            "kind": row.kind,
            "name": {"nl": row.name_nl, "en": row.name_en},
            "attributes": row.attributes or {},
            "refs": row.refs or {},
            "children": [],
        }
    parts = []
    for row in rows:
        if row.parent_id in shaped:
            shaped[row.parent_id]["children"].append(shaped[row.pk])
        else:
            parts.append(shaped[row.pk])
    rules = [
        {
            "ref_id": rule.ref_id,
            "kind": rule.kind,
            "severity": rule.severity,
            "message": {"nl": rule.message_nl, "en": rule.message_en},
            "params": rule.params or {},
            "source": {"ref": rule.provenance_ref},
        }
        for rule in CoherenceRule.objects.filter(framework=framework).order_by("order")
    ]
    return parts, rules, framework.version, framework.content_hash


@lru_cache(maxsize=1)
def _bundled() -> tuple[list[dict], list[dict], int, str]:
    from stuurwiel.frameworks.loader import content_hash

    data = yaml.safe_load(USM_LIBRARY.read_text(encoding="utf-8"))
    return data["parts"], data.get("coherence_rules") or [], data["version"], content_hash(data)


# Snapshots by content hash and definitions by snapshot id, per process: both are
# immutable once stored.
_SNAPSHOTS: dict[str, WorkflowSnapshot] = {}
_DEFINITIONS: dict[int, Definition] = {}


_READ = object()


def current_snapshot(loaded_hash: str | None | object = _READ) -> WorkflowSnapshot:
    """The snapshot of the USM library as loaded now (stored if new);
    ``loaded_hash``: the loaded library's content hash (``None``: not loaded) when
    the caller read it already, in a statement of its own."""
    from stuurwiel.frameworks.models import Framework

    if loaded_hash is _READ:
        found = Framework.objects.filter(urn=USM_URN).values_list("content_hash", flat=True)
        loaded_hash = next(iter(found), None)
    key = str(loaded_hash or _bundled()[3])
    cached = _SNAPSHOTS.get(key)
    if cached is not None:
        return cached
    snapshot = WorkflowSnapshot.objects.filter(content_hash=key).first()
    if snapshot is None:
        parts, rules, version, digest = _loaded_library() or _bundled()
        definition = compile_definition(
            parts=parts, rules=rules, urn=USM_URN, version=version, content_hash=digest
        )
        snapshot, _created = WorkflowSnapshot.objects.get_or_create(
            content_hash=digest,
            defaults={
                "framework_urn": USM_URN,
                "framework_version": version,
                "definition": definition.as_data(),
            },
        )
    _SNAPSHOTS[key] = snapshot
    return snapshot


def definition_of(snapshot: WorkflowSnapshot) -> Definition:
    found = _DEFINITIONS.get(snapshot.pk)
    if found is None:
        found = _DEFINITIONS[snapshot.pk] = definition_from_data(snapshot.definition)
    return found


def forget_snapshots() -> None:
    """Drop the per-process caches (tests that roll back the snapshot rows)."""
    _SNAPSHOTS.clear()
    _DEFINITIONS.clear()
