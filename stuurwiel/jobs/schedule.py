"""The periodic jobs, as data: ``(task, every so many seconds)``. The worker
enqueues each when it is due (:func:`stuurwiel.jobs.runner.periodic_enqueue_due`)."""

from __future__ import annotations

from stuurwiel.coherence.tasks import coherence_evaluate_job
from stuurwiel.dashboard.tasks import dashboard_rollup_job
from stuurwiel.jobs.tasks import clock_sweep_job, jobs_prune_job
from stuurwiel.notifications.tasks import notifications_send_job
from stuurwiel.webhooks.tasks import webhook_deliveries_job

PERIODIC = [
    (clock_sweep_job, 60),
    (dashboard_rollup_job, 60),  # the management dashboard's daily figures
    (notifications_send_job, 300),  # retries of failed e-mails
    (webhook_deliveries_job, 15),  # retries of webhooks (the first back-off step is 5 s)
    (jobs_prune_job, 24 * 3600),
    (coherence_evaluate_job, 24 * 3600),  # cadence rules move with the date; daily snapshots
]
