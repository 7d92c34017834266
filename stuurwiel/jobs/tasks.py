"""The background jobs of the platform itself (the periodic ones are scheduled in
:mod:`stuurwiel.jobs.schedule`). Each job is safe to run twice."""

from __future__ import annotations

from datetime import timedelta

from stuurwiel.jobs.limits import job_limit
from stuurwiel.jobs.runner import jobs_prune, task


# A sweep takes seconds; one still "running" after 5 minutes died with its worker
# (the next minute's run catches up, so no retry).
@job_limit(timeout=timedelta(minutes=5))
@task()
def clock_sweep_job() -> dict:
    """Every minute: the call clocks up to now, and their 75 % / 100 % warnings
    recorded on the calls (which notify the coordinators)."""
    from stuurwiel.calls.warnings import clock_sweep_and_warn

    sweep, warnings = clock_sweep_and_warn()
    return {
        "ticking": sweep.ticking,
        "recomputed_calls": sweep.recomputed_calls,
        "warned_75": warnings.warned_75,
        "warned_100": warnings.warned_100,
    }


@task()
def jobs_prune_job() -> int:
    """Daily: forget finished jobs older than ``STUURWIEL_JOBS_KEEP_DAYS``."""
    return jobs_prune()
