"""Who may take a transition: the role guards and the library's separation rules.

Every guard returns :class:`Blocker` rows instead of raising, so one answer can list
all reasons a transition is blocked. The rules are the USM library's
(``person_separation`` with ``act: perform_step``, and ``role_separation`` rules
scoped to a call or a service); an organisation may relax a named rule for a link,
which :class:`Facts` carries in ``relaxed``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from stuurwiel.workflow.definition import Definition, Rule, Step

# Blocker kinds.
ROLE = "role"
RULE = "rule"
ASSIGNMENT = "assignment"

# Principles of the role_separation rules the engine enforces on a call.
COORDINATORS_DO_NOT_EXECUTE = "coordinators_do_not_execute"
MANAGERS_DO_NOT_EXECUTE = "managers_do_not_execute"


@dataclass(frozen=True)
class Blocker:
    """One reason a transition is not allowed: a role the actor lacks, an
    assignment to someone else, or a separation rule (with its reference)."""

    kind: str
    code: str
    text: Any  # a lazy translation, or {"nl": …, "en": …} from the library
    rule: str = ""
    role: str = ""

    @property
    def message(self) -> str:
        """The explanation in the active language."""
        if isinstance(self.text, dict):
            english = (get_language() or "nl").startswith("en")
            return self.text["en"] if english else self.text["nl"]
        return str(self.text)

    def as_data(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "code": self.code,
            "rule": self.rule,
            "role": self.role,
            "message": self.message,
        }


@dataclass(frozen=True)
class Facts:
    """What the guards need to know about the call and the actor.

    ``performed`` maps a step reference to the users who performed it on this call;
    ``coordinators`` are the users who coordinate the call (its workflow coordinator
    and the team coordinators who assigned its work); ``manages_service``: the actor
    holds a management role for the call's service or owns it.
    """

    actor: int | None
    may_work: bool = False
    may_evaluate: bool = False
    is_requester: bool = False
    requester: int | None = None
    assigned: int | None = None
    in_link: bool = True
    coordinators: frozenset[int] = frozenset()
    manages_service: bool = False
    performed: dict[str, frozenset[int]] = field(default_factory=dict)
    relaxed: frozenset[str] = frozenset()


def _blocker_for(rule: Rule, code: str) -> Blocker:
    return Blocker(RULE, code, {"nl": rule.message_nl, "en": rule.message_en}, rule=rule.ref)


def _step_matches(rule: Rule, step: Step) -> bool:
    params = rule.params
    return step.ref in (params.get("steps") or ()) or step.generic in (
        params.get("generic_steps") or ()
    )


def _person_rule_blocks(rule: Rule, step: Step, facts: Facts) -> bool:
    params = rule.params
    earlier = params.get("not_performer_of") or ()
    if "*" in earlier:
        others = {
            user for ref, users in facts.performed.items() if ref != step.ref for user in users
        }
    else:
        others = {user for ref in earlier for user in facts.performed.get(ref, frozenset())}
    if facts.actor in others:
        return True
    parties = params.get("not_call_party") or ()
    return "requester" in parties and facts.actor is not None and facts.actor == facts.requester


def _separation(definition: Definition, step: Step, facts: Facts) -> list[Blocker]:
    blockers = []
    for rule in definition.rules:
        if rule.ref in facts.relaxed:
            continue
        params = rule.params
        if rule.kind == "person_separation" and params.get("act") == "perform_step":
            if _step_matches(rule, step) and _person_rule_blocks(rule, step, facts):
                blockers.append(_blocker_for(rule, "own_work"))
        elif rule.kind == "role_separation":
            principle = params.get("principle")
            if principle == COORDINATORS_DO_NOT_EXECUTE and params.get("scope") == "call":
                if facts.actor in facts.coordinators:
                    blockers.append(_blocker_for(rule, "coordinator_executes"))
            elif principle == MANAGERS_DO_NOT_EXECUTE and facts.manages_service:
                blockers.append(_blocker_for(rule, "manager_executes"))
    # Two coordinator rules (workflow and team coordinator) say the same to one actor.
    unique: dict[str, Blocker] = {}
    for blocker in blockers:
        unique.setdefault(blocker.code, blocker)
    return list(unique.values())


_NOT_WORKER = Blocker(
    ROLE,
    "not_operator",
    _("Only an operator of a link of this service carries out steps."),
    role="operator",
)
_NOT_EVALUATOR = Blocker(
    ROLE,
    "not_evaluator",
    _("Evaluation is done by an operator or the workflow manager of this service."),
    role="operator",
)
_OTHER_ASSIGNEE = Blocker(
    ASSIGNMENT,
    "assigned_to_other",
    _("This step is assigned to another operator."),
)
_OUTSIDE_LINK = Blocker(
    ASSIGNMENT,
    "outside_link",
    _("This step lies with another link of the chain."),
)
_NOT_REQUESTER = Blocker(
    ROLE,
    "not_requester",
    _("Only the requester, or an operator on the requester's behalf, confirms or reopens."),
    role="requester",
)


def guard_step(definition: Definition, step: Step, transition: str, facts: Facts) -> list[Blocker]:
    """Every reason the actor of ``facts`` may not take ``transition`` at ``step``."""
    from stuurwiel.workflow.definition import EVALUATE

    if transition in ("confirm", "reopen"):
        return [] if facts.is_requester or facts.may_work else [_NOT_REQUESTER]
    blockers: list[Blocker] = []
    if step.generic == EVALUATE:
        if not (facts.may_work or facts.may_evaluate):
            blockers.append(_NOT_EVALUATOR)
    elif not facts.may_work:
        blockers.append(_NOT_WORKER)
    if facts.assigned is not None and facts.assigned != facts.actor:
        blockers.append(_OTHER_ASSIGNEE)
    elif facts.assigned is None and not facts.in_link and step.generic != EVALUATE:
        blockers.append(_OUTSIDE_LINK)
    blockers.extend(_separation(definition, step, facts))
    return blockers
