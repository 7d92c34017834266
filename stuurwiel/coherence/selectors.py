"""Reads of the coherence findings: a subject's, the count per part (for the
diagrams), and the management overview per subject × framework with its trend
(drawn as a sparkline), the last review, and the services' chain performance
(read from the dashboard's norm figures, not computed twice)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Max, QuerySet

from stuurwiel.coherence.choices import FindingOutcome, FindingStatus
from stuurwiel.coherence.models import CoherenceReview, Finding, FindingSnapshot
from stuurwiel.core import clock
from stuurwiel.dashboard import selectors as dashboard_selectors
from stuurwiel.graph.models import Subject
from stuurwiel.organisations import access

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
TOP_FINDINGS = 10
TREND_DAYS = 90


def open_findings(*, subject: Subject) -> list[Finding]:
    """The subject's open findings, most severe first, per framework in rule order."""
    rows = (
        Finding.objects.filter(subject=subject, status=FindingStatus.OPEN)
        .select_related("rule", "rule__framework", "subject", "subject__owner", "part")
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

    @property
    def spark(self) -> Sparkline | None:
        return sparkline(self.points)


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


#: The most findings of one subject among the top ones, so the list spans the organisation.
TOP_PER_SUBJECT = 2


def top_findings(*, organisation, member_access, limit: int = TOP_FINDINGS) -> list[Finding]:
    """The open findings that matter most across the subjects the member sees:
    errors before warnings before information; within a severity the subjects
    take turns, the longest open first, with at most :data:`TOP_PER_SUBJECT`
    each while other subjects have some (a draft service's to-do list must not
    hide every other subject)."""
    subjects = access.restrict(Subject.objects.filter(organisation=organisation), member_access)
    rows = (
        Finding.objects.filter(
            organisation=organisation,
            status=FindingStatus.OPEN,
            outcome=FindingOutcome.FAILED,
            subject__in=subjects,
        )
        .select_related("rule", "rule__framework", "subject", "subject__owner", "part")
        .order_by("opened_at", "pk")
    )
    # A bounded read per severity (one query each); within a severity the subjects
    # take turns, each with at most TOP_PER_SUBJECT, so the list spans the organisation.
    found: list[Finding] = []
    rest: list[Finding] = []  # beyond a subject's share: fills up when few subjects have any
    per_subject: dict[int, int] = defaultdict(int)
    for severity in ("error", "warning", "info"):
        queues: dict[int, list[Finding]] = defaultdict(list)
        for finding in rows.filter(severity=severity)[: limit * 10]:
            queues[finding.subject_id].append(finding)
        while queues and len(found) < limit:
            for subject_id in list(queues):
                queue = queues[subject_id]
                if not queue or per_subject[subject_id] >= TOP_PER_SUBJECT:
                    rest.extend(queues.pop(subject_id))
                    continue
                found.append(queue.pop(0))
                per_subject[subject_id] += 1
                if len(found) >= limit:
                    break
    found += rest[: limit - len(found)]
    return sorted(found, key=lambda f: SEVERITY_ORDER.get(f.severity, 3))


@dataclass
class Changes:
    opened: int
    resolved: int
    opened_rows: list[Finding]
    resolved_rows: list[Finding]


def changes_since(*, organisation, member_access, since) -> Changes:
    """What opened since ``since`` (a datetime) and is still open, and what was
    open then and has been resolved since. A finding that opened and closed
    again in between (while content was being entered) is no change to report."""
    subjects = access.restrict(Subject.objects.filter(organisation=organisation), member_access)
    base = Finding.objects.filter(organisation=organisation, subject__in=subjects).select_related(
        "rule", "rule__framework", "subject", "subject__owner", "part"
    )
    opened = base.filter(opened_at__gte=since, status=FindingStatus.OPEN).order_by("-opened_at")
    resolved = base.filter(resolved_at__gte=since, opened_at__lt=since).order_by("-resolved_at")
    return Changes(opened.count(), resolved.count(), list(opened[:10]), list(resolved[:10]))


def last_review(*, organisation) -> CoherenceReview | None:
    """The organisation's latest coherence review, if one was marked."""
    return (
        CoherenceReview.objects.filter(organisation=organisation)
        .select_related("reviewed_by")
        .first()
    )


@dataclass
class Sparkline:
    """A score's trend as the points of a small SVG polyline (0–100 % high)."""

    points: str
    last_x: float
    last_y: float
    first: int
    last: int
    count: int


SPARK_WIDTH, SPARK_HEIGHT = 96, 24


def sparkline(values: list[int]) -> Sparkline | None:
    """The polyline of ``values`` (per cent, oldest first) in
    :data:`SPARK_WIDTH` × :data:`SPARK_HEIGHT`, higher scores higher up; None for
    fewer than two values (no trend to draw). The height spans the values' own
    range with at least 20 points (a sparkline shows the course; the figures
    beside it and its title say where it stands)."""
    if len(values) < 2:
        return None
    low, high = float(min(values)), float(max(values))
    if high - low < 20:
        middle = (high + low) / 2
        low, high = max(0, middle - 10), min(100, middle + 10)
        if high - low < 20:
            low, high = (0.0, 20.0) if low == 0 else (80.0, 100.0)
    step = (SPARK_WIDTH - 4) / (len(values) - 1)
    span = SPARK_HEIGHT - 6
    coords = [
        (round(2 + i * step, 1), round(3 + span * (high - v) / (high - low), 1))
        for i, v in enumerate(values)
    ]
    return Sparkline(
        points=" ".join(f"{x},{y}" for x, y in coords),
        last_x=coords[-1][0],
        last_y=coords[-1][1],
        first=values[0],
        last=values[-1],
        count=len(values),
    )


@dataclass
class ChainPerformance:
    """One service's chain (SA) clocks since ``start``: per norm kind the share met."""

    service: str
    rows: list = field(default_factory=list)  # dashboard NormRow of the chain


def chain_performance(*, organisation, member_access, start, end) -> list[ChainPerformance]:
    """Per service the member's dashboard reaches, the chain's own figures (the
    SA clocks: met, breached, running per norm kind) from the dashboard's norm
    selector; empty where no calls ran or the member has no dashboard."""
    figures = dashboard_selectors.norms(
        organisation=organisation, member_access=member_access, start=start, end=end
    )
    per_service: dict[str, ChainPerformance] = {}
    for row in figures.chain():
        per_service.setdefault(row.service, ChainPerformance(service=row.service)).rows.append(row)
    return sorted(per_service.values(), key=lambda c: c.service)
