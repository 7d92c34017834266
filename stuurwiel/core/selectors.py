"""Reads shared by every app."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from stuurwiel.core.models import OrganisationOwnedModel


@dataclass(frozen=True)
class Consequence:
    """Objects of one kind that a delete takes along or leaves without a reference."""

    label: str  # the kind, singular or plural by count
    field: str  # the reference they hold, e.g. "owner"
    count: int
    deleted: bool  # True: deleted along; False: their reference is cleared


def delete_consequences(instance: models.Model) -> list[Consequence]:
    """What deleting ``instance`` does to the organisation's other objects, counted
    per kind and reference: deleted along (CASCADE) or left without it (SET_NULL).
    One count query per reference, whatever the numbers."""
    found = []
    for relation in instance._meta.related_objects:
        model = relation.related_model
        if relation.many_to_many or not (
            isinstance(model, type) and issubclass(model, OrganisationOwnedModel)
        ):
            continue
        if relation.on_delete not in (models.CASCADE, models.SET_NULL):
            continue
        count = model._default_manager.filter(**{relation.field.name: instance}).count()
        if count:
            meta = model._meta
            found.append(
                Consequence(
                    label=str(meta.verbose_name if count == 1 else meta.verbose_name_plural),
                    field=str(relation.field.verbose_name),
                    count=count,
                    deleted=relation.on_delete is models.CASCADE,
                )
            )
    return found
