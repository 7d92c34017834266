"""The parameters each coherence rule kind takes: one declaration, read by the
library checks (:mod:`stuurwiel.frameworks.checks`, which refuse an unknown
parameter, a missing one or a value of the wrong shape, naming file and path)
and documented for library authors in ``docs/framework-libraries.md``. The
coherence engine (:mod:`stuurwiel.coherence.evaluators`) has one evaluator per
kind and reads the same parameters; a test keeps the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass

from stuurwiel.frameworks.choices import RuleKind


class Shape:
    """What a parameter's value must be."""

    PART = "part"  # a part reference of the same library
    PARTS = "parts"  # a list of part references
    LINK_TYPE = "link_type"  # a link type reference of the same library
    ROLE = "role"  # one role (organisations.choices.Role)
    ROLES = "roles"  # a list of roles
    ELEMENT_TYPES = "element_types"  # a list of element types (core.vocabulary.ElementType)
    CHOICE = "choice"  # one of ``choices``
    TEXT = "text"  # a free word, read by the engine that enforces the rule
    TEXTS = "texts"  # a list of such words
    COUNT = "count"  # a whole number of at least 1


@dataclass(frozen=True)
class Param:
    name: str
    shape: str
    required: bool = False
    choices: tuple[str, ...] = ()
    at_least: int = 1  # for lists: the fewest entries


SCOPES = ("service", "call", "subject")

RULE_PARAMS: dict[str, tuple[Param, ...]] = {
    RuleKind.PART_ANSWERED: (
        Param("parts", Shape.PARTS, required=True),
        Param("scope", Shape.CHOICE, choices=SCOPES),
        # The rule also guards a gate of the product (the design gate before live work).
        Param("gate", Shape.CHOICE, choices=("live_work",)),
    ),
    RuleKind.LINK_EXPECTED: (
        Param("link_type", Shape.LINK_TYPE, required=True),
        # Whose elements must each have the link: the link's "to" side (default,
        # "this result is traced back to a motivation") or its "from" side ("this
        # intervention invites a mechanism").
        Param("each", Shape.CHOICE, choices=("from", "to")),
        # The link type's ends, repeated for the reader of the library; they must be its ends.
        Param("source", Shape.PART),
        Param("target", Shape.PART),
        Param("scope", Shape.CHOICE, choices=SCOPES),
    ),
    RuleKind.CADENCE_DUE: (
        Param("parts", Shape.PARTS, required=True),
        Param("months", Shape.COUNT),  # else the part's attribute cadence_months
    ),
    RuleKind.ROLE_SEPARATION: (
        Param("roles", Shape.ROLES, required=True, at_least=2),
        Param("scope", Shape.CHOICE, choices=SCOPES),
        Param("principle", Shape.TEXT, required=True),
    ),
    RuleKind.SINGLE_OWNER: (
        Param("parts", Shape.PARTS),
        Param("link_type", Shape.LINK_TYPE),
        Param("role", Shape.ROLE),
        Param("scope", Shape.CHOICE, choices=SCOPES),
    ),
    RuleKind.PERSON_SEPARATION: (
        Param("act", Shape.TEXT, required=True),
        Param("principle", Shape.TEXT, required=True),
        Param("scope", Shape.CHOICE, choices=SCOPES),
        Param("steps", Shape.TEXTS),
        Param("generic_steps", Shape.TEXTS),
        Param("not_performer_of", Shape.TEXTS),
        Param("not_call_party", Shape.TEXTS),
    ),
    RuleKind.ELEMENT_TYPE_FITS: (Param("parts", Shape.PARTS),),  # default: every part
    RuleKind.EXCLUSIVE_PARTS: (Param("parts", Shape.PARTS, required=True, at_least=2),),
    RuleKind.PARTS_LINKED: (
        Param("from", Shape.PART, required=True),
        Param("to", Shape.PARTS, required=True),
    ),
    RuleKind.PATH_EXPECTED: (Param("parts", Shape.PARTS, required=True, at_least=2),),
    RuleKind.ELEMENT_RELATED: (
        Param("parts", Shape.PARTS, required=True),
        Param("element_types", Shape.ELEMENT_TYPES, required=True),
    ),
    RuleKind.TYPES_PRESENT: (
        Param("parts", Shape.PARTS, required=True),
        Param("element_types", Shape.ELEMENT_TYPES, required=True, at_least=2),
    ),
    RuleKind.CHAIN_COVERED: (
        Param("what", Shape.CHOICE, required=True, choices=("agreement", "interface")),
    ),
    # The steps of an order of thinking (USM §11.5), first to last.
    RuleKind.PARTS_IN_ORDER: (
        Param("parts", Shape.PARTS, required=True, at_least=2),
        Param("scope", Shape.CHOICE, choices=SCOPES),
    ),
    RuleKind.ANSWERS_WITHIN: (
        # Which answers are checked: the subject's elements of these types that
        # answer one of ``parts`` (default: any part of the library).
        Param("element_types", Shape.ELEMENT_TYPES, required=True),
        Param("parts", Shape.PARTS),
        # Where each of them must lie: it answers one of these parts itself, or a
        # related element does (a variant or a local filling of it).
        Param("within", Shape.PARTS, required=True),
        Param("scope", Shape.CHOICE, choices=SCOPES),
    ),
}


def params_of(kind: str) -> dict[str, Param]:
    return {param.name: param for param in RULE_PARAMS.get(kind, ())}
