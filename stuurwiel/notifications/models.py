"""E-mail notifications: the per-organisation switches and the outbox."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from stuurwiel.notifications.choices import NotificationKind, NotificationStatus


class NotificationSetting(models.Model):
    """Whether an organisation sends one kind of notification; a kind without a
    row is on (so a new organisation notifies from the start)."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=NotificationKind.choices)
    enabled = models.BooleanField(_("on"), default=True)

    class Meta:
        ordering = ["organisation", "kind"]
        verbose_name = _("notification setting")
        verbose_name_plural = _("notification settings")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind"], name="notificationsetting_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.kind}: {'on' if self.enabled else 'off'}"


class NotificationSettingsVersion(models.Model):
    """The optimistic-lock version of an organisation's switches taken as a whole
    (the API's ``version``/``ETag``): it moves on with every change of any kind,
    so a writer quoting an older version gets a conflict. No row: version 1."""

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("notification settings version")
        verbose_name_plural = _("notification settings versions")

    def __str__(self) -> str:
        return f"{self.organisation_id}: v{self.version}"


class Notification(models.Model):
    """One e-mail to one recipient (the outbox): written in the transaction of
    the event it is about, sent by a background job after the commit, retried
    with a growing pause when sending fails."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    call = models.ForeignKey(
        "calls.Call", on_delete=models.CASCADE, related_name="+", verbose_name=_("call")
    )
    event = models.ForeignKey(
        "calls.CallEvent", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=NotificationKind.choices)
    recipient_email = models.CharField(_("recipient"), max_length=254)
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    language = models.CharField(_("language"), max_length=10)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=NotificationStatus.choices,
        default=NotificationStatus.PENDING,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("created at"))
    next_attempt_at = models.DateTimeField(_("next attempt at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(
                fields=["organisation", "-created_at", "-id"], name="notification_org_new"
            ),
            models.Index(fields=["status", "next_attempt_at"], name="notification_due"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_email} ({self.status})"
