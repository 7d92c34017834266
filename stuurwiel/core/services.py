"""Shared write mechanics for organisation-owned objects.

Each app's ``services.py`` exposes ``<entity>_<verb>`` functions; they call these
helpers so that every write, from any entry point, is validated, atomic,
version-checked and recorded in the change log with the acting user.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models, transaction
from django.db.models import F
from django.db.models.deletion import ProtectedError as DjangoProtectedError
from django.db.models.deletion import RestrictedError
from django.utils.translation import gettext as _

from stuurwiel.changelog.choices import ChangeAction
from stuurwiel.changelog.services import (
    change_entry,
    change_record,
    change_records_insert,
    snapshot,
)
from stuurwiel.core.exceptions import ConflictError, ProtectedError
from stuurwiel.core.models import OrganisationOwnedModel

M = TypeVar("M", bound=OrganisationOwnedModel)


def _split_m2m(model: type[models.Model], data: dict[str, Any]) -> tuple[dict, dict]:
    m2m_names = {f.name for f in model._meta.many_to_many}
    plain = {k: v for k, v in data.items() if k not in m2m_names}
    m2m = {k: v for k, v in data.items() if k in m2m_names}
    return plain, m2m


@transaction.atomic
def object_create(
    *, model: type[M], organisation: Any, by: Any, data: dict[str, Any], reason: str = ""
) -> M:
    plain, m2m = _split_m2m(model, data)
    instance = model(organisation=organisation, **plain)
    instance.full_clean()
    instance.save()
    for name, values in m2m.items():
        getattr(instance, name).set(values)
    change_record(
        instance=instance,
        action=ChangeAction.CREATE,
        by=by,
        after=snapshot(instance),
        reason=reason,
    )
    return instance


@transaction.atomic
def object_update(
    *, instance: M, by: Any, data: dict[str, Any], version: int | None, reason: str = ""
) -> M:
    """Apply ``data`` if the stored version still equals ``version``.

    The version check and bump happen in one conditional UPDATE, so of two
    concurrent editors exactly one wins and the other gets :class:`ConflictError`.
    """
    model = type(instance)
    fresh = model.objects.select_for_update().get(pk=instance.pk)
    if version is None or int(version) != fresh.version:
        raise ConflictError(fresh.version)
    before = snapshot(fresh)
    plain, m2m = _split_m2m(model, data)
    for name, value in plain.items():
        setattr(fresh, name, value)
    fresh.full_clean()
    updated = model.objects.filter(pk=fresh.pk, version=fresh.version).update(
        version=F("version") + 1
    )
    if not updated:
        raise ConflictError(model.objects.get(pk=fresh.pk).version)
    fresh.version += 1
    fresh.save()
    for name, values in m2m.items():
        getattr(fresh, name).set(values)
    change_record(
        instance=fresh,
        action=ChangeAction.UPDATE,
        by=by,
        before=before,
        after=snapshot(fresh),
        reason=reason,
    )
    return fresh


@transaction.atomic
def object_delete(*, instance: M, by: Any, version: int | None = None, reason: str = "") -> None:
    model = type(instance)
    fresh = model.objects.select_for_update().get(pk=instance.pk)
    if version is not None and int(version) != fresh.version:
        raise ConflictError(fresh.version)
    before = snapshot(fresh)
    pk = fresh.pk
    detached = _references_to_clear(fresh)
    try:
        _clear_references(detached, instance=fresh)
        fresh.delete()
    except (DjangoProtectedError, RestrictedError) as exc:
        blockers = sorted(
            {
                str(obj)
                for obj in list(
                    exc.protected_objects
                    if isinstance(exc, DjangoProtectedError)
                    else exc.restricted_objects
                )[:5]
            }
        )
        raise ProtectedError(
            _("{name} is still used by: {objects}. Remove or move those first.").format(
                name=str(fresh), objects=", ".join(blockers)
            )
        ) from exc
    fresh.pk = pk
    change_record(
        instance=fresh,
        action=ChangeAction.DELETE,
        by=by,
        before=before,
        reason=reason,
        organisation=fresh.organisation,
    )
    _record_cleared_references(detached, deleted=fresh, by=by, reason=reason)


def _references_to_clear(instance: models.Model) -> list[tuple[models.Field, list[models.Model]]]:
    """The organisation's objects whose reference to ``instance`` the database would
    clear (``on_delete=SET_NULL``), locked, grouped by the referring field: one
    query per kind of reference, however many objects refer."""
    found = []
    for relation in instance._meta.related_objects:
        model = relation.related_model
        if (
            relation.many_to_many
            or relation.on_delete is not models.SET_NULL
            or not issubclass(model, OrganisationOwnedModel)
        ):
            continue
        # What str() of a relation needs (its source and target) comes in the same query.
        needed = [
            f.name
            for f in model._meta.concrete_fields
            if f.many_to_one and not f.null and f.name != "organisation"
        ]
        referring = (
            model.objects.select_for_update(of=("self",))
            .select_related(*needed)
            .filter(**{relation.field.name: instance})
            .order_by("pk")
        )
        objects = list(referring)
        if objects:
            found.append((relation.field, objects))
    return found


def _clear_references(detached, *, instance: models.Model) -> None:
    """Clear the references to ``instance`` and bump the referring objects' versions
    before it is deleted: one UPDATE per kind of reference, no list of ids (a
    list of 10,000 ids would not even fit in one SQLite statement)."""
    for field, _objects in detached:
        field.model.objects.filter(**{field.attname: instance.pk}).update(
            **{field.attname: None, "version": F("version") + 1}
        )


def _record_cleared_references(detached, *, deleted: models.Model, by: Any, reason: str) -> None:
    """Log each object that lost its reference as an update of its own (a new
    version; its history says what the deletion changed in it), all in one INSERT."""
    why = reason or _("“{name}” was deleted.").format(name=deleted)
    entries = []
    for field, objects in detached:
        for obj in objects:
            entry = change_entry(
                instance=obj,
                action=ChangeAction.UPDATE,
                by=by,
                before={field.name: deleted.pk},
                after={field.name: None},
                reason=why,
            )
            if entry is not None:
                entries.append(entry)
    change_records_insert(entries)
