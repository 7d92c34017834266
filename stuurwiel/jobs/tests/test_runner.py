"""The job runner: enqueueing after the commit, the periodic guard, pruning, and
the worker's own code path running the real periodic jobs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from stuurwiel.core import clock
from stuurwiel.jobs.models import PeriodicSchedule
from stuurwiel.jobs.runner import (
    enqueue_on_commit,
    jobs_prune,
    periodic_enqueue_due,
    run_pending_jobs,
    task,
    worker_loop,
)
from stuurwiel.jobs.schedule import PERIODIC
from stuurwiel.jobs.tasks import clock_sweep_job

pytestmark = pytest.mark.django_db


@task()
def double(number: int) -> int:
    return number * 2


@task()
def broken() -> None:
    raise RuntimeError("this job fails on purpose")


class Boom(Exception):
    pass


def test_a_job_enqueued_in_a_transaction_waits_for_the_commit_and_then_runs(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        enqueue_on_commit(double, 21)
        assert not DBTaskResult.objects.exists()  # not before the commit
    assert DBTaskResult.objects.count() == 1
    assert run_pending_jobs() == 1
    job = DBTaskResult.objects.get()
    assert job.status == "SUCCESSFUL"
    assert job.return_value == 42


def test_a_rolled_back_transaction_enqueues_nothing(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Boom),
        transaction.atomic(),
    ):
        enqueue_on_commit(double, 1)
        raise Boom
    assert callbacks == []
    assert not DBTaskResult.objects.exists()
    assert run_pending_jobs() == 0


def test_a_failing_job_is_recorded_as_failed_and_the_others_still_run():
    broken.enqueue()
    double.enqueue(2)
    assert run_pending_jobs() == 2
    statuses = dict(DBTaskResult.objects.values_list("task_path", "status"))
    assert statuses[broken.module_path] == "FAILED"
    assert statuses[double.module_path] == "SUCCESSFUL"


def test_a_periodic_job_is_enqueued_once_per_period_however_often_workers_look():
    now = clock.now()
    schedule = [(double, 60)]
    assert periodic_enqueue_due(schedule, now=now) == [double.module_path]
    # A second worker at the same moment (or a little later) finds it not due.
    assert periodic_enqueue_due(schedule, now=now) == []
    assert periodic_enqueue_due(schedule, now=now + timedelta(seconds=59)) == []
    assert DBTaskResult.objects.count() == 1
    assert periodic_enqueue_due(schedule, now=now + timedelta(seconds=60)) == [double.module_path]
    assert DBTaskResult.objects.count() == 2
    row = PeriodicSchedule.objects.get(name=double.module_path)
    assert row.next_run_at == now + timedelta(seconds=120)


def test_the_guard_is_the_conditional_update_on_the_schedule_row():
    """A worker that read the row as due but lost the race enqueues nothing: the
    UPDATE it runs only matches a row that is still due."""
    now = clock.now()
    PeriodicSchedule.objects.create(
        name=double.module_path, every_seconds=60, next_run_at=now + timedelta(seconds=30)
    )
    assert periodic_enqueue_due([(double, 60)], now=now) == []
    assert not DBTaskResult.objects.exists()


def test_pruning_forgets_finished_jobs_older_than_the_limit_only():
    for number in (1, 2):
        double.enqueue(number)
    run_pending_jobs()
    waiting = double.enqueue(3)
    old, recent = DBTaskResult.objects.filter(status="SUCCESSFUL").order_by("enqueued_at")
    DBTaskResult.objects.filter(pk=old.pk).update(finished_at=clock.now() - timedelta(days=15))
    assert jobs_prune(days=14) == 1
    left = set(DBTaskResult.objects.values_list("pk", flat=True))
    assert left == {recent.pk, DBTaskResult.objects.get(pk=waiting.id).pk}


def test_one_round_of_the_worker_runs_every_periodic_job_for_real():
    ran = worker_loop(PERIODIC, once=True)
    assert ran == len(PERIODIC)
    jobs = DBTaskResult.objects.all()
    assert {job.task_path for job in jobs} == {job.module_path for job, _ in PERIODIC}
    assert all(job.status == "SUCCESSFUL" for job in jobs), [j.traceback for j in jobs]
    sweep = jobs.get(task_path=clock_sweep_job.module_path)
    assert set(sweep.return_value) == {"ticking", "recomputed_calls", "warned_75", "warned_100"}
    assert worker_loop(PERIODIC, once=True) == 0  # nothing is due again yet


def test_the_worker_command_runs_one_round_with_once(capsys):
    call_command("worker", "--once")
    assert f"ran {len(PERIODIC)} job(s)" in capsys.readouterr().out
