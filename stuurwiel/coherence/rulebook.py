"""The loaded libraries as the engine reads them: parts, link types and rules by
id and by reference, worked out once per loaded content (installation-wide data
that only the loader writes) and shared read-only by every evaluation."""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass, field, replace

from stuurwiel.frameworks.choices import RuleKind
from stuurwiel.frameworks.models import CoherenceRule, Framework, FrameworkPart, LinkType


@dataclass(frozen=True)
class PartFact:
    id: int
    framework_id: int
    ref_id: str
    parent_id: int | None
    element_types: frozenset[str]
    assessable: bool
    cadence_months: int | None
    members: tuple[str, ...]
    # The place on the trace from reasons (1) to results, as the library declares
    # it (attribute ``trace_stage``), inherited from the nearest ancestor; None: off the path.
    trace_stage: int | None = None


@dataclass(frozen=True)
class LinkFact:
    id: int
    framework_id: int
    ref_id: str
    source_part_id: int
    target_part_id: int
    relation_type: str


@dataclass(frozen=True)
class RuleFact:
    id: int
    framework_id: int
    ref_id: str
    kind: str
    severity: str
    params: dict


_NONE: frozenset[int] = frozenset()


@dataclass
class Rulebook:
    parts: dict[int, PartFact] = field(default_factory=dict)
    part_by_ref: dict[tuple[int, str], PartFact] = field(default_factory=dict)
    children: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    links: dict[int, LinkFact] = field(default_factory=dict)
    link_by_ref: dict[tuple[int, str], LinkFact] = field(default_factory=dict)
    rules: dict[int, list[RuleFact]] = field(default_factory=lambda: defaultdict(list))
    framework_of_urn: dict[str, int] = field(default_factory=dict)
    # Worked out once per rulebook (:meth:`close`): part → the part and every part
    # under it, part → the part and every part above it.
    below_of: dict[int, tuple[int, ...]] = field(default_factory=dict)
    above_of: dict[int, tuple[int, ...]] = field(default_factory=dict)
    # The parts whose answers a cadence rule reviews (and every part under them):
    # only their elements' "last changed" is loaded.
    reviewed_parts: frozenset[int] = frozenset()
    # (part, element type) → what an element of the type classified there answers
    _answered: dict[tuple[int, str], frozenset[int]] = field(default_factory=dict)

    def part(self, framework_id: int, ref_id: str) -> PartFact | None:
        return self.part_by_ref.get((framework_id, ref_id))

    def parts_named(self, framework_id: int, refs) -> list[PartFact]:
        found = (self.part(framework_id, ref) for ref in refs or ())
        return [part for part in found if part is not None]

    def stages(self, framework_id: int) -> dict[int, list[PartFact]]:
        """Trace stage → the framework's parts on it that declare it themselves
        (the column headings of a trace), in the library's order."""
        found: dict[int, list[PartFact]] = defaultdict(list)
        for part in self.parts.values():
            if part.framework_id != framework_id or part.trace_stage is None:
                continue
            parent = self.parts.get(part.parent_id) if part.parent_id else None
            if parent is None or parent.trace_stage != part.trace_stage:
                found[part.trace_stage].append(part)
        return dict(sorted(found.items()))

    def below(self, part_id: int) -> tuple[int, ...]:
        """The part and every part under it."""
        return self.below_of.get(part_id) or (part_id,)

    def above(self, part_id: int) -> tuple[int, ...]:
        """The part and every part above it."""
        return self.above_of.get(part_id) or (part_id,)

    def answered_by(self, part_id: int, element_type: str) -> frozenset[int]:
        """The parts an element of ``element_type`` classified under ``part_id``
        answers: that part and every part above it when the type fits the part,
        none when it does not (or the part is not in a loaded library)."""
        key = (part_id, element_type)
        found = self._answered.get(key)
        if found is None:
            part = self.parts.get(part_id)
            fitting = part is not None and (
                not part.element_types or element_type in part.element_types
            )
            found = self._answered[key] = frozenset(self.above(part_id)) if fitting else _NONE
        return found

    def close(self) -> None:
        """Work out the closures the evaluators ask for per element, once."""
        for part_id in self.parts:
            found, todo = [], [part_id]
            while todo:
                current = todo.pop()
                found.append(current)
                todo.extend(self.children.get(current, ()))
            self.below_of[part_id] = tuple(found)
            chain, current_id = [part_id], self.parts[part_id].parent_id
            while current_id is not None and current_id in self.parts and current_id not in chain:
                chain.append(current_id)
                current_id = self.parts[current_id].parent_id
            self.above_of[part_id] = tuple(chain)
        reviewed: set[int] = set()
        for rules in self.rules.values():
            for rule in rules:
                if rule.kind != RuleKind.CADENCE_DUE:
                    continue
                for part in self.parts_named(rule.framework_id, rule.params.get("parts") or ()):
                    reviewed.update(self.below(part.id))
        self.reviewed_parts = frozenset(reviewed)


