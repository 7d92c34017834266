"""The nightly full evaluation: every organisation, today's snapshots written,
scheduled once a day, and safe to run twice."""

import pytest
from django.utils import timezone

from stuurwiel.coherence.models import Finding, FindingSnapshot
from stuurwiel.coherence.tasks import coherence_evaluate_job
from stuurwiel.jobs.limits import limit_for
from stuurwiel.jobs.schedule import PERIODIC
from stuurwiel.organisations.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_subjects(make_rule, proef, subject, org_b, admin_b):
    from stuurwiel.graph import services

    make_rule("part_answered", severity="error", parts=["doel"])
    services.subject_create(
        organisation=org_b,
        by=admin_b,
        data={"name": "Onderwerp van Beta", "kind": "capability", "frameworks": [proef.framework]},
    )
    # Writes evaluate incrementally; start from nothing to see what the job does.
    Finding.objects.all().delete()
    FindingSnapshot.objects.all().delete()
    return subject


def test_the_job_evaluates_every_organisation_and_writes_todays_snapshots(two_subjects):
    result = coherence_evaluate_job.call()
    assert result == {"organisations": Organisation.objects.count(), "open_findings": 2}
    today = timezone.localdate()
    rows = FindingSnapshot.objects.filter(day=today)
    assert {row.organisation.slug for row in rows} == {"alfa", "beta"}
    assert all(row.checks == 1 and row.errors == 1 for row in rows)


def test_running_it_twice_changes_nothing(two_subjects):
    coherence_evaluate_job.call()
    findings = list(Finding.objects.values_list("pk", "status", "opened_at"))
    coherence_evaluate_job.call()
    assert list(Finding.objects.values_list("pk", "status", "opened_at")) == findings
    assert FindingSnapshot.objects.count() == 2


def test_one_failing_organisation_does_not_stop_the_others(two_subjects, monkeypatch):
    from stuurwiel.coherence import services

    real = services.coherence_evaluate

    def failing(*, organisation, now=None):
        if organisation.slug == "alfa":
            raise RuntimeError("kapot")
        return real(organisation=organisation, now=now)

    monkeypatch.setattr(services, "coherence_evaluate", failing)
    with pytest.raises(RuntimeError, match="alfa"):
        coherence_evaluate_job.call()
    assert FindingSnapshot.objects.filter(organisation__slug="beta").count() == 1


def test_the_job_runs_daily_with_its_own_limit():
    assert (coherence_evaluate_job, 24 * 3600) in PERIODIC
    limit = limit_for(coherence_evaluate_job.module_path)
    assert limit.timeout.total_seconds() == 3600 and limit.retries == 1
