"""A job whose worker died: the next worker round finds it past its allowed time,
marks it failed and, while its task allows retries, runs it again."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django_tasks_db.models import DBTaskResult

from stuurwiel.core import clock
from stuurwiel.jobs.limits import DEFAULT_TIMEOUT, job_limit, jobs_expire_overdue, limit_for
from stuurwiel.jobs.runner import task, worker_loop
from stuurwiel.jobs.tasks import clock_sweep_job

pytestmark = pytest.mark.django_db


@task()
def plain(number: int) -> int:
    return number + 1


@job_limit(timeout=timedelta(minutes=2), retries=1)
@task()
def quick_with_one_retry(number: int) -> int:
    return number * 3


def _started_by_a_worker_that_died(job, *args) -> DBTaskResult:
    """Enqueue ``job`` and claim it as a worker does, then never run it."""
    result = job.enqueue(*args)
    row = DBTaskResult.objects.get(pk=result.id)
    row.claim("worker-that-died")
    return row


def test_a_task_without_a_limit_of_its_own_gets_the_default_of_15_minutes():
    assert limit_for(plain.module_path).timeout == DEFAULT_TIMEOUT == timedelta(minutes=15)
    assert limit_for(plain.module_path).retries == 0
    assert limit_for(clock_sweep_job.module_path).timeout == timedelta(minutes=5)


def test_a_running_job_within_its_time_is_left_alone():
    row = _started_by_a_worker_that_died(plain, 1)
    with clock.at(row.started_at + timedelta(minutes=14)):
        worker_loop([], once=True)
    row.refresh_from_db()
    assert row.status == "RUNNING"


def test_a_job_whose_worker_died_is_marked_failed_by_the_next_round_and_not_retried():
    row = _started_by_a_worker_that_died(plain, 1)
    later = row.started_at + timedelta(minutes=16)
    with clock.at(later):
        assert worker_loop([], once=True) == 0  # nothing to run again
    row.refresh_from_db()
    assert row.status == "FAILED"
    assert row.finished_at == later
    assert row.exception_class_path == "stuurwiel.jobs.limits.JobTimedOut"
    assert "ran longer than 0:15:00" in row.traceback
    assert DBTaskResult.objects.count() == 1


def test_a_task_that_allows_a_retry_runs_again_after_its_own_shorter_timeout():
    row = _started_by_a_worker_that_died(quick_with_one_retry, 5)
    with clock.at(row.started_at + timedelta(minutes=1)):
        assert jobs_expire_overdue() == []
    with clock.at(row.started_at + timedelta(minutes=3)):
        assert worker_loop([], once=True) == 1  # the retry, run in the same round
    row.refresh_from_db()
    assert row.status == "FAILED"
    retry = DBTaskResult.objects.exclude(pk=row.pk).get()
    assert retry.status == "SUCCESSFUL"
    assert retry.return_value == 15
    assert retry.task_path == row.task_path
    assert retry.worker_ids[0] == "worker-that-died" and len(retry.worker_ids) == 2


def test_the_retries_run_out():
    first = _started_by_a_worker_that_died(quick_with_one_retry, 1)
    with clock.at(first.started_at + timedelta(minutes=3)):
        jobs_expire_overdue()
    second = DBTaskResult.objects.get(status="READY")
    second.claim("second-worker-that-died")
    with clock.at(second.started_at + timedelta(minutes=3)):
        assert jobs_expire_overdue() == [str(second.pk)]
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"FAILED"}
    assert DBTaskResult.objects.count() == 2


def test_a_second_worker_reaping_after_the_first_fails_and_retries_nothing_more():
    row = _started_by_a_worker_that_died(quick_with_one_retry, 2)
    with clock.at(row.started_at + timedelta(minutes=3)):
        assert jobs_expire_overdue() == [str(row.pk)]
        assert jobs_expire_overdue() == []
    assert DBTaskResult.objects.filter(status="READY").count() == 1


def test_a_job_that_finished_is_never_touched():
    plain.enqueue(1)
    worker_loop([], once=True)
    row = DBTaskResult.objects.get()
    with clock.at(row.started_at + timedelta(days=1)):
        assert jobs_expire_overdue() == []
    row.refresh_from_db()
    assert row.status == "SUCCESSFUL"


def test_a_worker_that_read_the_job_before_it_finished_does_not_fail_it():
    """The guard is the conditional UPDATE: a stale copy of the row loses."""
    from stuurwiel.jobs.limits import _fail_timed_out

    stale = _started_by_a_worker_that_died(plain, 1)
    DBTaskResult.objects.filter(pk=stale.pk).update(status="SUCCESSFUL")
    assert _fail_timed_out(stale, limit_for(plain.module_path), clock.now()) is False
    assert DBTaskResult.objects.get(pk=stale.pk).status == "SUCCESSFUL"
