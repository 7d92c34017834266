"""The coherence engine: evaluate the rules of the frameworks applied to an
organisation's subjects and keep the findings and the day's snapshot current.

The model
    For each subject and each framework applied to it, every rule the framework's
    library declares is handed to the evaluator of its kind (one per kind,
    :mod:`stuurwiel.coherence.evaluators`), which reports its checks and a draft
    per failing thing. Drafts are reconciled with the subject's open findings by
    (rule, key): new ones open, gone ones resolve, changed reasoning is updated;
    an unchanged finding is not written. Then the day's snapshot per subject ×
    framework records checks, checks that hold and open findings by severity.

Full and incremental
    ``evaluate(organisation=…)`` reads the whole connected model in a fixed number
    of queries (:mod:`stuurwiel.coherence.facts`); ``evaluate(…, subject_ids=…)``
    reads only those subjects and what touches them, and reconciles only their
    findings. The writing services call the incremental form with the subjects a
    write touches (:func:`stuurwiel.coherence.services.findings_refresh`), so both
    forms give the same findings (a property test holds them to it).

Limits
    A rule that fails in its evaluator (a bug, a parameter it cannot read) becomes
    an "unchecked" finding saying so; the page never fails on it. Cadence rules
    depend on the date: the daily full evaluation (a periodic job) moves them on.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from stuurwiel.coherence.choices import FindingOutcome, FindingStatus
from stuurwiel.coherence.evaluators import EVALUATORS, Draft, Result
from stuurwiel.coherence.evaluators.base import Case
from stuurwiel.coherence.facts import Facts, load
from stuurwiel.coherence.models import Finding, FindingSnapshot
from stuurwiel.coherence.rulebook import Rulebook, RuleFact, rulebook
from stuurwiel.core import clock
from stuurwiel.graph.models import Subject

logger = logging.getLogger(__name__)

Key = tuple[int, int, str]  # (subject, rule, key)


@dataclass
class Report:
    subjects: int = 0
    rules_run: int = 0
    opened: int = 0
    resolved: int = 0
    updated: int = 0
    open_total: int = 0
    checks: int = 0
    passed: int = 0
    unchecked: int = 0
    timings: dict[str, float] = field(default_factory=dict)


@dataclass
class _Produced:
    rule: RuleFact
    draft: Draft


def _run(case: Case) -> Result:
    evaluator = EVALUATORS.get(case.rule.kind)
    if evaluator is None:
        return Result(drafts=[_unchecked("no_evaluator")])
    try:
        return evaluator(case)
    except Exception:  # a rule that cannot be evaluated says so; the page goes on
        logger.exception(
            "coherence rule %s failed on subject %s", case.rule.ref_id, case.subject.id
        )
        return Result(drafts=[_unchecked("failed")])


def _unchecked(why: str) -> Draft:
    return Draft("rule", {"why": why}, outcome=FindingOutcome.UNCHECKED)


def _evaluate_all(facts: Facts, book: Rulebook, report: Report):
    produced: dict[Key, _Produced] = {}
    stats: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0])
    for subject in facts.subjects.values():
        for framework_id in sorted(subject.framework_ids):
            for rule in book.rules.get(framework_id, ()):
                result = _run(Case(rule, subject, facts, book))
                report.rules_run += 1
                stat = stats[(subject.id, framework_id)]
                stat[0] += result.checks
                stat[1] += result.passed
                for draft in result.drafts:
                    produced[(subject.id, rule.id, draft.key)] = _Produced(rule, draft)
            stats.setdefault((subject.id, framework_id), [0, 0])
    return produced, stats


@transaction.atomic
def evaluate(*, organisation, subject_ids=None, now: datetime | None = None) -> Report:
    """Evaluate every subject of ``organisation`` (or only ``subject_ids``) and
    bring its findings and today's snapshots up to date."""
    now = now or clock.now()
    report = Report()
    if subject_ids is not None:
        subject_ids = sorted(set(subject_ids))
        if not subject_ids:
            return report
        # One evaluation per subject at a time: a second waits, then sees the first's rows.
        list(Subject.objects.select_for_update().filter(pk__in=subject_ids).values_list("pk"))
    book = rulebook()
    facts = load(organisation=organisation, now=now, subject_ids=subject_ids)
    report.subjects = len(facts.subjects)
    produced, stats = _evaluate_all(facts, book, report)
    full = subject_ids is None
    _reconcile(organisation, list(facts.subjects), produced, now, report, full=full)
    _snapshot(organisation, produced, stats, now, report, full=full)
    return report


