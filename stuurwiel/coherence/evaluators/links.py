"""Rules about the links between the answers: expected links, parts linked to
each other, a path of parts, and answers related to a kind of element."""

from __future__ import annotations

from stuurwiel.coherence.evaluators.base import (
    Case,
    Draft,
    Result,
    answering,
    answers,
    evaluator,
    out_of_scope,
)
from stuurwiel.core.touch import Touched
from stuurwiel.frameworks.choices import RuleKind


@evaluator(RuleKind.LINK_EXPECTED, reads={Touched.PARTS, Touched.LINKS, Touched.CHAINS})
def link_expected(case: Case) -> Result:
    """Each element answering one end of the link type (its "to" end unless the
    rule says ``each: from``) has such a link to an element answering the other
    end. Not checked while nothing answers that end."""
    result = Result()
    link = case.book.link_by_ref.get((case.rule.framework_id, case.params.get("link_type")))
    if link is None or out_of_scope(case):
        return result
    each = case.params.get("each", "to")
    # Edges are (source, target, relation type, link type); ``end`` is the other one.
    if each == "from":
        side, other, edges, end = link.source_part_id, link.target_part_id, case.facts.outgoing, 1
    else:
        side, other, edges, end = link.target_part_id, link.source_part_id, case.facts.incoming, 0
    facts, book = case.facts, case.book
    side_part = book.parts[side]
    answering_other = answering(facts, book, other)
    link_id, link_relation = link.id, link.relation_type
    for element_id in answers(case, side_part):
        result.checks += 1
        # An edge realises the link when it is recorded as that link, or is a
        # relation of the link's type to an element answering the other part.
        for edge in edges.get(element_id, ()):
            if edge[3] == link_id or (edge[2] == link_relation and edge[end] in answering_other):
                break
        else:
            result.fail(
                Draft(
                    f"element:{element_id}",
                    {"element": element_id, "link_type": link.id, "each": each, "other": other},
                    part_id=side,
                    element_id=element_id,
                )
            )
    return result


def _linked(case: Case, sources: set[int], targets: list[int]) -> bool:
    """Whether some relation runs from one of ``sources`` to one of ``targets``."""
    incoming = case.facts.incoming
    return any(edge[0] in sources for target in targets for edge in incoming.get(target, ()))


def _linked_from(case: Case, part, targets: list[int]) -> bool:
    """Whether an element answering ``part`` relates to one of ``targets``: one
    of the subject's own or a loaded neighbour (a principle may sit in another
    subject)."""
    incoming = case.facts.incoming
    sources = answering(case.facts, case.book, part.id)
    return any(edge[0] in sources for target in targets for edge in incoming.get(target, ()))


@evaluator(RuleKind.PARTS_LINKED, reads={Touched.PARTS, Touched.LINKS})
def parts_linked(case: Case) -> Result:
    """For each ``to`` part that the subject answers, some element answering the
    ``from`` part relates to one of its answers (IDM: principles bound every
    domain)."""
    result = Result()
    source = case.part("from")
    if source is None:
        return result
    for part in case.parts("to"):
        targets = answers(case, part)
        if not targets:
            continue
        result.checks += 1
        if not _linked_from(case, source, targets):
            result.fail(
                Draft(f"part:{part.id}", {"from": source.id, "to": part.id}, part_id=part.id)
            )
    return result


@evaluator(RuleKind.PATH_EXPECTED, reads={Touched.PARTS, Touched.LINKS})
def path_expected(case: Case) -> Result:
    """The listed parts are linked in order: for each step, an answer of the one
    relates to an answer of the next. A step with an unanswered end breaks too."""
    result = Result()
    parts = case.parts()
    for here, after in zip(parts, parts[1:], strict=False):
        result.checks += 1
        sources, targets = set(answers(case, here)), answers(case, after)
        if sources and targets and _linked(case, sources, targets):
            continue
        result.fail(
            Draft(
                f"step:{here.id}-{after.id}",
                {
                    "from": here.id,
                    "to": after.id,
                    "unanswered": [p.id for p, a in ((here, sources), (after, targets)) if not a],
                },
                part_id=after.id,
            )
        )
    return result


@evaluator(RuleKind.ELEMENT_RELATED, reads={Touched.PARTS, Touched.LINKS})
def element_related(case: Case) -> Result:
    """Each answer to the listed parts is related (either way) to an element of
    one of the listed types (Optimum: a result has a criterion for when it is
    good, a measure; it contributes to a goal)."""
    result = Result()
    wanted = set(case.params.get("element_types", ()))
    facts = case.facts
    seen: set[int] = set()
    for part in case.parts():
        for element_id in answers(case, part):
            if element_id in seen:
                continue
            seen.add(element_id)
            result.checks += 1
            ends = [e[1] for e in facts.outgoing.get(element_id, ())]
            ends += [e[0] for e in facts.incoming.get(element_id, ())]
            if not any(
                end in facts.elements and facts.elements[end].element_type in wanted for end in ends
            ):
                result.fail(
                    Draft(
                        f"element:{element_id}",
                        {"element": element_id, "types": sorted(wanted)},
                        part_id=part.id,
                        element_id=element_id,
                    )
                )
    return result


def _within_candidates(case: Case) -> list[int]:
    """The subject's answers an ``answers_within`` rule checks: of the listed
    types, answering one of the listed parts (or any part of the library)."""
    facts, book = case.facts, case.book
    wanted = set(case.params.get("element_types", ()))
    if case.params.get("parts"):
        found = {e for part in case.parts() for e in answers(case, part)}
    else:
        framework = case.rule.framework_id
        found = {
            element_id
            for part_id in book.parts
            if book.parts[part_id].framework_id == framework
            for element_id in answering(facts, book, part_id)
            if facts.elements[element_id].subject_id == case.subject.id
        }
    return sorted(e for e in found if facts.elements[e].element_type in wanted)


@evaluator(RuleKind.ANSWERS_WITHIN, reads={Touched.PARTS, Touched.LINKS, Touched.CHAINS})
def answers_within(case: Case) -> Result:
    """Each answer the rule checks (:func:`_within_candidates`) lies within one
    of the ``within`` parts: it answers one of them itself, or an element it is
    related to (either way) does. USM §12.7: exceptions live inside the
    workflows; a procedure of its own next to the five processes is a design
    error of the system."""
    result = Result()
    if out_of_scope(case):
        return result
    facts, book, framework = case.facts, case.book, case.rule.framework_id
    within = [part.id for part in case.parts("within")]
    # What an element answers holds every part above its own: one of ``within`` is enough.
    inside = set(within)
    for element_id in _within_candidates(case):
        result.checks += 1
        ends = [element_id] + [edge[0] for edge in facts.outgoing.get(element_id, ())]
        ends += [edge[0] for edge in facts.incoming.get(element_id, ())]
        if any(end in answering(facts, book, part_id) for part_id in inside for end in ends):
            continue
        own = sorted(
            part_id
            for (part_id, _type), members in facts.classified.get(case.subject.id, {}).items()
            if element_id in members
            and part_id in book.parts
            and book.parts[part_id].framework_id == framework
        )
        result.fail(
            Draft(
                f"element:{element_id}",
                {"element": element_id, "within": within},
                part_id=own[0] if own else None,
                element_id=element_id,
            )
        )
    return result
