"""Rules about which parts a subject answers, and with what."""

from __future__ import annotations

from datetime import timedelta

from stuurwiel.coherence.choices import FindingOutcome
from stuurwiel.coherence.evaluators.base import (
    Case,
    Draft,
    Result,
    answers,
    evaluator,
    misfits,
    out_of_scope,
)
from stuurwiel.core.touch import Touched
from stuurwiel.frameworks.choices import RuleKind

# A month in the cadence of a part, for "reviewed within N months": 30.44 days
# (a twelfth of an average Gregorian year). Our reading; the seed gives no unit.
MONTH = timedelta(days=365.2425 / 12)


def _answered(case: Case, part) -> bool:
    if answers(case, part):
        return True
    members = case.book.parts_named(part.framework_id, part.members)
    return bool(members) and all(answers(case, member) for member in members)


@evaluator(RuleKind.PART_ANSWERED, reads={Touched.PARTS, Touched.CHAINS})
def part_answered(case: Case) -> Result:
    """Each listed part is answered by an element of the subject (on the part or a
    part under it; a grouping part by all its members) whose type fits the part."""
    result = Result()
    if out_of_scope(case):
        return result
    for part in case.parts():
        result.checks += 1
        if not _answered(case, part):
            wrong = [element for element, _part in misfits(case, part)]
            result.fail(
                Draft(f"part:{part.id}", {"part": part.id, "misfits": wrong[:20]}, part_id=part.id)
            )
    return result


def _typed_pairs(case: Case) -> int:
    """How many (element, part) classifications of the subject fall under a part
    of the rule's framework that names its types (once per subject and framework)."""
    key = ("typed", case.subject.id, case.rule.framework_id)
    found = case.facts.cache.get(key)
    if found is None:
        known, framework_id = case.book.parts, case.rule.framework_id
        found = case.facts.cache[key] = sum(
            len(members)
            for (part_id, _type), members in case.facts.classified.get(case.subject.id, {}).items()
            if part_id in known
            and known[part_id].framework_id == framework_id
            and known[part_id].element_types
        )
    return found


@evaluator(RuleKind.ELEMENT_TYPE_FITS, reads={Touched.PARTS})
def element_type_fits(case: Case) -> Result:
    """An element answers a part only with a type the part takes; one that does
    not fit is a finding, and it is not counted as an answer anywhere."""
    result = Result()
    chosen = case.parts() if case.params.get("parts") else None
    book = case.book
    pairs = (
        {pair for part in chosen for pair in misfits(case, part)}
        if chosen is not None
        else set(misfits(case))
    )
    pairs = {(e, p) for e, p in pairs if book.parts[p].framework_id == case.rule.framework_id}
    fitting_checks = _typed_pairs(case)
    result.checks = fitting_checks
    for element_id, part_id in sorted(pairs):
        element_type = case.facts.elements[element_id].element_type
        allowed = sorted(book.parts[part_id].element_types)
        result.fail(
            Draft(
                f"fit:{element_id}:{part_id}",
                {"part": part_id, "element": element_id, "type": element_type, "allowed": allowed},
                part_id=part_id,
                element_id=element_id,
            )
        )
    return result


@evaluator(RuleKind.EXCLUSIVE_PARTS, reads={Touched.PARTS})
def exclusive_parts(case: Case) -> Result:
    """No element answers more than one of the listed parts (USM's
    non-redundancy: every activity falls in exactly one process)."""
    result = Result()
    holders: dict[int, list[int]] = {}
    for part in case.parts():
        for element_id in answers(case, part):
            holders.setdefault(element_id, []).append(part.id)
    for element_id, part_ids in sorted(holders.items()):
        result.checks += 1
        if len(part_ids) > 1:
            result.fail(
                Draft(
                    f"element:{element_id}",
                    {"element": element_id, "parts": part_ids},
                    element_id=element_id,
                )
            )
    return result


@evaluator(RuleKind.TYPES_PRESENT, reads={Touched.PARTS})
def types_present(case: Case) -> Result:
    """Among the answers to the listed parts, each listed element type occurs
    (IDM: both output and outcome). Not checked while the parts are unanswered."""
    result = Result()
    found = {
        case.facts.elements[element_id].element_type
        for part in case.parts()
        for element_id in answers(case, part)
    }
    if not found:
        return result
    parts = [part.id for part in case.parts()]
    for element_type in case.params.get("element_types", ()):
        result.checks += 1
        if element_type not in found:
            result.fail(
                Draft(
                    f"type:{element_type}",
                    {"parts": parts, "type": element_type},
                    part_id=parts[0] if parts else None,
                )
            )
    return result


def _last_change(case: Case, part):
    """When the latest of the part's answers changed: the latest change per part
    under it and element type that fits there (what ``answers`` takes)."""
    book, reviewed, subject_id = case.book, case.facts.reviewed, case.subject.id
    return max(
        (
            last
            for part_id in book.below(part.id)
            for element_type, last in reviewed.get((subject_id, part_id), ())
            if book.answered_by(part_id, element_type)
        ),
        default=None,
    )


@evaluator(RuleKind.CADENCE_DUE, reads={Touched.PARTS, Touched.REVIEWS})
def cadence_due(case: Case) -> Result:
    """The answers to each listed part were reviewed (last changed) within the
    part's cadence in months (the rule's ``months`` or the part's attribute
    ``cadence_months``). A part without a cadence cannot be checked: said so."""
    result = Result()
    for part in case.parts():
        months = case.params.get("months") or part.cadence_months
        if not months:
            result.fail(
                Draft(
                    f"part:{part.id}",
                    {"part": part.id, "why": "no_cadence"},
                    part_id=part.id,
                    outcome=FindingOutcome.UNCHECKED,
                )
            )
            continue
        answered = answers(case, part)
        if not answered:
            continue  # nothing to review yet: the "answered" rules say so
        last = _last_change(case, part)
        if last is None:
            continue  # not loaded: the rulebook names no such reviewed part
        result.checks += 1
        due = last + months * MONTH
        if case.facts.now > due:
            result.fail(
                Draft(
                    f"part:{part.id}",
                    {
                        "part": part.id,
                        "months": months,
                        "last": last.date().isoformat(),
                        "due": due.date().isoformat(),
                    },
                    part_id=part.id,
                )
            )
    return result


@evaluator(RuleKind.PARTS_IN_ORDER, reads={Touched.PARTS, Touched.CHAINS})
def parts_in_order(case: Case) -> Result:
    """The listed parts are steps of an order of thinking (USM §11.5: the
    service defined, the chain visible, interfaces recorded, processes steering
    the coherence, improvement reaching the system). Once a step is answered,
    every step before it is answered too: each earlier step still open is a
    finding naming the later steps already worked out. Before any step is
    answered there is nothing to check (the "answered" rules say what is open)."""
    result = Result()
    if out_of_scope(case):
        return result
    steps = case.parts()
    done = [_answered(case, part) for part in steps]
    last = max((number for number, answered in enumerate(done) if answered), default=-1)
    for number in range(last):
        result.checks += 1
        if done[number]:
            continue
        part = steps[number]
        ahead = [
            later.id
            for later, answered in zip(steps[number + 1 :], done[number + 1 :], strict=True)
            if answered
        ]
        result.fail(
            Draft(
                f"part:{part.id}",
                {"part": part.id, "ahead": ahead, "step": number + 1},
                part_id=part.id,
            )
        )
    return result