def _reconcile(organisation, subject_ids, produced, now, report: Report, *, full: bool) -> None:
    open_rows = Finding.objects.filter(organisation=organisation, status=FindingStatus.OPEN)
    if not full:
        open_rows = open_rows.filter(subject_id__in=subject_ids)
    wanted = set(subject_ids)
    existing: dict[Key, tuple[int, dict, str]] = {}
    gone: list[int] = []
    for pk, subject_id, rule_id, key, reasoning, outcome in open_rows.values_list(
        "pk", "subject_id", "rule_id", "key", "reasoning", "outcome"
    ):
        if subject_id not in wanted:
            continue
        if (subject_id, rule_id, key) in produced:
            existing[(subject_id, rule_id, key)] = (pk, reasoning, outcome)
        else:
            gone.append(pk)
    for start in range(0, len(gone), 900):
        report.resolved += Finding.objects.filter(pk__in=gone[start : start + 900]).update(
            status=FindingStatus.RESOLVED, resolved_at=now
        )
    new, changed = [], []
    for (subject_id, rule_id, key), item in produced.items():
        draft = item.draft
        kept = existing.get((subject_id, rule_id, key))
        if kept is None:
            new.append(_finding(organisation, subject_id, item, now))
        elif kept[1] != draft.reasoning or kept[2] != draft.outcome:
            changed.append(Finding(pk=kept[0], reasoning=draft.reasoning, outcome=draft.outcome))
    Finding.objects.bulk_create(new, batch_size=500)
    Finding.objects.bulk_update(changed, ["reasoning", "outcome"], batch_size=500)
    report.opened, report.updated = len(new), len(changed)
    report.open_total = len(produced)


def _finding(organisation, subject_id: int, item: _Produced, now) -> Finding:
    draft = item.draft
    return Finding(
        organisation=organisation,
        subject_id=subject_id,
        rule_id=item.rule.id,
        framework_id=item.rule.framework_id,
        severity=item.rule.severity,
        key=draft.key,
        outcome=draft.outcome,
        part_id=draft.part_id,
        element_id=draft.element_id,
        reasoning=draft.reasoning,
        opened_at=now,
    )


def _snapshot(organisation, produced, stats, now, report: Report, *, full: bool) -> None:
    counts: dict[tuple[int, int], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for (subject_id, _rule, _key), item in produced.items():
        bucket = counts[(subject_id, item.rule.framework_id)]
        if item.draft.outcome == FindingOutcome.UNCHECKED:
            bucket["unchecked"] += 1
        else:
            bucket[item.rule.severity] += 1
    day = timezone.localdate(now)
    rows = []
    for (subject_id, framework_id), (checks, passed) in stats.items():
        bucket = counts[(subject_id, framework_id)]
        report.checks += checks
        report.passed += passed
        report.unchecked += bucket["unchecked"]
        rows.append(
            FindingSnapshot(
                organisation=organisation,
                subject_id=subject_id,
                framework_id=framework_id,
                day=day,
                checks=checks,
                passed=passed,
                errors=bucket["error"],
                warnings=bucket["warning"],
                infos=bucket["info"],
                unchecked=bucket["unchecked"],
            )
        )
    today = FindingSnapshot.objects.filter(organisation=organisation, day=day)
    if not full:
        today = today.filter(subject_id__in=sorted({subject for subject, _fw in stats}))
    today.delete()
    FindingSnapshot.objects.bulk_create(rows, batch_size=500)
