"""The notifications' background job: send what waits in the outbox. Enqueued
after each write that notified someone, and run every five minutes for retries."""

from __future__ import annotations

from stuurwiel.jobs.runner import task
from stuurwiel.notifications.services import notifications_send


@task()
def notifications_send_job() -> dict:
    report = notifications_send()
    return {"sent": report.sent, "failed": report.failed}
