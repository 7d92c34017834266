"""Change-log entries as people read them.

Entries store raw values (ids, codes, ISO dates) so the log stays exact; this
module turns a page of them into labelled rows: the field's translated verbose
name, a foreign key as the object's name (linked where the viewer may go, "(deleted)"
when it is gone), choice labels, many-to-many as names, booleans as yes/no,
dates in the reader's format and long texts as a word diff.

Referenced objects are resolved in bulk for the whole page: one query per kind of
object referenced, however many entries the page holds.
"""

from __future__ import annotations

import datetime
import difflib
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.urls import NoReverseMatch
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from stuurwiel.changelog.models import ChangeLogEntry

# Texts longer than this (or any TextField) are shown as a word diff.
LONG_TEXT = 80


@dataclass
class FieldChange:
    label: str
    before: SafeString
    after: SafeString


@dataclass
class _Lookup:
    """Ids to resolve per model, then what they resolved to."""

    wanted: dict[type[models.Model], set[int]] = field(default_factory=lambda: defaultdict(set))
    found: dict[type[models.Model], dict[int, models.Model]] = field(default_factory=dict)
    gone: dict[type[models.Model], dict[int, str]] = field(default_factory=dict)


def _field(model: type[models.Model] | None, name: str) -> models.Field | None:
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def field_label(model: type[models.Model] | None, name: str) -> str:
    found = _field(model, name)
    if found is not None and hasattr(found, "verbose_name"):
        return str(capfirst(found.verbose_name))
    return capfirst(name.replace("_", " "))


def _ids(value: Any) -> list[int]:
    values = value if isinstance(value, list) else [value]
    return [v for v in values if isinstance(v, int) and not isinstance(v, bool)]


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def _shown(entry: ChangeLogEntry) -> list[str]:
    """The logged field names worth showing: not the organisation an object of
    this organisation belongs to (it never changes and says nothing), and for a
    created or deleted object not the fields it left empty."""
    names = set(entry.before) | set(entry.after)
    names.discard("organisation")
    if entry.action != "update":
        names = {n for n in names if not _empty(entry.after.get(n, entry.before.get(n)))}
    return list(names)


def _collect(entries: Sequence[ChangeLogEntry], lookup: _Lookup) -> None:
    for entry in entries:
        model = entry.content_type.model_class()
        for name in _shown(entry):
            found = _field(model, name)
            if found is None or not found.is_relation or found.related_model is None:
                continue
            for value in (entry.before.get(name), entry.after.get(name)):
                lookup.wanted[found.related_model].update(_ids(value))


def _resolve(lookup: _Lookup, organisation: Any) -> None:
    from stuurwiel.core.models import OrganisationOwnedModel

    for model, ids in lookup.wanted.items():
        if not ids:
            continue
        needed = [
            f.name
            for f in model._meta.concrete_fields
            if f.many_to_one and not f.null and f.name != "organisation"
        ]
        queryset = model._default_manager.select_related(*needed)
        if issubclass(model, OrganisationOwnedModel):
            # Never name another organisation's object, whatever id was stored.
            queryset = queryset.filter(organisation=organisation)
        found = queryset.in_bulk(ids)
        lookup.found[model] = found
        missing = ids - set(found)
        if missing:
            # The last name the log knew for a deleted object.
            known = ChangeLogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(model),
                object_id__in=missing,
                organisation=organisation,
            ).values_list("object_id", "object_repr")
            lookup.gone[model] = dict(known)


class _Viewer:
    """Whether the viewer may open an object's page."""

    def __init__(self, permissions: set[str], access: Any) -> None:
        self.permissions = permissions
        self.access = access

    def may_open(self, obj: Any, namespace: str) -> bool:
        if self.access is not None:
            return bool(self.access.may_view(obj))
        return f"{namespace}.view" in self.permissions


def _object_html(model, pk: int, lookup: _Lookup, permissions: _Viewer) -> SafeString:
    obj = lookup.found.get(model, {}).get(pk)
    if obj is None:
        name = lookup.gone.get(model, {}).get(pk) or f"#{pk}"
        return format_html('{} <span class="muted">({})</span>', name, _("deleted"))
    if isinstance(obj, get_user_model()):
        return escape(obj.get_full_name() or obj.get_username())
    namespace = getattr(obj, "url_namespace", "")
    if namespace and permissions.may_open(obj, namespace) and hasattr(obj, "get_absolute_url"):
        try:
            return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), str(obj))
        except NoReverseMatch:  # a model whose pages are not built (yet): its name only
            pass
    return escape(str(obj))


