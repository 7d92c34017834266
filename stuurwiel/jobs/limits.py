"""How long a job may run, and how often it is tried again when it dies.

A worker that is killed (or whose machine stops) while it runs a job leaves the
job's row marked *running*; nothing else would ever finish it. So each task has
an allowed running time (:data:`DEFAULT_TIMEOUT` unless it declares its own with
:func:`job_limit`). The next worker round (:func:`jobs_expire_overdue`) marks a
job that has run longer than that as failed, with :class:`JobTimedOut` as its
error, and enqueues it again while its retries last.

Limits: this is a timeout, not a heartbeat: a job that is still alive but slower
than its allowed time is treated as dead too (and may then run twice; the jobs
here are written to be safe to repeat). Give slow tasks a longer timeout.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import transaction

from stuurwiel.core import clock

logger = logging.getLogger("stuurwiel.jobs")

DEFAULT_TIMEOUT = timedelta(minutes=15)


class JobTimedOut(Exception):
    """Recorded as the error of a job that ran longer than its allowed time."""


@dataclass(frozen=True)
class JobLimit:
    """A task's allowed running time and how many times a dead run is retried."""

    timeout: timedelta = DEFAULT_TIMEOUT
    retries: int = 0


_LIMITS: dict[str, JobLimit] = {}


def job_limit(*, timeout: timedelta = DEFAULT_TIMEOUT, retries: int = 0) -> Callable[[Any], Any]:
    """Declare a task's limit; put it above ``@task()``::

    @job_limit(timeout=timedelta(minutes=5), retries=2)
    @task()
    def clock_sweep_job(): ...
    """
    if timeout <= timedelta(0) or retries < 0:
        raise ValueError("a job limit needs a positive timeout and zero or more retries")

    def register(job: Any) -> Any:
        _LIMITS[job.module_path] = JobLimit(timeout=timeout, retries=retries)
        return job

    return register


def limit_for(task_path: str) -> JobLimit:
    """The limit of the task at ``task_path`` (the default if it declares none)."""
    return _LIMITS.get(task_path, JobLimit())


def _shortest_timeout() -> timedelta:
    return min([DEFAULT_TIMEOUT, *(limit.timeout for limit in _LIMITS.values())])


def jobs_expire_overdue(*, now=None) -> list[str]:
    """Mark every job running longer than its allowed time as failed, and enqueue
    a new run of it if its task allows another attempt; the ids of the failed jobs.

    The attempts are counted by the worker ids a job's runs have collected (each
    claim adds one; a retry starts with the ids of the run it replaces). The
    UPDATE only matches a row that is still running, so of two workers reaping at
    once exactly one fails (and retries) each job."""
    from django_tasks_db.models import DBTaskResult

    now = now or clock.now()
    overdue = DBTaskResult.objects.running().filter(started_at__lt=now - _shortest_timeout())
    expired = []
    for job in overdue:
        limit = limit_for(job.task_path)
        if job.started_at is None or job.started_at >= now - limit.timeout:
            continue
        attempts = len(job.worker_ids)
        retried = attempts <= limit.retries
        with transaction.atomic():  # failed and its retry enqueued, or neither
            if not _fail_timed_out(job, limit, now):
                continue
            if retried:
                _enqueue_again(job)
        expired.append(str(job.pk))
        logger.warning(
            "job %s (%s) timed out after attempt %d; %s",
            job.pk,
            job.task_path,
            attempts,
            "enqueued again" if retried else "no retries left",
        )
    return expired


def _fail_timed_out(job: Any, limit: JobLimit, now) -> bool:
    """Mark ``job`` failed with :class:`JobTimedOut` if it is still running; won?"""
    from django_tasks_db.models import DBTaskResult

    error = f"{JobTimedOut.__module__}.{JobTimedOut.__qualname__}"
    message = (
        f"{error}: ran longer than {limit.timeout} (started "
        f"{job.started_at.isoformat()}); its worker is taken to be dead"
    )
    won = DBTaskResult.objects.filter(pk=job.pk, status="RUNNING").update(
        status="FAILED",
        finished_at=now,
        exception_class_path=error,
        traceback=message,
        return_value=None,
    )
    return bool(won)


def _enqueue_again(job: Any) -> None:
    """A fresh run of ``job`` (same task, arguments, queue and priority), carrying
    the worker ids of the earlier runs so its attempts keep counting."""
    from django_tasks_db.models import DBTaskResult, get_date_max

    DBTaskResult.objects.create(
        task_path=job.task_path,
        args_kwargs=job.args_kwargs,
        priority=job.priority,
        queue_name=job.queue_name,
        backend_name=job.backend_name,
        run_after=get_date_max(),
        worker_ids=list(job.worker_ids),
        exception_class_path="",
        traceback="",
    )
