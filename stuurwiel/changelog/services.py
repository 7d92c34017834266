"""Writing change-log entries. Called by every domain service, inside its transaction."""

from __future__ import annotations

import datetime
import decimal
import getpass
import uuid
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from stuurwiel.changelog.choices import ChangeAction, ChangeSource
from stuurwiel.changelog.context import current_source
from stuurwiel.changelog.models import ChangeLogEntry


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The logged field values of ``instance``: concrete fields (FKs as ids) plus
    many-to-many fields as sorted id lists, minus the model's ``changelog_exclude``."""
    exclude = set(getattr(instance, "changelog_exclude", ()))
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if field.name in exclude or field.primary_key:
            continue
        data[field.name] = _plain(getattr(instance, field.attname))
    if instance.pk:
        for field in instance._meta.many_to_many:
            if field.name not in exclude:
                data[field.name] = sorted(
                    getattr(instance, field.name).values_list("pk", flat=True)
                )
    return data


def default_actor_repr() -> str:
    """Who acts when no user is given: the OS account for commands and jobs."""
    source = current_source()
    if source in (ChangeSource.COMMAND, ChangeSource.JOB):
        try:
            return f"{getpass.getuser()} ({source})"
        except (KeyError, OSError):  # no passwd entry in some containers
            return str(source)
    return ""


def change_record(
    *,
    instance: models.Model,
    action: str,
    by: Any,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
    organisation: Any = None,
    actor_repr: str = "",
) -> ChangeLogEntry | None:
    """Record one change. For updates only the fields that differ are kept;
    an update that changed nothing records nothing and returns ``None``."""
    before = before or {}
    after = after or {}
    if action == ChangeAction.UPDATE:
        changed = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
        if not changed:
            return None
        before = {k: v for k, v in before.items() if k in changed}
        after = {k: v for k, v in after.items() if k in changed}
    if organisation is None:
        organisation = getattr(instance, "organisation", None)
    user = by if getattr(by, "is_authenticated", False) else None
    return ChangeLogEntry.objects.create(
        organisation=organisation,
        actor=user,
        actor_repr=user.get_username() if user else (actor_repr or default_actor_repr()),
        source=current_source(),
        action=action,
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=True),
        object_id=str(instance.pk),
        object_repr=str(instance)[:300],
        before=before,
        after=after,
        reason=reason,
    )
