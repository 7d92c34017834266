"""What the agreements app reads from the USM library (``frameworks/libraries/usm.yaml``):
the default priority matrices (the ``prioriteit`` part) and which process each
process step belongs to (for the links a call passes).

Read from the loaded library (one query, then kept until the library's content
changes: ``frameworks.selectors.library_derived``); before the library is loaded,
from its bundled file — the same data. The default matrix is Stuurwiel's own example, not
the book's: the part's ``source`` says so (kind ``reading``), and pages show it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import yaml
from django.utils.translation import get_language

from stuurwiel.agreements.choices import MatrixKind
from stuurwiel.organisations.roles import USM_LIBRARY, USM_URN

PRIORITY_PART = "prioriteit"


def _text(value: Any) -> str:
    """The nl or en text of a ``{nl, en}`` pair, in the current language."""
    if not isinstance(value, dict):
        return str(value or "")
    english = (get_language() or "nl").startswith("en")
    return str(value.get("en" if english else "nl") or value.get("nl") or "")


@dataclass(frozen=True)
class MatrixDefault:
    """One default matrix of the library: its row and column levels (with labels)
    and the priority of each cell."""

    kind: str
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    cells: dict[tuple[str, str], int]
    row_labels: dict[str, Any] = field(default_factory=dict)
    column_labels: dict[str, Any] = field(default_factory=dict)

    def row_label(self, level: str) -> str:
        return _text(self.row_labels.get(level)) or level

    def column_label(self, level: str) -> str:
        return _text(self.column_labels.get(level)) or level


@dataclass(frozen=True)
class PriorityLibrary:
    """The ``prioriteit`` part: priorities (1 highest), the two default matrices
    and where the default comes from."""

    priorities: tuple[int, ...]
    call: MatrixDefault
    risk: MatrixDefault
    provenance: str
    provenance_ref: str
    name: dict[str, str]
    description: dict[str, str]

    def matrix(self, kind: str) -> MatrixDefault:
        return self.risk if kind == MatrixKind.RISK else self.call

    @property
    def name_text(self) -> str:
        return _text(self.name)

    @property
    def description_text(self) -> str:
        return _text(self.description)


def _cells(lines: list[str]) -> dict[tuple[str, str], int]:
    """``["high/high=1", …]`` → ``{("high", "high"): 1, …}``."""
    cells: dict[tuple[str, str], int] = {}
    for line in lines:
        pair, _sep, priority = str(line).partition("=")
        row, _slash, column = pair.partition("/")
        cells[(row.strip(), column.strip())] = int(priority)
    return cells


def _labels(levels: list[str], labels: list[Any]) -> dict[str, Any]:
    return dict(zip(levels, labels, strict=False))


def _priority_library(attributes: dict, source: dict, name: dict, description: dict):
    impact = list(attributes.get("impact") or [])
    urgency = list(attributes.get("urgency") or [])
    effect = list(attributes.get("risk_effect") or [])
    likelihood = list(attributes.get("risk_likelihood") or [])
    # The library labels impact and urgency; the risk levels use the same words.
    words = {**_labels(urgency, attributes.get("urgency_labels") or [])}
    words.update(_labels(impact, attributes.get("impact_labels") or []))
    return PriorityLibrary(
        priorities=tuple(int(p) for p in attributes.get("priorities") or [1, 2, 3, 4, 5]),
        call=MatrixDefault(
            kind=MatrixKind.CALL,
            rows=tuple(impact),
            columns=tuple(urgency),
            cells=_cells(attributes.get("matrix") or []),
            row_labels=_labels(impact, attributes.get("impact_labels") or []),
            column_labels=_labels(urgency, attributes.get("urgency_labels") or []),
        ),
        risk=MatrixDefault(
            kind=MatrixKind.RISK,
            rows=tuple(effect),
            columns=tuple(likelihood),
            cells=_cells(attributes.get("risk_matrix") or []),
            row_labels={level: words.get(level, level) for level in effect},
            column_labels={level: words.get(level, level) for level in likelihood},
        ),
        provenance=str(source.get("kind", "")),
        provenance_ref=str(source.get("ref", "")),
        name=name,
        description=description,
    )


@dataclass(frozen=True)
class StepIndex:
    """Which process each process step belongs to, and the processes in order."""

    process_of: dict[str, str]
    processes: tuple[str, ...]
    names: dict[str, dict[str, str]]

    def process_name(self, ref_id: str) -> str:
        return _text(self.names.get(ref_id)) or ref_id


@dataclass(frozen=True)
class UsmExtract:
    priority: PriorityLibrary
    steps: StepIndex


def _from_rows(rows: list[Any]) -> UsmExtract | None:
    priority = next((row for row in rows if row.ref_id == PRIORITY_PART), None)
    if priority is None:
        return None
    processes = [row for row in rows if row.kind == "process"]
    by_pk = {row.pk: row.ref_id for row in processes}
    steps = {
        row.ref_id: by_pk[row.parent_id]
        for row in rows
        if row.kind == "step" and row.parent_id in by_pk
    }
    return UsmExtract(
        priority=_priority_library(
            priority.attributes or {},
            {"kind": priority.provenance, "ref": priority.provenance_ref},
            {"nl": priority.name_nl, "en": priority.name_en},
            {"nl": priority.description_nl, "en": priority.description_en},
        ),
        steps=StepIndex(
            process_of=steps,
            processes=tuple(row.ref_id for row in processes),
            names={row.ref_id: {"nl": row.name_nl, "en": row.name_en} for row in processes},
        ),
    )


@lru_cache(maxsize=1)
def _bundled() -> UsmExtract:
    data = yaml.safe_load(USM_LIBRARY.read_text(encoding="utf-8"))
    parts = data.get("parts", [])
    priority = next(part for part in parts if part.get("ref_id") == PRIORITY_PART)
    processes = [part for part in parts if part.get("kind") == "process"]
    steps = {
        child["ref_id"]: process["ref_id"]
        for process in processes
        for child in process.get("children", [])
        if child.get("kind") == "step"
    }
    return UsmExtract(
        priority=_priority_library(
            priority.get("attributes", {}),
            priority.get("source", {}),
            priority.get("name", {}),
            priority.get("description", {}),
        ),
        steps=StepIndex(
            process_of=steps,
            processes=tuple(process["ref_id"] for process in processes),
            names={process["ref_id"]: process.get("name", {}) for process in processes},
        ),
    )


def usm_extract(**known: Any) -> UsmExtract:
    """The priority part and the step index of the loaded USM library, or of its
    bundled file when it is not loaded; worked out once per loaded library
    (``key=``: the library's ``(pk, content_hash)`` if the caller read it)."""
    from stuurwiel.frameworks.selectors import library_derived

    return library_derived(USM_URN, "usm_extract", _usm_extract_read, **known)


def _usm_extract_read() -> UsmExtract:
    from stuurwiel.frameworks.models import FrameworkPart

    rows = list(
        FrameworkPart.objects.filter(
            framework__urn=USM_URN, kind__in=("priority_matrix", "process", "step")
        ).order_by("order", "pk")
    )
    return _from_rows(rows) or _bundled()


def priority_library(**known: Any) -> PriorityLibrary:
    return usm_extract(**known).priority
