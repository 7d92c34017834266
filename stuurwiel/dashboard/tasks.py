"""The dashboard's background job (scheduled in :mod:`stuurwiel.jobs.schedule`)."""

from __future__ import annotations

from datetime import timedelta

from stuurwiel.jobs.limits import job_limit
from stuurwiel.jobs.runner import task


# A roll-up of the days touched in a minute takes well under a second; one still
# "running" after 5 minutes died with its worker (the next minute's catches up).
@job_limit(timeout=timedelta(minutes=5))
@task()
def dashboard_rollup_job() -> dict:
    """Every minute: the dashboard's daily figures of the days written since the
    last roll-up, for every organisation."""
    from stuurwiel.dashboard.rollup import dashboard_rollup_all

    reports = dashboard_rollup_all()
    return {report.organisation: report.days for report in reports}
