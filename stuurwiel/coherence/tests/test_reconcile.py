"""Reconciling compares a finding's reasoning by its digest: a changed reasoning
under the same key updates the finding (and its digest); an unchanged one is
not written. A write that says what it touched runs only the rules reading it,
and today's snapshot still counts every rule."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stuurwiel.coherence.choices import FindingStatus
from stuurwiel.coherence.models import Finding, FindingSnapshot, reasoning_digest
from stuurwiel.coherence.services import coherence_evaluate, findings_refresh
from stuurwiel.core.touch import Touched

pytestmark = pytest.mark.django_db


def _finding_writes(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries.captured_queries
        if '"coherence_finding"' in q["sql"]
        and q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT", "DELETE"))
    ]


def test_a_changed_reasoning_under_the_same_key_updates_the_finding_and_its_digest(
    make_rule, proef, subject, element, org_a
):
    rule = make_rule("part_answered", parts=["doel"])
    coherence_evaluate(organisation=org_a)
    finding = Finding.objects.get(rule=rule, status=FindingStatus.OPEN)
    assert finding.reasoning["misfits"] == []
    assert finding.digest == reasoning_digest(finding.reasoning)
    before = finding.digest
    misfit = element("Een proces", "process", proef.doel)  # same key, new reasoning
    finding.refresh_from_db()
    assert finding.status == FindingStatus.OPEN
    assert finding.reasoning["misfits"] == [misfit.pk]
    assert finding.digest == reasoning_digest(finding.reasoning) != before
    assert Finding.objects.filter(rule=rule).count() == 1  # updated, not reopened


def test_an_unchanged_reasoning_writes_no_finding(make_rule, proef, subject, element, org_a):
    make_rule("part_answered", parts=["doel", "resultaat"])
    make_rule("element_type_fits")
    element("Een proces", "process", proef.doel)
    coherence_evaluate(organisation=org_a)
    with CaptureQueriesContext(connection) as queries:
        report = coherence_evaluate(organisation=org_a)
    assert (report.opened, report.resolved, report.updated) == (0, 0, 0)
    assert report.open_total == 3
    assert _finding_writes(queries) == []
    # A stored digest that no longer matches (say, one left empty) is written once.
    Finding.objects.filter(organisation=org_a).update(digest="")
    with CaptureQueriesContext(connection) as queries:
        report = coherence_evaluate(organisation=org_a)
    assert report.updated == 3 and len(_finding_writes(queries)) == 1
    assert all(
        row.digest == reasoning_digest(row.reasoning)
        for row in Finding.objects.filter(organisation=org_a)
    )


def _snapshots(subject):
    return list(
        FindingSnapshot.objects.filter(subject=subject).values_list(
            "framework_id", "checks", "passed", "errors", "warnings", "infos", "unchecked"
        )
    )


def test_a_touch_of_roles_runs_only_the_rules_reading_roles_and_keeps_the_snapshot_whole(
    make_rule, proef, subject, element, org_a
):
    make_rule("part_answered", parts=["doel", "resultaat"])
    make_rule("single_owner", severity="error")
    make_rule("cadence_due", parts=["doel"])
    element("Doel", "goal", proef.doel)
    coherence_evaluate(organisation=org_a)
    whole = _snapshots(subject)
    report = findings_refresh(
        organisation=org_a, subject_ids=[subject.pk], touched=frozenset({Touched.ROLES})
    )
    assert report.rules_run == 1  # single_owner only
    assert _snapshots(subject) == whole
    # Nothing a rule reads: nothing runs, nothing is written.
    with CaptureQueriesContext(connection) as queries:
        report = findings_refresh(
            organisation=org_a, subject_ids=[subject.pk], touched=frozenset({Touched.REVIEWS})
        )
    assert report.rules_run == 1  # cadence_due
    assert _finding_writes(queries) == []
    assert _snapshots(subject) == whole


def test_a_subject_without_todays_snapshot_has_all_its_rules_run(make_rule, proef, subject, org_a):
    make_rule("part_answered", parts=["doel"])
    make_rule("single_owner")
    coherence_evaluate(organisation=org_a)
    FindingSnapshot.objects.filter(subject=subject).delete()
    report = findings_refresh(
        organisation=org_a, subject_ids=[subject.pk], touched=frozenset({Touched.ROLES})
    )
    assert report.rules_run == 2
    assert _snapshots(subject) != []
