"""One small evaluator per rule kind. Each reads the rule's parameters (declared
in :mod:`stuurwiel.frameworks.rulekinds`), one subject and the loaded facts, and
returns how many checks it made and a draft per failing thing. Evaluators write
nothing; :mod:`stuurwiel.coherence.engine` turns drafts into findings.

A rule whose scope is ``service`` or ``call`` applies only to a subject that is a
designed service; a check that cannot be made (no cadence given, no service)
becomes an "unchecked" draft saying why, never a silent pass.
"""

from stuurwiel.coherence.evaluators import chain, links, parts, roles  # noqa: F401  (registers)
from stuurwiel.coherence.evaluators.base import EVALUATORS, Draft, Result

__all__ = ["EVALUATORS", "Draft", "Result"]
