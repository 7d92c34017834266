"""The evaluator contract and the readings every evaluator shares."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from stuurwiel.coherence.choices import FindingOutcome
from stuurwiel.coherence.facts import Facts, SubjectFact
from stuurwiel.coherence.rulebook import PartFact, Rulebook, RuleFact


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


def evaluator(kind: str) -> Callable[[Evaluator], Evaluator]:
    def register(function: Evaluator) -> Evaluator:
        EVALUATORS[kind] = function
        return function

    return register


def fits(book: Rulebook, part_id: int, element_type: str) -> bool:
    """Whether an element of ``element_type`` may answer the part (a part that
    names no types takes every type)."""
    allowed = book.parts[part_id].element_types
    return not allowed or element_type in allowed


def _index(case: Case) -> tuple[dict[int, list[int]], dict[int, list[int]]]:
    """Per subject, once per evaluation: part → the subject's elements classified
    there whose type fits it, and part → those whose type does not."""
    key = ("answers", case.subject.id)
    kept = case.facts.cache.get(key)
    if kept is None:
        fitting: dict[int, list[int]] = defaultdict(list)
        unfit: dict[int, list[int]] = defaultdict(list)
        facts = case.facts
        for element_id in facts.by_subject.get(case.subject.id, ()):
            element_type = facts.elements[element_id].element_type
            for part_id in facts.parts_of.get(element_id, ()):
                if part_id not in case.book.parts:
                    continue
                target = fitting if fits(case.book, part_id, element_type) else unfit
                target[part_id].append(element_id)
        kept = case.facts.cache[key] = (fitting, unfit)
    return kept


def answers(case: Case, part: PartFact) -> list[int]:
    """The subject's elements answering ``part`` or a part under it, with a type
    that fits the part they answer (each once, in id order)."""
    fitting, _unfit = _index(case)
    found: set[int] = set()
    for part_id in case.book.below(part.id):
        found.update(fitting.get(part_id, ()))
    return sorted(found)


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


def classified_under(case: Case, element_id: int, part: PartFact) -> bool:
    """Whether any loaded element (of any subject) answers ``part`` or below, fittingly."""
    facts = case.facts
    element = facts.elements.get(element_id)
    if element is None:
        return False
    below = case.book.below(part.id)
    classified = facts.parts_of.get(element_id, ())
    return any(p in classified and fits(case.book, p, element.element_type) for p in below)


def is_service(case: Case) -> bool:
    return case.subject.id in case.facts.chains


def out_of_scope(case: Case) -> bool:
    """A rule scoped to services or calls does not apply to another subject."""
    return case.params.get("scope") in ("service", "call") and not is_service(case)
