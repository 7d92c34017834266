"""The job runner: Django's tasks API (the ``django-tasks`` backport on Django
5.2, ``django.tasks`` from Django 6) on the database backend (``django-tasks-db``):
the jobs wait as rows in the database, so no broker and no extra server are needed.

- :func:`enqueue_on_commit`: enqueue a job once the current transaction commits
  (a rolled-back write enqueues nothing; outside a transaction: at once).
- :func:`periodic_enqueue_due`: the periodic jobs are data (``(task, every N
  seconds)``, :data:`stuurwiel.jobs.schedule.PERIODIC`); a worker enqueues one when
  it is due. One :class:`~stuurwiel.jobs.models.PeriodicSchedule` row per job and a
  conditional UPDATE make sure two workers never enqueue the same run twice.
- :func:`run_pending_jobs`: run every job that is ready, with the database
  backend's own worker (tests and the command line use it; so does the loop).
- :func:`jobs_prune`: forget finished jobs older than N days (a periodic job).
- :func:`worker_loop`: what ``stuurwiel worker`` runs until it is stopped.

Limits: a job runs at least once, not exactly once; the jobs here are written to be
safe to repeat. A worker killed while a job runs leaves it marked running until
a later round finds it past its allowed time (:mod:`stuurwiel.jobs.limits`): then
it is marked failed and, if its task allows, enqueued again.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import connections, transaction
from django.utils.crypto import get_random_string

from stuurwiel.core import clock
from stuurwiel.jobs.limits import jobs_expire_overdue
from stuurwiel.jobs.models import PeriodicSchedule

try:  # Django 6 has the tasks API built in; Django 5.2 takes the backport.
    from django.tasks import task  # type: ignore[import-not-found,unused-ignore]
except ImportError:  # pragma: no cover - which branch runs depends on Django
    from django_tasks import task  # type: ignore[no-redef,unused-ignore]

logger = logging.getLogger("stuurwiel.jobs")

__all__ = [
    "enqueue_on_commit",
    "jobs_expire_overdue",
    "jobs_prune",
    "periodic_enqueue_due",
    "run_pending_jobs",
    "task",
    "worker_loop",
]

Periodic = tuple[Any, int]  # (a task, every so many seconds)


def enqueue_on_commit(job: Any, *args: Any) -> None:
    """Enqueue ``job(*args)`` after the current transaction commits."""
    transaction.on_commit(functools.partial(job.enqueue, *args))


def periodic_enqueue_due(schedule: Sequence[Periodic], *, now=None) -> list[str]:
    """Enqueue every periodic job of ``schedule`` that is due; the names enqueued.

    A job seen for the first time is due at once. The UPDATE that moves its next
    run on only matches while the row is still due, so of two workers at the same
    moment exactly one gets a row count of 1 and enqueues it."""
    now = now or clock.now()
    enqueued = []
    for job, every in schedule:
        name = job.module_path
        PeriodicSchedule.objects.get_or_create(
            name=name, defaults={"every_seconds": every, "next_run_at": now}
        )
        with transaction.atomic():
            won = PeriodicSchedule.objects.filter(name=name, next_run_at__lte=now).update(
                next_run_at=now + timedelta(seconds=every),
                every_seconds=every,
                last_enqueued_at=now,
            )
            if won:
                job.enqueue()
                enqueued.append(name)
    return enqueued


def run_pending_jobs(*, backend: str = "default", max_jobs: int | None = None) -> int:
    """Run the jobs that are ready now, one after the other; the number run
    (failed ones included). Each is claimed and run as the database backend's own
    worker does (its row locked with SKIP LOCKED, so workers share the queue) and
    run by that worker's ``run_task``, which records success or failure."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult
    from django_tasks_db.utils import exclusive_transaction

    worker_id = get_random_string(32)
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name=backend,
        startup_delay=False,
        max_tasks=max_jobs,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
    ran = 0
    while max_jobs is None or ran < max_jobs:
        ready = DBTaskResult.objects.ready().filter(backend_name=backend)
        with exclusive_transaction(ready.db):
            job = ready.get_locked()
            if job is not None:
                job.claim(worker_id)
        if job is None:
            return ran
        worker.run_task(job)
        ran += 1
    return ran


def jobs_prune(*, days: int | None = None, now=None) -> int:
    """Delete the finished (succeeded or failed) jobs older than ``days``
    (``STUURWIEL_JOBS_KEEP_DAYS``); the number deleted."""
    from django_tasks_db.models import DBTaskResult

    days = settings.STUURWIEL_JOBS_KEEP_DAYS if days is None else days
    cutoff = (now or clock.now()) - timedelta(days=days)
    deleted, _ = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    return deleted


def _fresh_connections() -> None:
    """As a request does: drop a connection the database closed or that is too
    old, so the next query reconnects (never one inside a transaction)."""
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close_if_unusable_or_obsolete()


class _Stop:
    """Ctrl+C or SIGTERM: finish the running job, then stop; while idle, at once."""

    def __init__(self) -> None:
        self.asked = False
        self.idle = False

    def __call__(self, signum, frame) -> None:
        self.asked = True
        if self.idle:
            raise SystemExit(0)


def worker_loop(
    schedule: Sequence[Periodic],
    *,
    interval: float = 1.0,
    once: bool = False,
    report: Callable[[str], None] | None = None,
) -> int:
    """Enqueue due periodic jobs and run what is ready, every ``interval``
    seconds, until stopped (``once``: one round); the number of jobs run."""
    import signal

    stop = _Stop()
    if not once:
        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
    ran = 0
    while True:
        _fresh_connections()
        jobs_expire_overdue()
        due = periodic_enqueue_due(schedule)
        done = run_pending_jobs()
        ran += done
        if report and (due or done):
            report(f"enqueued {len(due)} periodic, ran {done} job(s)")
        if once or stop.asked:
            return ran
        stop.idle = True
        time.sleep(interval)
        stop.idle = False
