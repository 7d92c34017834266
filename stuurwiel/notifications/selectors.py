"""Reads of the notifications: the switches and the recent log."""

from __future__ import annotations

from django.db.models import QuerySet

from stuurwiel.notifications.choices import NotificationKind
from stuurwiel.notifications.models import (
    Notification,
    NotificationSetting,
    NotificationSettingsVersion,
)


def kinds_enabled(organisation) -> dict[str, bool]:
    """Every kind, on unless the organisation switched it off."""
    stored = dict(
        NotificationSetting.objects.filter(organisation=organisation).values_list("kind", "enabled")
    )
    return {kind: stored.get(kind, True) for kind in NotificationKind.values}


def settings_version(organisation) -> int:
    """The version of the organisation's switches (1 until the first change)."""
    stored = (
        NotificationSettingsVersion.objects.filter(organisation=organisation)
        .values_list("version", flat=True)
        .first()
    )
    return stored or 1


def recent_notifications(organisation, *, limit: int = 50) -> QuerySet[Notification]:
    """The organisation's latest notifications, newest first, with their call."""
    return (
        Notification.objects.filter(organisation=organisation)
        .select_related("call")
        .order_by("-created_at", "-id")[:limit]
    )
