"""Reads of the change log."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from stuurwiel.changelog.models import ChangeLogEntry


def changes_for_object(instance) -> QuerySet[ChangeLogEntry]:
    return ChangeLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=True),
        object_id=str(instance.pk),
        organisation_id=getattr(instance, "organisation_id", None),
    ).select_related("actor")


def changes_for_organisation(*, organisation) -> QuerySet[ChangeLogEntry]:
    return ChangeLogEntry.objects.filter(organisation=organisation).select_related(
        "actor", "content_type"
    )
