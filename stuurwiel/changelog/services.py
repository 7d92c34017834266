"""Writing change-log entries. Called by every domain service, inside its transaction."""

from __future__ import annotations

import datetime
import decimal
import json
import uuid
from collections.abc import Sequence
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.utils.translation import gettext as _

from stuurwiel.changelog.choices import ChangeAction
from stuurwiel.changelog.context import current_context
from stuurwiel.changelog.models import ChangeLogEntry
from stuurwiel.core import clock


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


def actor_name(user: Any, organisation: Any = None) -> str:
    """How the log names a user: as the organisation knows them (the member's
    name there), else their account's full name. Never the username: that is a
    login name, which for invited members is their e-mail address."""
    if organisation is not None:
        name = _member_name(user, organisation)
        if name:
            return name[:150]
    return (user.get_full_name() or _("a member"))[:150]


def _member_name(user: Any, organisation: Any) -> str:
    # The access layer has usually read the membership for this request already.
    cached = getattr(user, "_stuurwiel_access", {}).get(getattr(organisation, "pk", None))
    membership = getattr(cached, "membership", None)
    if membership is not None:
        return membership.name
    # Outside a request (a command run as a user) look it up once per user and
    # organisation: a write that logs 10,000 entries must not ask 10,000 times.
    names = user.__dict__.setdefault("_stuurwiel_member_names", {})
    key = getattr(organisation, "pk", None)
    if key not in names:
        membership_model = apps.get_model("organisations", "Membership")
        found = membership_model.objects.filter(organisation=organisation, user=user)
        names[key] = next(iter(found.values_list("name", flat=True)), "")
    return names[key]


def _type_of(instance: models.Model) -> ContentType:
    return ContentType.objects.get_for_model(instance, for_concrete_model=True)


def change_entry(
    *,
    instance: models.Model,
    action: str,
    by: Any,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
    organisation: Any = None,
    actor_repr: str = "",
    parent: models.Model | None = None,
) -> ChangeLogEntry | None:
    """The unsaved entry for one change, or ``None`` for an update that changed
    nothing. For updates only the fields that differ are kept.

    ``parent`` names the whole this object is part of (a call for its step), so
    the whole's history shows the part's changes too. Without it the model's
    ``changelog_parent_field`` (a foreign key's name), if any, gives the parent.
    """
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
    parent_field: str = getattr(instance, "changelog_parent_field", "")
    if parent is None and parent_field:
        parent = getattr(instance, parent_field, None)
    context = current_context()
    user = by if getattr(by, "is_authenticated", False) else None
    return ChangeLogEntry(
        organisation=organisation,
        actor=user,
        actor_repr=actor_name(user, organisation) if user else (actor_repr or context.actor_name),
        source=context.source,
        correlation_id=context.correlation_id,
        action=action,
        content_type=_type_of(instance),
        object_id=int(instance.pk),
        object_repr=str(instance)[:300],
        parent_content_type=_type_of(parent) if parent is not None else None,
        parent_object_id=int(parent.pk) if parent is not None else None,
        before=before,
        after=after,
        reason=reason,
    )


def change_record(**kwargs: Any) -> ChangeLogEntry | None:
    """Record one change (the arguments of :func:`change_entry`); an update that
    changed nothing records nothing and returns ``None``."""
    entry = change_entry(**kwargs)
    if entry is not None:
        entry.save()
    return entry


# The columns written by change_records_insert, in order.
_COLUMNS = (
    ("organisation_id", "bigint"),
    ("timestamp", "timestamptz"),
    ("actor_id", "bigint"),
    ("actor_repr", "text"),
    ("source", "text"),
    ("correlation_id", "uuid"),
    ("action", "text"),
    ("content_type_id", "bigint"),
    ("object_id", "bigint"),
    ("object_repr", "text"),
    ("parent_content_type_id", "bigint"),
    ("parent_object_id", "bigint"),
    ("before", "jsonb"),
    ("after", "jsonb"),
    ("reason", "text"),
)


def _uuid(value: uuid.UUID | None) -> str | None:
    """A UUID as the column stores it (SQLite: 32 hex digits)."""
    if value is None:
        return None
    return value.hex if connection.vendor == "sqlite" else str(value)


def change_records_insert(entries: Sequence[ChangeLogEntry]) -> int:
    """Insert many unsaved entries in ONE statement, whatever their number.

    ``bulk_create`` would need ⌈n/62⌉ statements on SQLite (999 parameters per
    statement); here the rows travel as one JSON parameter that the database
    unpacks (``json_each`` / ``jsonb_array_elements``), so a delete that detaches
    10,000 objects still logs them in one query. Returns the number of rows.
    """
    if not entries:
        return 0
    now = clock.now()
    rows = []
    for entry in entries:
        stamp = entry.timestamp or now
        rows.append(
            [
                entry.organisation_id,
                connection.ops.adapt_datetimefield_value(stamp)
                if connection.vendor == "sqlite"
                else stamp.isoformat(),
                entry.actor_id,
                entry.actor_repr,
                entry.source,
                (
                    entry.correlation_id.hex
                    if connection.vendor == "sqlite"
                    else str(entry.correlation_id)
                )
                if entry.correlation_id
                else None,
                entry.action,
                entry.content_type_id,
                entry.object_id,
                entry.object_repr,
                entry.parent_content_type_id,
                entry.parent_object_id,
                entry.before,
                entry.after,
                entry.reason,
            ]
        )
    table = connection.ops.quote_name(ChangeLogEntry._meta.db_table)
    names = ", ".join(connection.ops.quote_name(name) for name, _ in _COLUMNS)
    if connection.vendor == "postgresql":
        values = ", ".join(
            f"(r->{i})::{kind}" if kind == "jsonb" else f"(r->>{i})::{kind}"
            for i, (_, kind) in enumerate(_COLUMNS)
        )
        rows_sql = "jsonb_array_elements(%s::jsonb) AS r"
        sql = f"INSERT INTO {table} ({names}) SELECT {values} FROM {rows_sql}"
    elif connection.vendor == "sqlite":
        values = ", ".join(f"json_extract(value, '$[{i}]')" for i in range(len(_COLUMNS)))
        sql = f"INSERT INTO {table} ({names}) SELECT {values} FROM json_each(%s)"
    else:  # pragma: no cover - only SQLite and PostgreSQL are supported
        ChangeLogEntry.objects.bulk_create(entries)
        return len(entries)
    with connection.cursor() as cursor:
        cursor.execute(sql, [json.dumps(rows, ensure_ascii=False)])
    return len(rows)
