from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from stuurwiel.changelog.choices import ChangeAction, ChangeSource


class ChangeLogEntry(models.Model):
    """Who changed what, when and why: one row per create, update or delete.

    ``before`` and ``after`` hold the logged field values (JSON); an update keeps
    only the fields that changed. ``object_repr`` survives deletion of the object,
    so the trail stays readable ("besluiten zijn herleidbaar").
    """

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="changes",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
    )
    timestamp = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    actor_repr = models.CharField(_("who"), max_length=150, blank=True)
    source = models.CharField(
        _("source"), max_length=20, choices=ChangeSource.choices, default=ChangeSource.SYSTEM
    )
    action = models.CharField(_("action"), max_length=10, choices=ChangeAction.choices)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("object type")
    )
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=300)
    before = models.JSONField(_("before"), default=dict, blank=True)
    after = models.JSONField(_("after"), default=dict, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-timestamp", "-id"]
        verbose_name = _("change")
        verbose_name_plural = _("changes")
        indexes = [
            models.Index(fields=["organisation", "-timestamp"], name="changelog_org_time"),
            models.Index(fields=["content_type", "object_id"], name="changelog_object"),
            models.Index(fields=["organisation", "actor"], name="changelog_org_actor"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_repr}"

    @property
    def changed_fields(self) -> list[tuple[str, object, object]]:
        keys = sorted(set(self.before) | set(self.after))
        return [(k, self.before.get(k), self.after.get(k)) for k in keys]
