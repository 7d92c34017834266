"""Rules about a designed service's chain (the services app's links,
interfaces and agreements)."""

from __future__ import annotations

from stuurwiel.coherence.choices import FindingOutcome
from stuurwiel.coherence.evaluators.base import Case, Draft, Result, evaluator
from stuurwiel.core.touch import Touched
from stuurwiel.frameworks.choices import RuleKind


@evaluator(RuleKind.CHAIN_COVERED, reads={Touched.CHAINS, Touched.SUBJECT})
def chain_covered(case: Case) -> Result:
    """Every link of the service's chain has its agreement (OLA or UC) or takes
    part in an interface (USM §11: agreements and interfaces per link). A
    subject of kind service without a designed service cannot be checked."""
    result = Result()
    chain = case.facts.chains.get(case.subject.id)
    if chain is None:
        if case.subject.kind == "service":
            result.fail(Draft("service", {"why": "no_design"}, outcome=FindingOutcome.UNCHECKED))
        return result
    what = case.params.get("what")
    covered = chain.with_agreement if what == "agreement" else chain.with_interface
    for link_id in chain.links:
        result.checks += 1
        if link_id not in covered:
            result.fail(
                Draft(
                    f"link:{link_id}",
                    {"link": link_id, "name": chain.link_names.get(link_id, ""), "what": what},
                )
            )
    return result
