"""Reads of the change log.

Every read here is served by an index of :class:`ChangeLogEntry` in the order it
is read and pages by keyset (``timestamp``/``id`` below the last row seen), so a
page costs the same at entry 50 and at entry 10,000,000: no ``COUNT(*)``, no
``OFFSET``, no ``DISTINCT`` over the log.
"""

from __future__ import annotations

import base64
import binascii
import datetime
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q, QuerySet
from django.utils.dateparse import parse_datetime

from stuurwiel.changelog.models import ChangeLogEntry

PAGE_SIZE = 50

# Apps whose writes are not logged (the log itself, the demo loader's bookkeeping).
_UNLOGGED_APPS = {"changelog", "demo", "core"}


@cache
def logged_models() -> tuple[type[models.Model], ...]:
    """The registry of logged models: every model of Stuurwiel's own apps (their
    services all write through ``change_record``) plus the user model."""
    found = [
        model
        for model in apps.get_models()
        if model.__module__.startswith("stuurwiel.")
        and model._meta.app_label not in _UNLOGGED_APPS
        and not model._meta.auto_created
    ]
    return (*found, get_user_model())


def object_type_choices() -> list[tuple[int, str]]:
    """(content type id, translated name) for the type filter, from the registry
    (the content types come from Django's cache after the first request)."""
    types = ContentType.objects.get_for_models(*logged_models(), for_concrete_models=True)
    return sorted(
        ((ct.pk, str(model._meta.verbose_name).capitalize()) for model, ct in types.items()),
        key=lambda choice: choice[1],
    )


def _same_organisation(instance: models.Model) -> dict[str, Any]:
    """Entries of the object's organisation; objects outside organisations
    (framework libraries) log without one."""
    organisation_id = getattr(instance, "organisation_id", None)
    if organisation_id is None:
        return {"organisation__isnull": True}
    return {"organisation_id": organisation_id}


def changes_for_object(
    instance: models.Model, *, with_parts: bool = True
) -> QuerySet[ChangeLogEntry]:
    """The object's own entries and, with ``with_parts``, those of its parts (the
    entries that name it as their parent), newest first."""
    content_type = ContentType.objects.get_for_model(instance, for_concrete_model=True)
    own = Q(content_type=content_type, object_id=instance.pk)
    if with_parts:
        own |= Q(parent_content_type=content_type, parent_object_id=instance.pk)
    return (
        ChangeLogEntry.objects.filter(own, **_same_organisation(instance))
        .select_related("content_type")
        .order_by("-id")
    )


def object_history_page(
    instance: models.Model, *, cursor: str | None, size: int = PAGE_SIZE
) -> KeysetPage:
    """One page of :func:`changes_for_object`, newest first.

    Read as two index-ordered queries (the object's own entries, its parts'
    entries), each stopping after ``size + 1`` rows, merged here: one query with
    ``OR`` would collect and sort the object's whole history first (10,000 rows
    for a busy object), as SQLite and PostgreSQL can walk only one index in order.
    ``object_type_id`` tells the page which entries are the object's own.
    """
    content_type = ContentType.objects.get_for_model(instance, for_concrete_model=True)
    position = _decode(cursor, False) if cursor else None
    base = ChangeLogEntry.objects.filter(**_same_organisation(instance)).select_related(
        "content_type"
    )
    if position is not None:
        base = base.filter(id__lt=position[1])
    own = base.filter(content_type=content_type, object_id=instance.pk).order_by("-id")
    parts = base.filter(parent_content_type=content_type, parent_object_id=instance.pk).order_by(
        "-id"
    )
    rows = sorted(
        {entry.pk: entry for entry in [*own[: size + 1], *parts[: size + 1]]}.values(),
        key=lambda entry: entry.pk,
        reverse=True,
    )
    more = len(rows) > size
    rows = rows[:size]
    return KeysetPage(
        object_list=rows,
        next_cursor=_encode(rows[-1], False) if more and rows else None,
        is_first=position is None,
        object_type_id=content_type.pk,
    )


def changes_for_organisation(*, organisation) -> QuerySet[ChangeLogEntry]:
    return (
        ChangeLogEntry.objects.filter(organisation=organisation)
        .select_related("content_type")
        .order_by("-timestamp", "-id")
    )


def changes_for_correlation(*, organisation, correlation_id) -> QuerySet[ChangeLogEntry]:
    """Everything one request, command or job wrote."""
    return changes_for_organisation(organisation=organisation).filter(correlation_id=correlation_id)


@dataclass
class KeysetPage:
    """One page of entries: ``next_cursor`` continues after the last one (``None``
    on the last page); ``is_first`` when no cursor was given."""

    object_list: list[ChangeLogEntry]
    next_cursor: str | None
    is_first: bool
    object_type_id: int | None = None

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)


def _encode(entry: ChangeLogEntry, by_time: bool) -> str:
    raw = f"{entry.timestamp.isoformat()}|{entry.pk}" if by_time else str(entry.pk)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(cursor: str, by_time: bool) -> tuple[datetime.datetime | None, int] | None:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        if by_time:
            stamp, pk = raw.rsplit("|", 1)
            moment = parse_datetime(stamp)
            if moment is None:
                return None
            return moment, int(pk)
        return None, int(raw)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None


def keyset_page(
    queryset: QuerySet[ChangeLogEntry], *, cursor: str | None, size: int = PAGE_SIZE
) -> KeysetPage:
    """The page after ``cursor`` of ``queryset``, which must be ordered newest first
    by ``("-timestamp", "-id")`` (the feed) or ``("-id",)`` (a history). A cursor
    that cannot be read starts at the newest entry."""
    by_time = tuple(queryset.query.order_by) == ("-timestamp", "-id")
    position = _decode(cursor, by_time) if cursor else None
    if position is not None:
        moment, pk = position
        if by_time:
            # The redundant ``timestamp <= t`` lets the index range-scan; the OR only filters.
            queryset = queryset.filter(
                Q(timestamp__lt=moment) | Q(timestamp=moment, id__lt=pk), timestamp__lte=moment
            )
        else:
            queryset = queryset.filter(id__lt=pk)
    rows = list(queryset[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return KeysetPage(
        object_list=rows,
        next_cursor=_encode(rows[-1], by_time) if more and rows else None,
        is_first=position is None,
    )
