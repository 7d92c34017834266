"""What users attach to a call: files, and relations to other calls."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from stuurwiel.calls.choices import RelationKind


def _attachment_path(instance: CallAttachment, filename: str) -> str:
    # The stored name is never the uploaded one: no path tricks, no clashes; the
    # original name is kept in ``name`` and given back only as a download name.
    return f"calls/{instance.organisation_id}/{instance.call_id}/{instance.token}"


class CallAttachment(models.Model):
    """A file added to a call. Its size and type are checked when it is added
    (settings ``STUURWIEL_ATTACHMENT_MAX_BYTES`` and ``..._TYPES``); it is only
    ever served as a download, never inline. ``public`` as for comments: the
    requester sees only public attachments, a supplier only what was public or
    added by its own staff."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    call = models.ForeignKey("calls.Call", on_delete=models.CASCADE, related_name="attachments")
    token = models.CharField(max_length=40, unique=True, editable=False)
    file = models.FileField(_("file"), upload_to=_attachment_path, max_length=200)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64, editable=False)
    public = models.BooleanField(_("visible to the requester"), default=False)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_by_name = models.CharField(_("added by"), max_length=200)
    added_at = models.DateTimeField(_("added at"))

    class Meta:
        ordering = ["added_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        indexes = [models.Index(fields=["call", "added_at"], name="attachment_call")]

    def __str__(self) -> str:
        return self.name


class CallRelation(models.Model):
    """One call linked to another of the same organisation (related, a
    duplicate of, caused by), recorded once and shown on both calls."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    from_call = models.ForeignKey(
        "calls.Call", on_delete=models.CASCADE, related_name="relations_out"
    )
    to_call = models.ForeignKey("calls.Call", on_delete=models.CASCADE, related_name="relations_in")
    kind = models.CharField(_("relation"), max_length=20, choices=RelationKind.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_by_name = models.CharField(_("linked by"), max_length=200)
    created_at = models.DateTimeField(_("linked at"))

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("call relation")
        verbose_name_plural = _("call relations")
        constraints = [
            models.UniqueConstraint(
                fields=["from_call", "to_call", "kind"], name="call_relation_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(from_call=models.F("to_call")), name="call_relation_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_call_id} {self.kind} {self.to_call_id}"
