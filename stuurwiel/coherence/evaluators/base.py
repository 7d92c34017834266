"""The evaluator contract and the readings every evaluator shares."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from stuurwiel.coherence.choices import FindingOutcome
from stuurwiel.coherence.facts import Facts, SubjectFact
from stuurwiel.coherence.rulebook import PartFact, Rulebook, RuleFact
from stuurwiel.core.touch import Touched


@dataclass(frozen=True)
class Draft:
    """One failing thing: ``key`` identifies it within (subject, rule)."""

    key: str
    reasoning: dict
    part_id: int | None = None
    element_id: int | None = None
    outcome: str = FindingOutcome.FAILED


@dataclass
class Result:
    checks: int = 0
    drafts: list[Draft] = field(default_factory=list)

    def fail(self, draft: Draft) -> None:
        self.drafts.append(draft)

    @property
    def passed(self) -> int:
        failed = sum(1 for d in self.drafts if d.outcome == FindingOutcome.FAILED)
        return max(self.checks - failed, 0)


@dataclass(frozen=True)
class Case:
    """What an evaluator is given: the rule, the subject, the facts, the rulebook."""

    rule: RuleFact
    subject: SubjectFact
    facts: Facts
    book: Rulebook

    @property
    def params(self) -> dict:
        return self.rule.params

    def parts(self, name: str = "parts") -> list[PartFact]:
        return self.book.parts_named(self.rule.framework_id, self.params.get(name) or ())

    def part(self, name: str) -> PartFact | None:
        ref = self.params.get(name)
        return self.book.part(self.rule.framework_id, ref) if isinstance(ref, str) else None


Evaluator = Callable[[Case], Result]
EVALUATORS: dict[str, Evaluator] = {}
# Per kind, what of a subject its evaluator reads: after a write that touched
# none of it, a rule of the kind finds what it found before.
READS: dict[str, frozenset[Touched]] = {}


def evaluator(kind: str, *, reads: set[Touched]) -> Callable[[Evaluator], Evaluator]:
    def register(function: Evaluator) -> Evaluator:
        EVALUATORS[kind] = function
        READS[kind] = frozenset(reads)
        return function

    return register


def reads(kind: str) -> frozenset[Touched]:
    """What a rule of ``kind`` reads (an unknown kind: everything)."""
    return READS.get(kind, frozenset(Touched))


def fits(book: Rulebook, part_id: int, element_type: str) -> bool:
    """Whether an element of ``element_type`` may answer the part (a part that
    names no types takes every type)."""
    allowed = book.parts[part_id].element_types
    return not allowed or element_type in allowed


def _index(case: Case) -> tuple[dict[int, set[int]], dict[int, list[int]]]:
    """Per subject, once per evaluation: part → the subject's elements answering
    it or a part under it with a type that fits the part they are classified
    under, and part → the elements classified there whose type does not fit.
    Worked out per group of elements classified alike (part, type), not per element."""
    key = ("answers", case.subject.id)
    kept = case.facts.cache.get(key)
    if kept is None:
        fitting: dict[int, set[int]] = defaultdict(set)
        unfit: dict[int, list[int]] = defaultdict(list)
        known, answered_by = case.book.parts, case.book.answered_by
        for (part_id, element_type), members in case.facts.classified.get(
            case.subject.id, {}
        ).items():
            answered = answered_by(part_id, element_type)
            for above in answered:
                fitting[above].update(members)
            if not answered and part_id in known:
                unfit[part_id].extend(members)
        kept = case.facts.cache[key] = (fitting, unfit)
    return kept


def answers(case: Case, part: PartFact) -> list[int]:
    """The subject's elements answering ``part`` or a part under it, with a type
    that fits the part they answer (each once, in id order)."""
    key = ("answer", case.subject.id, part.id)
    found = case.facts.cache.get(key)
    if found is None:
        fitting, _unfit = _index(case)
        found = case.facts.cache[key] = sorted(fitting.get(part.id, ()))
    return found


def misfits(case: Case, part: PartFact | None = None) -> list[tuple[int, int]]:
    """(element, part) pairs of the subject where the element's type does not fit
    the part it is classified under: under ``part``, or anywhere."""
    _fitting, unfit = _index(case)
    wanted = set(case.book.below(part.id)) if part else None
    return sorted(
        (element_id, part_id)
        for part_id, elements in unfit.items()
        if wanted is None or part_id in wanted
        for element_id in elements
    )


def answering(facts: Facts, book: Rulebook, part_id: int) -> set[int]:
    """The loaded elements (of any subject) answering ``part_id`` or a part under
    it fittingly; worked out for every part at once, once per evaluation."""
    memo = facts.cache.get("answering")
    if memo is None:
        memo = facts.cache["answering"] = defaultdict(set)
        answered_by = book.answered_by
        for groups in facts.classified.values():
            for (classified_id, element_type), members in groups.items():
                for above in answered_by(classified_id, element_type):
                    memo[above].update(members)
    return memo.get(part_id, _NONE)


_NONE: frozenset[int] = frozenset()


def is_service(case: Case) -> bool:
    return case.subject.id in case.facts.chains


def out_of_scope(case: Case) -> bool:
    """A rule scoped to services or calls does not apply to another subject."""
    return case.params.get("scope") in ("service", "call") and not is_service(case)
