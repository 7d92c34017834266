"""Writes of the notifications: the organisation's switches, and sending the
outbox (the background job's work)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F

from stuurwiel.changelog.choices import ChangeAction
from stuurwiel.changelog.services import change_record
from stuurwiel.core import clock
from stuurwiel.core.exceptions import ConflictError
from stuurwiel.notifications.choices import NotificationKind, NotificationStatus
from stuurwiel.notifications.models import (
    Notification,
    NotificationSetting,
    NotificationSettingsVersion,
)

logger = logging.getLogger("stuurwiel.notifications")

#: Sending is given up after this many attempts (the row stays failed, in the log).
MAX_ATTEMPTS = 5
BATCH = 200


def retry_pause(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th attempt: 5, 10, 20, 40 minutes."""
    return timedelta(minutes=5 * 2 ** max(attempts - 1, 0))


def _settings_version_locked(organisation) -> NotificationSettingsVersion:
    """The organisation's settings version row, locked for this transaction."""
    NotificationSettingsVersion.objects.get_or_create(organisation=organisation)
    return NotificationSettingsVersion.objects.select_for_update().get(organisation=organisation)


@transaction.atomic
def notification_settings_set(
    *, organisation, enabled: dict[str, bool], by, version: int | None = None
) -> list[str]:
    """Switch kinds on or off for ``organisation``; the kinds that changed (each
    change is in the change log). With ``version`` (what the writer read), a
    :class:`~stuurwiel.core.exceptions.ConflictError` if the switches changed since;
    any change moves the version on."""
    stored = _settings_version_locked(organisation)
    if version is not None and version != stored.version:
        raise ConflictError(stored.version)
    current = {
        row.kind: row for row in NotificationSetting.objects.filter(organisation=organisation)
    }
    changed = []
    for kind in NotificationKind.values:
        if kind not in enabled:
            continue
        row = current.get(kind)
        was = row.enabled if row is not None else True
        if enabled[kind] == was:
            continue
        if row is None:
            row = NotificationSetting(organisation=organisation, kind=kind)
        row.enabled = bool(enabled[kind])
        row.save()
        change_record(
            instance=row,
            action=ChangeAction.UPDATE,
            by=by,
            before={"kind": kind, "enabled": was},
            after={"kind": kind, "enabled": row.enabled},
        )
        changed.append(kind)
    if changed:
        # The row is locked, but the UPDATE still names the version read: on SQLite
        # (no row locks) a writer that read the same version in parallel loses here.
        moved = NotificationSettingsVersion.objects.filter(
            pk=stored.pk, version=stored.version
        ).update(version=F("version") + 1)
        if not moved:
            raise ConflictError(stored.version + 1)
    return changed


@dataclass(frozen=True)
class SendReport:
    sent: int
    failed: int


def _claim(row: Notification, now: datetime) -> bool:
    """Take this attempt: of two senders only one moves ``attempts`` on. The next
    attempt is planned now, so a sender that dies mid-way is retried later."""
    attempts = row.attempts + 1
    return bool(
        Notification.objects.filter(pk=row.pk, attempts=row.attempts, status=row.status).update(
            attempts=attempts, next_attempt_at=now + retry_pause(attempts)
        )
    )


def notifications_send(*, now: datetime | None = None, limit: int = BATCH) -> SendReport:
    """Send the waiting notifications and retry the failed ones that are due,
    with Django's e-mail backend; each row records its outcome."""
    now = now or clock.now()
    due = Notification.objects.filter(
        status__in=(NotificationStatus.PENDING, NotificationStatus.FAILED),
        attempts__lt=MAX_ATTEMPTS,
        next_attempt_at__lte=now,
    ).order_by("next_attempt_at", "id")[:limit]
    sent = failed = 0
    for row in list(due):
        if not _claim(row, now):
            continue
        try:
            send_mail(row.subject, row.body, None, [row.recipient_email])
        except Exception as error:  # any backend error: recorded, retried later
            logger.warning("notification %s to %s failed: %s", row.pk, row.recipient_email, error)
            Notification.objects.filter(pk=row.pk).update(
                status=NotificationStatus.FAILED, error=str(error)[:2000] or repr(error)
            )
            failed += 1
        else:
            Notification.objects.filter(pk=row.pk).update(
                status=NotificationStatus.SENT, sent_at=now, error=""
            )
            sent += 1
    return SendReport(sent, failed)
