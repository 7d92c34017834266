"""The base every organisation-owned domain model stands on."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class OrganisationOwnedModel(models.Model):
    """Abstract base: belongs to one organisation, carries timestamps and an
    optimistic-lock ``version`` that every update must quote (see
    :func:`stuurwiel.organisations.writes.object_update`).

    ``clean()`` refuses references to objects of another organisation, so a
    crafted form or API payload cannot link across tenants.
    """

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("organisation"),
        editable=False,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    # Fields left out of the change log (they change on every write anyway).
    changelog_exclude: tuple[str, ...] = ("created_at", "updated_at", "version")
    # URL namespace of the app that shows this model; set by each model.
    url_namespace: str = ""
    # First part of its URL names (``<prefix>_detail``); the model name if not set.
    url_prefix: str = ""

    class Meta:
        abstract = True

    def get_absolute_url(self) -> str:
        return self._url("detail")

    def clean(self) -> None:
        super().clean()
        errors = {}
        for field in self._meta.concrete_fields:
            if not field.is_relation or field.name == "organisation":
                continue
            related = getattr(self, field.name, None)
            owner_id = getattr(related, "organisation_id", None)
            if related is not None and owner_id is not None and owner_id != self.organisation_id:
                errors[field.name] = _("Choose an object of your own organisation.")
        if errors:
            raise ValidationError(errors)

    def _url(self, action: str) -> str:
        name = f"{self.url_namespace}:{self.url_prefix or self._meta.model_name}_{action}"
        return reverse(name, kwargs={"org": self.organisation.slug, "pk": self.pk})

    def get_edit_url(self) -> str:
        return self._url("edit")

    def get_delete_url(self) -> str:
        return self._url("delete")

    def get_history_url(self) -> str:
        return self._url("history")
