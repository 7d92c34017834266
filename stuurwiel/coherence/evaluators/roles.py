"""Rules about who holds which role: separation of roles, one owner, and the
person-separation rules the engines enforce (found only where relaxed)."""

from __future__ import annotations

from stuurwiel.coherence.evaluators.base import Case, Draft, Result, evaluator, is_service
from stuurwiel.core.touch import Touched
from stuurwiel.frameworks.choices import RuleKind


def _relaxed(case: Case, result: Result) -> None:
    """The organisation's active relaxations of this rule for a team on the
    subject's chain: a standing finding each (USM: recorded, never silent)."""
    chain = case.facts.chains.get(case.subject.id)
    if chain is None:
        return
    teams = set(chain.link_teams.values())
    result.checks += 1
    for rule_ref, team_id, relaxation_id in case.facts.relaxations:
        if rule_ref == case.rule.ref_id and team_id in teams:
            result.fail(
                Draft(
                    f"relaxed:{relaxation_id}",
                    {"relaxation": relaxation_id, "team": team_id},
                )
            )


@evaluator(RuleKind.ROLE_SEPARATION, reads={Touched.ROLES, Touched.CHAINS})
def role_separation(case: Case) -> Result:
    """Nobody holds the first role together with one of the others for the
    subject (scoped or organisation-wide). On a call (scope ``call``) the
    workflow engine refuses the combination per call; what is left to find
    there is the organisation's relaxation of the rule."""
    result = Result()
    scope = case.params.get("scope", "service")
    if scope in ("service", "call") and not is_service(case):
        return result
    if scope == "call":
        _relaxed(case, result)
        return result
    first, *others = case.params.get("roles", ())
    holders = case.facts.holders(case.subject.id, first)
    for other in others:
        result.checks += 1
        for membership_id in sorted(holders & case.facts.holders(case.subject.id, other)):
            result.fail(
                Draft(
                    f"member:{membership_id}:{other}",
                    {"member": membership_id, "roles": [first, other]},
                )
            )
    return result


@evaluator(RuleKind.PERSON_SEPARATION, reads={Touched.CHAINS})
def person_separation(case: Case) -> Result:
    """Enforced by the engines on every act; a finding is the organisation's
    decision to relax it for a team of the subject's chain."""
    result = Result()
    _relaxed(case, result)
    return result


@evaluator(RuleKind.SINGLE_OWNER, reads={Touched.ROLES, Touched.CHAINS, Touched.SUBJECT})
def single_owner(case: Case) -> Result:
    """Exactly one owner: with ``role``, one member holds it for the subject (a
    designed service's own owner counts as that one when nobody holds it);
    without, the subject names its owner."""
    result = Result()
    role = case.params.get("role")
    if case.params.get("scope") == "service" and not is_service(case):
        return result
    result.checks += 1
    if role:
        holders = sorted(case.facts.holders(case.subject.id, role))
        chain = case.facts.chains.get(case.subject.id)
        owned = chain is not None and chain.owner_id is not None
        if len(holders) > 1:
            result.fail(Draft("owners", {"members": holders, "role": role, "count": len(holders)}))
        elif not holders and not owned:
            result.fail(Draft("owners", {"members": [], "role": role, "count": 0}))
        return result
    if case.subject.owner_id is None:
        result.fail(Draft("owners", {"members": [], "count": 0}))
    return result
