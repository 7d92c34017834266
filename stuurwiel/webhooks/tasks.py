"""The webhooks' background job: send the deliveries that are due. Enqueued after
each write that queued one (so a supplier hears at once), and run periodically for
the retries with back-off."""

from __future__ import annotations

from stuurwiel.jobs.runner import task


@task()
def webhook_deliveries_job() -> int:
    from stuurwiel.webhooks.services import webhook_deliveries_due

    return webhook_deliveries_due()
