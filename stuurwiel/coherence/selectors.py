"""Reads of the coherence findings: a subject's, the count per part (for the
diagrams), and the management overview per subject × framework with its trend."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Max, QuerySet

from stuurwiel.coherence.choices import FindingOutcome, FindingStatus
from stuurwiel.coherence.models import Finding, FindingSnapshot
from stuurwiel.core import clock
from stuurwiel.graph.models import Subject
from stuurwiel.organisations import access

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
TOP_FINDINGS = 10
TREND_DAYS = 90


def open_findings(*, subject: Subject) -> list[Finding]:
    """The subject's open findings, most severe first, per framework in rule order."""
    rows = (
        Finding.objects.filter(subject=subject, status=FindingStatus.OPEN)
        .select_related("rule", "rule__framework", "part")
        .order_by("rule__framework__name_nl", "rule__order", "key")
    )
    return sorted(
        rows,
        key=lambda f: (f.outcome == FindingOutcome.UNCHECKED, SEVERITY_ORDER.get(f.severity, 3)),
    )


def open_counts_per_part(*, subject: Subject) -> dict[int, int]:
    """FrameworkPart pk → the subject's open findings on it (for the diagrams)."""
    rows = (
        Finding.objects.filter(subject=subject, status=FindingStatus.OPEN, part__isnull=False)
        .values("part_id")
        .annotate(n=Count("id"))
    )
    return {row["part_id"]: row["n"] for row in rows}


@dataclass
class Score:
    """One subject × framework: the latest snapshot and the earlier ones."""

    subject: Subject
    framework_name: str
    latest: FindingSnapshot
    earlier: FindingSnapshot | None = None
    points: list[int] = field(default_factory=list)  # scores over time, oldest first

    @property
    def change(self) -> int | None:
        if self.earlier is None or self.earlier.score is None or self.latest.score is None:
            return None
        return self.latest.score - self.earlier.score

    @property
    def open_count(self) -> int:
        return self.latest.errors + self.latest.warnings + self.latest.infos


def _latest_snapshots(subjects: QuerySet[Subject]) -> list[FindingSnapshot]:
    latest_days = (
        FindingSnapshot.objects.filter(subject__in=subjects)
        .values("subject_id", "framework_id")
        .annotate(day=Max("day"))
    )
    wanted = {(r["subject_id"], r["framework_id"], r["day"]) for r in latest_days}
    if not wanted:
        return []
    days = {day for _s, _f, day in wanted}
    rows = FindingSnapshot.objects.filter(subject__in=subjects, day__in=days).select_related(
        "subject", "framework"
    )
    return [row for row in rows if (row.subject_id, row.framework_id, row.day) in wanted]


def scores(*, organisation, member_access, since: date | None = None) -> list[Score]:
    """Per subject the member may see and per applied framework: the latest
    score, the score on or before ``since`` (the last review; default 30 days
    ago) and the scores of the last 90 days for a trend line."""
    today = clock.now().date()
    since = since or today - timedelta(days=30)
    subjects = access.restrict(Subject.objects.filter(organisation=organisation), member_access)
    latest = _latest_snapshots(subjects)
    history: dict[tuple[int, int], list[FindingSnapshot]] = defaultdict(list)
    for row in FindingSnapshot.objects.filter(
        subject__in=subjects, day__gte=today - timedelta(days=TREND_DAYS)
    ).order_by("day"):
        history[(row.subject_id, row.framework_id)].append(row)
    result = []
    for row in latest:
        past = history.get((row.subject_id, row.framework_id), [])
        earlier = next((s for s in reversed(past) if s.day <= since), None)
        result.append(
            Score(
                subject=row.subject,
                framework_name=str(row.framework.name),
                latest=row,
                earlier=earlier,
                points=[s.score for s in past if s.score is not None],
            )
        )
    return sorted(
        result,
        key=lambda s: (s.latest.score if s.latest.score is not None else 101, s.subject.name),
    )


def top_findings(*, organisation, member_access, limit: int = TOP_FINDINGS) -> list[Finding]:
    """The open findings that matter most across the subjects the member sees:
    errors before warnings before information, the longest open first."""
    subjects = access.restrict(Subject.objects.filter(organisation=organisation), member_access)
    rows = (
        Finding.objects.filter(
            organisation=organisation,
            status=FindingStatus.OPEN,
            outcome=FindingOutcome.FAILED,
            subject__in=subjects,
        )
        .select_related("rule", "rule__framework", "subject", "part")
        .order_by("opened_at", "pk")
    )
    found: list[Finding] = []
    for severity in ("error", "warning", "info"):
        found.extend(rows.filter(severity=severity)[: limit - len(found)])
        if len(found) >= limit:
            break
    return found


@dataclass
class Changes:
    opened: int
    resolved: int
    opened_rows: list[Finding]
    resolved_rows: list[Finding]


def changes_since(*, organisation, member_access, since) -> Changes:
    """What opened and what was resolved since ``since`` (a datetime)."""
    subjects = access.restrict(Subject.objects.filter(organisation=organisation), member_access)
    base = Finding.objects.filter(organisation=organisation, subject__in=subjects).select_related(
        "rule", "rule__framework", "subject", "part"
    )
    opened = base.filter(opened_at__gte=since, status=FindingStatus.OPEN).order_by("-opened_at")
    resolved = base.filter(resolved_at__gte=since).order_by("-resolved_at")
    return Changes(opened.count(), resolved.count(), list(opened[:10]), list(resolved[:10]))