def _word_diff(old: str, new: str) -> tuple[SafeString, SafeString]:
    """Old text with the removed words marked, new text with the added words marked."""
    a, b = re.split(r"(\s+)", old), re.split(r"(\s+)", new)
    left: list[str] = []
    right: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        removed, added = escape("".join(a[i1:i2])), escape("".join(b[j1:j2]))
        if op == "equal":
            left.append(removed)
            right.append(added)
            continue
        if removed:
            left.append(f"<del>{removed}</del>")
        if added:
            right.append(f"<ins>{added}</ins>")
    return mark_safe("".join(left)), mark_safe("".join(right))  # noqa: S308 - parts escaped above


def _value_html(found, value: Any, lookup: _Lookup, permissions) -> SafeString:
    empty = format_html('<span class="muted">{}</span>', "—")
    if _empty(value):
        return empty
    if found is not None and found.is_relation and found.related_model is not None:
        names = [_object_html(found.related_model, pk, lookup, permissions) for pk in _ids(value)]
        return mark_safe(", ".join(names)) if names else empty  # noqa: S308 - each part escaped
    if isinstance(value, bool):
        return escape(_("yes") if value else _("no"))
    if found is not None and found.choices:
        labels = dict(found.flatchoices)
        return escape(str(labels.get(value, value)))
    if isinstance(found, models.DateTimeField) and isinstance(value, str):
        moment = parse_datetime(value)
        if moment is not None:
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return escape(formats.date_format(moment, "DATETIME_FORMAT"))
    if isinstance(found, models.DateField) and isinstance(value, str):
        day = parse_date(value)
        if day is not None:
            return escape(formats.date_format(day, "DATE_FORMAT"))
    if isinstance(value, dict | list):
        return escape(json.dumps(value, ensure_ascii=False))
    if isinstance(value, datetime.date):
        return escape(formats.date_format(value, "DATE_FORMAT"))
    return escape(str(value))


def _is_long_text(found, old: Any, new: Any) -> bool:
    if not (isinstance(old, str) and isinstance(new, str)) or not old or not new:
        return False
    return isinstance(found, models.TextField) or max(len(old), len(new)) > LONG_TEXT


def present(
    entries: Sequence[ChangeLogEntry],
    *,
    organisation: Any,
    permissions: Iterable[str] = (),
    access: Any = None,
) -> Sequence[ChangeLogEntry]:
    """Give each entry ``readable_changes`` (a list of :class:`FieldChange`) in a
    constant number of queries for the page. Returns the entries. With ``access``
    (the access layer's answer for the viewer) an object is linked only if the
    viewer may open it; else by the permissions' areas."""
    permissions = _Viewer(set(permissions), access)
    lookup = _Lookup()
    _collect(entries, lookup)
    _resolve(lookup, organisation)
    for entry in entries:
        model = entry.content_type.model_class()
        rows = []
        for name in sorted(_shown(entry), key=lambda n: field_label(model, n)):
            found = _field(model, name)
            old, new = entry.before.get(name), entry.after.get(name)
            if _is_long_text(found, old, new):
                before, after = _word_diff(old, new)
            else:
                before = _value_html(found, old, lookup, permissions)
                after = _value_html(found, new, lookup, permissions)
            rows.append(FieldChange(field_label(model, name), before, after))
        entry.readable_changes = rows
    return entries


def readable_text(entry: ChangeLogEntry, side: str, lookup: _Lookup | None = None) -> str:
    """One side (``"before"``/``"after"``) as plain "Label: value" lines, for the CSV."""
    model = entry.content_type.model_class()
    data = getattr(entry, side)
    lines = []
    for name in sorted(set(data) & set(_shown(entry)), key=lambda n: field_label(model, n)):
        html = _value_html(
            _field(model, name), data[name], lookup or _Lookup(), _Viewer(set(), None)
        )
        lines.append(f"{field_label(model, name)}: {_strip_tags(html)}")
    return "\n".join(lines)


def _strip_tags(html: str) -> str:
    from html import unescape

    from django.utils.html import strip_tags

    return unescape(strip_tags(html))


def lookup_for(entries: Sequence[ChangeLogEntry], *, organisation: Any) -> _Lookup:
    """Resolve the objects referenced by ``entries`` (for :func:`readable_text`)."""
    lookup = _Lookup()
    _collect(entries, lookup)
    _resolve(lookup, organisation)
    return lookup
