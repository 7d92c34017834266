"""The coherence engine's background job: every night, the full evaluation of
every organisation (cadence rules move with the date; incremental evaluation
after each write keeps the rest current), which writes the day's snapshots
the trends are drawn from. Registered in :mod:`stuurwiel.jobs.schedule`."""

from __future__ import annotations

import logging
from datetime import timedelta

from stuurwiel.jobs.limits import job_limit
from stuurwiel.jobs.runner import task

logger = logging.getLogger(__name__)


# A full evaluation of 100,000 elements takes seconds; one still "running" after
# an hour died with its worker. Retried once: the job is safe to repeat (the
# findings are reconciled, the day's snapshot replaced).
@job_limit(timeout=timedelta(hours=1), retries=1)
@task()
def coherence_evaluate_job() -> dict:
    """Daily: every organisation's findings and today's snapshots, each
    organisation in its own transaction (one failing does not stop the others)."""
    from stuurwiel.coherence.services import coherence_evaluate
    from stuurwiel.organisations.models import Organisation

    done: dict[str, int] = {}
    failed: list[str] = []
    for organisation in Organisation.objects.order_by("pk"):
        try:
            report = coherence_evaluate(organisation=organisation)
        except Exception:  # logged; the other organisations still get their evaluation
            logger.exception("coherence evaluation of %s failed", organisation.slug)
            failed.append(organisation.slug)
            continue
        done[organisation.slug] = report.open_total
    if failed:
        raise RuntimeError("coherence evaluation failed for: " + ", ".join(failed))
    return {"organisations": len(done), "open_findings": sum(done.values())}
