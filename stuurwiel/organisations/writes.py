"""Shared write mechanics for organisation-owned objects.

Each app's ``services.py`` exposes ``<entity>_<verb>`` functions; they call these
helpers so that every write, from any entry point, is validated, atomic,
version-checked and recorded in the change log with the acting user.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.db.models.deletion import ProtectedError as DjangoProtectedError
from django.db.models.deletion import RestrictedError
from django.http import Http404
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
from stuurwiel.core.text import REASON_MAX_LENGTH, clean_text, clean_version
from stuurwiel.organisations import access

M = TypeVar("M", bound=OrganisationOwnedModel)


def _split_m2m(model: type[models.Model], data: dict[str, Any]) -> tuple[dict, dict]:
    m2m_names = {f.name for f in model._meta.many_to_many}
    plain = {k: v for k, v in data.items() if k not in m2m_names}
    m2m = {k: v for k, v in data.items() if k in m2m_names}
    return plain, m2m


def writable_fields(model: type[models.Model]) -> tuple[str, ...]:
    """The fields a write may set: the model's ``writable_fields`` if it declares
    them, else its editable concrete and many-to-many fields. Never the
    organisation, the version, the primary key or the timestamps."""
    declared = getattr(model, "writable_fields", None)
    if declared is not None:
        return tuple(declared)
    fields = [*model._meta.concrete_fields, *model._meta.many_to_many]
    return tuple(
        f.name for f in fields if f.editable and not f.primary_key and f.name not in NEVER_WRITTEN
    )


#: Set by the services themselves, never taken from input.
NEVER_WRITTEN = frozenset({"id", "organisation", "version", "created_at", "updated_at"})


def check_fields(
    model: type[models.Model], data: dict[str, Any], fields: Iterable[str] | None = None
) -> None:
    """Refuse keys that a write may not set (``organisation``, ``version``, ids,
    unknown names): an importer or a workflow engine must not be able to move an
    object to another organisation by passing an extra key."""
    allowed = set(writable_fields(model) if fields is None else fields) - NEVER_WRITTEN
    refused = sorted(set(data) - allowed)
    if refused:
        raise ValidationError(
            {name: _("This field cannot be set here.") for name in refused},
            code="field_not_writable",
        )


def lock_fresh(model: type[M], pk: Any) -> M:
    """The stored row, locked for update; a vanished object is a 404, never a 500
    (two people deleting the same object: the second finds nothing to delete)."""
    try:
        return model._default_manager.select_for_update().get(pk=pk)
    except model.DoesNotExist as exc:
        raise Http404(
            _("This {kind} no longer exists; someone may have deleted it.").format(
                kind=model._meta.verbose_name
            )
        ) from exc


@contextmanager
def unique_race_as_validation(model: type[models.Model]) -> Iterator[None]:
    """Turn a uniqueness violation that slipped past ``full_clean`` (two requests
    creating the same name at the same moment) into the same translated error
    ``full_clean`` gives, instead of a server error."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as exc:
        raise ValidationError(
            _("Another {kind} with these values was saved just now. Choose another name.").format(
                kind=model._meta.verbose_name
            ),
            code="unique_race",
        ) from exc


def _reason(reason: Any) -> str:
    return clean_text(reason, field="reason", max_length=REASON_MAX_LENGTH)


@transaction.atomic
def object_create(
    *,
    model: type[M],
    organisation: Any,
    by: Any,
    data: dict[str, Any],
    reason: str = "",
    fields: Iterable[str] | None = None,
) -> M:
    """Create a ``model`` object in ``organisation`` from ``data``, which may hold
    only the writable ``fields`` (default: :func:`writable_fields`)."""
    check_fields(model, data, fields)
    reason = _reason(reason)
    plain, m2m = _split_m2m(model, data)
    instance = model(organisation=organisation, **plain)
    access.require(by=by, organisation=organisation, action="change", obj=instance)
    instance.full_clean()
    with unique_race_as_validation(model):
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
    *,
    instance: M,
    by: Any,
    data: dict[str, Any],
    version: int | None,
    reason: str = "",
    fields: Iterable[str] | None = None,
) -> M:
    """Apply ``data`` (only writable ``fields``) if the stored version still equals
    ``version``.

    The version check and bump happen in one conditional UPDATE, so of two
    concurrent editors exactly one wins and the other gets :class:`ConflictError`.
    The member must be allowed to change the object both as it is and as it will
    be (moving an element out of one's scope is a change outside it).
    """
    model = type(instance)
    check_fields(model, data, fields)
    reason = _reason(reason)
    manager = model._default_manager
    version = clean_version(version)
    fresh = lock_fresh(model, instance.pk)
    access.require(by=by, organisation=fresh.organisation, action="change", obj=fresh)
    if version is None or version != fresh.version:
        raise ConflictError(fresh.version)
    before = snapshot(fresh)
    plain, m2m = _split_m2m(model, data)
    for name, value in plain.items():
        setattr(fresh, name, value)
    access.require(by=by, organisation=fresh.organisation, action="change", obj=fresh)
    fresh.full_clean()
    updated = manager.filter(pk=fresh.pk, version=fresh.version).update(version=F("version") + 1)
    if not updated:
        raise ConflictError(manager.get(pk=fresh.pk).version)
    fresh.version += 1
    with unique_race_as_validation(model):
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
    reason = _reason(reason)
    fresh = lock_fresh(model, instance.pk)
    access.require(by=by, organisation=fresh.organisation, action="change", obj=fresh)
    version = clean_version(version)
    if version is not None and version != fresh.version:
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


def _references_to_clear(instance: models.Model) -> list[tuple[Any, list[Any]]]:
    """The organisation's objects whose reference to ``instance`` the database would
    clear (``on_delete=SET_NULL``), locked, grouped by the referring field: one
    query per kind of reference, however many objects refer."""
    found: list[tuple[Any, list[Any]]] = []
    for relation in instance._meta.related_objects:
        model = relation.related_model
        if (
            relation.many_to_many
            or relation.on_delete is not models.SET_NULL
            or not (isinstance(model, type) and issubclass(model, OrganisationOwnedModel))
        ):
            continue
        # What str() of a relation needs (its source and target) comes in the same query.
        needed = [
            f.name
            for f in model._meta.concrete_fields
            if f.many_to_one and not f.null and f.name != "organisation"
        ]
        referring = (
            model._default_manager.select_for_update(of=("self",))
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
