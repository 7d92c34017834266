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
from stuurwiel.changelog.services import change_record, snapshot
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
    manager = model._default_manager
    fresh = manager.select_for_update().get(pk=instance.pk)
    if version is None or int(version) != fresh.version:
        raise ConflictError(fresh.version)
    before = snapshot(fresh)
    plain, m2m = _split_m2m(model, data)
    for name, value in plain.items():
        setattr(fresh, name, value)
    fresh.full_clean()
    updated = manager.filter(pk=fresh.pk, version=fresh.version).update(version=F("version") + 1)
    if not updated:
        raise ConflictError(manager.get(pk=fresh.pk).version)
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
    fresh = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
    if version is not None and int(version) != fresh.version:
        raise ConflictError(fresh.version)
    before = snapshot(fresh)
    pk = fresh.pk
    detached = _references_to_clear(fresh)
    try:
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


def _references_to_clear(instance: models.Model) -> list[tuple[models.Model, dict[str, Any]]]:
    """The organisation's objects whose reference to ``instance`` the database will
    clear (``on_delete=SET_NULL``), locked, each with its state before."""
    found: list[tuple[models.Model, dict[str, Any]]] = []
    for relation in instance._meta.related_objects:
        model = relation.related_model
        if (
            relation.many_to_many
            or relation.on_delete is not models.SET_NULL
            or not (isinstance(model, type) and issubclass(model, OrganisationOwnedModel))
        ):
            continue
        referring = model._default_manager.select_for_update().filter(
            **{relation.field.name: instance}
        )
        found += [(obj, snapshot(obj)) for obj in referring.order_by("pk")]
    return found


def _record_cleared_references(detached, *, deleted: models.Model, by: Any, reason: str) -> None:
    """Log each object that lost its reference as an update of its own (a new
    version), so its history says what the deletion changed in it."""
    why = reason or _("“{name}” was deleted.").format(name=deleted)
    for obj, before in detached:
        type(obj).objects.filter(pk=obj.pk).update(version=F("version") + 1)
        obj.refresh_from_db()
        change_record(
            instance=obj,
            action=ChangeAction.UPDATE,
            by=by,
            before=before,
            after=snapshot(obj),
            reason=why,
        )
