"""Reads of the change log."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from stuurwiel.changelog.models import ChangeLogEntry


def changes_for_object(instance) -> QuerySet[ChangeLogEntry]:
    entries = ChangeLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=True),
        object_id=str(instance.pk),
    )
    # Objects outside organisations (framework libraries) log without one.
    organisation_id = getattr(instance, "organisation_id", None)
    if organisation_id is None:
        entries = entries.filter(organisation__isnull=True)
    else:
        entries = entries.filter(organisation_id=organisation_id)
    return entries.select_related("actor")


def changes_for_organisation(*, organisation) -> QuerySet[ChangeLogEntry]:
    return ChangeLogEntry.objects.filter(organisation=organisation).select_related(
        "actor", "content_type"
    )