_KEPT: dict[str, tuple[tuple, Rulebook]] = {}
_LOCK = threading.Lock()


def rulebook() -> Rulebook:
    """The rulebook of the loaded libraries; one query when nothing was reloaded."""
    key = tuple(Framework.objects.order_by("pk").values_list("pk", "content_hash", "loaded_at"))
    kept = _KEPT.get("all")
    if kept is not None and kept[0] == key:
        return kept[1]
    book = _build()
    with _LOCK:
        _KEPT["all"] = (key, book)
    return book


def forget() -> None:
    _KEPT.clear()


def _build() -> Rulebook:
    book = Rulebook()
    book.framework_of_urn = dict(Framework.objects.values_list("urn", "pk"))
    declared: dict[int, int] = {}
    for part in FrameworkPart.objects.order_by("framework_id", "order", "pk").only(
        "pk",
        "framework_id",
        "ref_id",
        "parent_id",
        "element_types",
        "assessable",
        "attributes",
        "refs",
    ):
        months = (part.attributes or {}).get("cadence_months")
        stage = (part.attributes or {}).get("trace_stage")
        if isinstance(stage, int) and not isinstance(stage, bool):
            declared[part.pk] = stage
        fact = PartFact(
            id=part.pk,
            framework_id=part.framework_id,
            ref_id=part.ref_id,
            parent_id=part.parent_id,
            element_types=frozenset(part.element_types or ()),
            assessable=part.assessable,
            cadence_months=months if isinstance(months, int) else None,
            members=tuple((part.refs or {}).get("members", ())),
        )
        book.parts[fact.id] = fact
        book.part_by_ref[(fact.framework_id, fact.ref_id)] = fact
        if fact.parent_id is not None:
            book.children[fact.parent_id].append(fact.id)
    _inherit_stages(book, declared)
    for link in LinkType.objects.all():
        fact = LinkFact(
            link.pk,
            link.framework_id,
            link.ref_id,
            link.source_part_id,
            link.target_part_id,
            link.relation_type,
        )
        book.links[fact.id] = fact
        book.link_by_ref[(fact.framework_id, fact.ref_id)] = fact
    for rule in CoherenceRule.objects.order_by("framework_id", "order"):
        book.rules[rule.framework_id].append(
            RuleFact(
                rule.pk, rule.framework_id, rule.ref_id, rule.kind, rule.severity, rule.params or {}
            )
        )
    book.close()
    return book


def _inherit_stages(book: Rulebook, declared: dict[int, int]) -> None:
    """Each part's trace stage: its own, else its nearest ancestor's."""
    for pk, fact in list(book.parts.items()):
        current: PartFact | None = fact
        stage = None
        seen = 0
        while current is not None and seen < 50:  # a tree; the cap only guards bad data
            stage = declared.get(current.id)
            if stage is not None:
                break
            current = book.parts.get(current.parent_id) if current.parent_id else None
            seen += 1
        if stage is not None:
            book.parts[pk] = replace(fact, trace_stage=stage)
            book.part_by_ref[(fact.framework_id, fact.ref_id)] = book.parts[pk]
