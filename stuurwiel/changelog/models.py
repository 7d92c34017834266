from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from stuurwiel.changelog.choices import SOURCE_SUFFIX, ChangeAction, ChangeSource


class ChangeLogEntry(models.Model):
    """Who changed what, when and why: one row per create, update or delete.

    ``before`` and ``after`` hold the logged field values (JSON); an update keeps
    only the fields that changed. ``object_repr`` survives deletion of the object,
    so the trail stays readable ("besluiten zijn herleidbaar").

    Built for millions of rows per organisation: every entry of one request,
    command or background job shares a ``correlation_id``; a part's entries can
    name the whole they belong to (``parent_*``, e.g. a call for its steps); the
    indexes below serve the feed, its filters and an object's history in the
    order they are read (newest first), so no page sorts or counts the log.
    """

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="changes",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        db_index=False,  # the feed indexes below lead with it
    )
    timestamp = models.DateTimeField(_("when"), auto_now_add=True)
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
    correlation_id = models.UUIDField(_("correlation id"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=10, choices=ChangeAction.choices)
    content_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("object type"),
        db_index=False,  # changelog_object leads with it
    )
    object_id = models.PositiveBigIntegerField(_("object id"))
    object_repr = models.CharField(_("object"), max_length=300)
    parent_content_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("part of (type)"),
        db_index=False,  # changelog_parent leads with it
    )
    parent_object_id = models.PositiveBigIntegerField(_("part of (id)"), null=True, blank=True)
    before = models.JSONField(_("before"), default=dict, blank=True)
    after = models.JSONField(_("after"), default=dict, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-timestamp", "-id"]
        verbose_name = _("change")
        verbose_name_plural = _("changes")
        indexes = [
            models.Index(fields=["organisation", "-timestamp", "-id"], name="changelog_feed"),
            models.Index(
                fields=["organisation", "actor", "-timestamp", "-id"], name="changelog_feed_actor"
            ),
            models.Index(
                fields=["organisation", "content_type", "-timestamp", "-id"],
                name="changelog_feed_type",
            ),
            models.Index(fields=["content_type", "object_id", "-id"], name="changelog_object"),
            models.Index(
                fields=["parent_content_type", "parent_object_id", "-id"],
                name="changelog_parent",
            ),
            models.Index(fields=["correlation_id"], name="changelog_correlation"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_repr}"

    @property
    def changed_fields(self) -> list[tuple[str, object, object]]:
        keys = sorted(set(self.before) | set(self.after))
        return [(k, self.before.get(k), self.after.get(k)) for k in keys]

    @property
    def type_name(self) -> str:
        """The object's kind in the reader's language ("element", "persoon")."""
        model = self.content_type.model_class()
        return str(model._meta.verbose_name) if model else self.content_type.model

    @property
    def actor_display(self) -> str:
        """The actor as people know them: a person's name, or the name a command or
        job ran under with where it ran ("Demo (opdrachtregel)", "Systeem (taak)")."""
        name = self.actor_repr or _gettext("System")
        suffix = SOURCE_SUFFIX.get(self.source)
        if suffix is None:
            return name
        return _gettext("{name} ({source})").format(name=name, source=suffix)
