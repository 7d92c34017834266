"""Findings of the coherence engine: where a rule a framework library declares
does not hold for one of the organisation's subjects, with the reasoning, and
their history per day so trends can be shown.

A finding is identified by (subject, rule, key): the key names what fails — a
part (``part:12``), an element (``element:345``), a pair (``pair:3-9``), a
person (``person:7``) or the subject itself (``subject``). Re-evaluating keeps
the row while the rule keeps failing for that key, and resolves it when it
holds, so "open since" and "resolved on" are facts, not recomputations.
"""

import hashlib
import json

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from stuurwiel.coherence.choices import FindingOutcome, FindingStatus
from stuurwiel.frameworks.choices import RuleSeverity

_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), default=str)


def reasoning_digest(reasoning: dict) -> str:
    """A short hash of a finding's reasoning (its canonical JSON): re-evaluating
    compares digests, so it never decodes the stored JSON of every open finding."""
    return hashlib.blake2b(_CANONICAL.encode(reasoning).encode(), digest_size=16).hexdigest()


class Finding(models.Model):
    """One rule failing (or not checkable) for one thing in one subject."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    subject = models.ForeignKey(
        "graph.Subject",
        on_delete=models.CASCADE,
        related_name="findings",
        verbose_name=_("subject"),
    )
    rule = models.ForeignKey(
        "frameworks.CoherenceRule",
        on_delete=models.CASCADE,
        related_name="findings",
        verbose_name=_("rule"),
    )
    # Denormalised from the rule, so counts per framework and severity are one index scan.
    framework = models.ForeignKey(
        "frameworks.Framework", on_delete=models.CASCADE, related_name="+"
    )
    severity = models.CharField(_("severity"), max_length=10, choices=RuleSeverity.choices)
    key = models.CharField(_("what fails"), max_length=60)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=FindingOutcome.choices, default=FindingOutcome.FAILED
    )
    part = models.ForeignKey(
        "frameworks.FrameworkPart",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("part"),
    )
    element = models.ForeignKey(
        "graph.Element",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="findings",
        verbose_name=_("element"),
    )
    # The evaluator's facts (element ids, parts, link type, counts): rendered into
    # words on reading (coherence/display.py), so the reasoning follows the language.
    reasoning = models.JSONField(_("reasoning"), default=dict)
    # reasoning_digest(reasoning), kept with it by the engine.
    digest = models.CharField(_("reasoning digest"), max_length=32, default="", editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=FindingStatus.choices, default=FindingStatus.OPEN
    )
    opened_at = models.DateTimeField(_("open since"))
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    access_scope = "subject"

    class Meta:
        ordering = ["subject", "rule__framework", "rule__order", "key"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "rule", "key"],
                condition=models.Q(status="open"),
                name="finding_one_open",
            )
        ]
        indexes = [
            models.Index(fields=["organisation", "status", "severity"], name="finding_org_open"),
            models.Index(fields=["subject", "status"], name="finding_subject_open"),
        ]

    def __str__(self) -> str:
        return f"{self.rule} ({self.key})"


class FindingSnapshot(models.Model):
    """Per subject × framework × day: how many of the rule's checks held and the
    open findings by severity, as the day's last evaluation left them. Trends and
    "what changed since the last review" are queries over these rows."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    subject = models.ForeignKey("graph.Subject", on_delete=models.CASCADE, related_name="+")
    framework = models.ForeignKey(
        "frameworks.Framework", on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField(_("day"))
    checks = models.PositiveIntegerField(_("checks"), default=0)
    passed = models.PositiveIntegerField(_("checks that hold"), default=0)
    errors = models.PositiveIntegerField(_("errors"), default=0)
    warnings = models.PositiveIntegerField(_("warnings"), default=0)
    infos = models.PositiveIntegerField(_("information"), default=0)
    unchecked = models.PositiveIntegerField(_("not checkable"), default=0)
    # Per rule of the framework (id as text): [checks, checks that hold, open
    # failures, open unchecked]. An evaluation of only some rules (a write that
    # touched only what those read) takes the other rules' figures from here.
    tally = models.JSONField(_("checks per rule"), default=dict, editable=False)

    class Meta:
        ordering = ["subject", "framework", "day"]
        verbose_name = _("coherence snapshot")
        verbose_name_plural = _("coherence snapshots")
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "framework", "day"], name="snapshot_one_per_day"
            )
        ]
        indexes = [models.Index(fields=["organisation", "day"], name="snapshot_org_day")]

    def __str__(self) -> str:
        return f"{self.subject_id}/{self.framework_id} {self.day}"

    @property
    def score(self) -> int | None:
        """The share of checks that hold, in per cent (None: nothing to check)."""
        return round(100 * self.passed / self.checks) if self.checks else None


class CoherenceReview(models.Model):
    """A manager's mark that the organisation's coherence was reviewed (in the
    board, the management team): the overview's "since the last review" starts
    here. A deliberate event, shared by everyone who reads the overview, rather
    than each member's last visit, which moves with every glance at the page."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-reviewed_at", "-pk"]
        verbose_name = _("coherence review")
        verbose_name_plural = _("coherence reviews")
        indexes = [models.Index(fields=["organisation", "-reviewed_at"], name="review_org_at")]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.reviewed_at:%Y-%m-%d %H:%M}"
