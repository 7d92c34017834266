"""The dashboard's "recent changes": work people did, in sentences.

Entries of one request, command or job (one correlation id) become one line —
"Anna de Vries wijzigde 3 elementen van Verhuizing doorgeven" — and bookkeeping
(memberships, roles, user accounts) is left out: the feed still has all of it.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _

from stuurwiel.changelog.choices import ChangeAction
from stuurwiel.changelog.models import ChangeLogEntry
from stuurwiel.changelog.selectors import changes_for_organisation

# How many entries the dashboard reads to find its lines (one index range).
_WINDOW = 200


def _single(action: str) -> str:
    return {
        ChangeAction.CREATE: _("{who} created {type} “{name}”"),
        ChangeAction.UPDATE: _("{who} changed {type} “{name}”"),
        ChangeAction.DELETE: _("{who} deleted {type} “{name}”"),
    }[action]


def _many(action: str, parent: bool) -> str:
    if parent:
        return {
            ChangeAction.CREATE: _("{who} created {count} {types} of {parent}"),
            ChangeAction.UPDATE: _("{who} changed {count} {types} of {parent}"),
            ChangeAction.DELETE: _("{who} deleted {count} {types} of {parent}"),
        }[action]
    return {
        ChangeAction.CREATE: _("{who} created {count} {types}"),
        ChangeAction.UPDATE: _("{who} changed {count} {types}"),
        ChangeAction.DELETE: _("{who} deleted {count} {types}"),
    }[action]


@dataclass
class WorkLine:
    """One line of recent work: the sentence, when, the action for the badge and the
    correlation id (to open exactly these entries in the feed)."""

    text: str
    timestamp: datetime.datetime
    action: str
    correlation_id: Any
    count: int


def _bookkeeping_types() -> list[int]:
    from stuurwiel.organisations.models import Membership, RoleAssignment

    models = (Membership, RoleAssignment, get_user_model())
    return [ct.pk for ct in ContentType.objects.get_for_models(*models).values()]


def _parent_names(groups: list[list[ChangeLogEntry]]) -> dict[tuple[int, int], str]:
    wanted: dict[int, set[int]] = defaultdict(set)
    for group in groups:
        for entry in group:
            if entry.parent_content_type_id:
                wanted[entry.parent_content_type_id].add(entry.parent_object_id)
    names = {}
    for type_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is None:
            continue
        for pk, obj in model._default_manager.in_bulk(ids).items():
            names[(type_id, pk)] = str(obj)
    return names


def recent_work(*, organisation, lines: int = 8) -> list[WorkLine]:
    """The organisation's latest meaningful work, one line per request/command/job."""
    entries = list(
        changes_for_organisation(organisation=organisation).exclude(
            content_type_id__in=_bookkeeping_types()
        )[:_WINDOW]
    )
    grouped: dict[Any, list[ChangeLogEntry]] = {}
    for entry in entries:
        grouped.setdefault(entry.correlation_id or f"entry-{entry.pk}", []).append(entry)
    groups = list(grouped.values())
    # The oldest group may go on beyond the entries read: its count is a minimum.
    cut = groups[-1] if len(entries) == _WINDOW else None
    groups = groups[:lines]
    parents = _parent_names(groups)
    return [_line(group, parents, more=group is cut) for group in groups]


def _line(
    group: list[ChangeLogEntry], parents: dict[tuple[int, int], str], *, more: bool = False
) -> WorkLine:
    first = group[0]
    who = first.actor_display
    kinds = {(e.action, e.content_type_id) for e in group}
    model = first.content_type.model_class()
    meta = model._meta if model else None
    if more:
        text = _("{who} made {count} or more changes").format(who=who, count=len(group))
    elif len(group) == 1:
        text = _single(first.action).format(
            who=who,
            type=meta.verbose_name if meta else first.content_type.name,
            name=first.object_repr,
        )
    elif len(kinds) == 1:
        parent_keys = {(e.parent_content_type_id, e.parent_object_id) for e in group}
        parent = parents.get(parent_keys.pop()) if len(parent_keys) == 1 else None
        text = _many(first.action, parent is not None).format(
            who=who,
            count=len(group),
            types=meta.verbose_name_plural if meta else first.content_type.name,
            parent=parent,
        )
    else:
        text = _("{who} made {count} changes").format(who=who, count=len(group))
    return WorkLine(
        text=text,
        timestamp=first.timestamp,
        action=first.action if len({e.action for e in group}) == 1 else ChangeAction.UPDATE,
        correlation_id=first.correlation_id,
        count=len(group),
    )
