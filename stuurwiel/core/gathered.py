"""Writes gathered into one statement on PostgreSQL.

A write that inserts several rows of different tables (an intake: the call, its
event, its segment, its change-log entry, its outbox row) pays one round trip per
statement; on a busy machine each costs more than the database spends on the row.
Inside :func:`gathered`, :func:`write` keeps each ``INSERT``/``UPDATE``/``DELETE``
on PostgreSQL and sends them all at the block's end as ONE data-modifying ``WITH``
statement (every part runs, in order, on the same snapshot; Django's foreign keys
are ``DEFERRABLE INITIALLY DEFERRED``, so a row may name one written by an earlier
part of the same statement). Elsewhere (SQLite has no data-modifying ``WITH``), and
outside a block, :func:`write` runs the statement at once.

Limits: the parts cannot read each other's rows (one snapshot), so nothing in the
block may read what it wrote before the end; a row's id must be known up front
(:func:`reserve_sql` draws them from the tables' sequences in a statement the
caller runs anyway); the block must sit in
the caller's transaction (an exception in it leaves the gathered parts unsent).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Model


@dataclass
class _Part:
    sql: str
    params: Sequence[Any]
    then: Callable[[int], object] | None


@dataclass
class Gathering:
    """The parts kept so far and the ids reserved for the block's rows."""

    parts: list[_Part] = field(default_factory=list)
    ids: dict[type[Model], list[int]] = field(default_factory=dict)

    def take_id(self, model: type[Model]) -> int | None:
        """A reserved id for a new row of ``model``, or None (none left)."""
        reserved = self.ids.get(model)
        return reserved.pop(0) if reserved else None

    def send(self) -> None:
        if not self.parts:
            return
        ctes, params = [], []
        for number, part in enumerate(self.parts):
            ctes.append(f"w{number} AS ({part.sql} RETURNING 1)")
            params += list(part.params)
        counts = ", ".join(f"(SELECT count(*) FROM w{n})" for n in range(len(self.parts)))
        with connection.cursor() as cursor:
            cursor.execute("WITH " + ", ".join(ctes) + " SELECT " + counts, params)
            row = cursor.fetchone()
        parts, self.parts = self.parts, []
        for part, count in zip(parts, row, strict=True):
            if part.then is not None:
                part.then(count)


_current: ContextVar[Gathering | None] = ContextVar("stuurwiel_gathering", default=None)


def current() -> Gathering | None:
    """The open gathering, if any (only ever on PostgreSQL)."""
    return _current.get()


@contextmanager
def gathered(ids: dict[type[Model], list[int]] | None = None) -> Iterator[Gathering | None]:
    """Gather the :func:`write` calls of the block into one statement sent at its
    end (PostgreSQL; elsewhere, or nested in another gathering, a no-op)."""
    if connection.vendor != "postgresql" or _current.get() is not None:
        yield _current.get()
        return
    gathering = Gathering(ids={model: list(pks) for model, pks in (ids or {}).items()})
    token = _current.set(gathering)
    try:
        yield gathering
        gathering.send()
    finally:
        _current.reset(token)


def write(sql: str, params: Sequence[Any], *, then: Callable[[int], object] | None = None) -> None:
    """Run one ``INSERT``/``UPDATE``/``DELETE`` (no ``RETURNING``), or keep it for the
    open gathering; ``then`` gets the number of rows it wrote, once it ran."""
    gathering = _current.get()
    if gathering is not None:
        gathering.parts.append(_Part(sql, params, then))
        return
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        count = cursor.rowcount
    if then is not None:
        then(count)


_SEQUENCES: dict[type[Model], str] = {}


def sequence_of(model: type[Model]) -> str:
    """The sequence that numbers ``model``'s primary key (PostgreSQL; looked up once)."""
    found = _SEQUENCES.get(model)
    if found is None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_get_serial_sequence(%s, %s)",
                [connection.ops.quote_name(model._meta.db_table), model._meta.pk.column],
            )
            found = _SEQUENCES[model] = cursor.fetchone()[0]
    return found


def reserve_sql(models: Sequence[type[Model]]) -> str:
    """Select-list items drawing one id per model from its sequence (to add to a
    statement the caller runs anyway): ``nextval('…'), …``."""
    return ", ".join(f"nextval('{sequence_of(model)}')" for model in models)
