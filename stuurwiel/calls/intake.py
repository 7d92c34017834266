"""The intake's reads and writes, cheap: what :func:`stuurwiel.calls.services.call_register`
asks the database, in as few and as plain statements as the work allows.

- :func:`intake_reads`: ONE ``SELECT`` of scalar subqueries for everything an
  intake reads besides the counter: the loaded USM library's id and content hash
  (which workflow snapshot and which priority library apply), the organisation's
  own cells of the call and the risk matrix for the impact and urgency given,
  and the service's active SA version. Each subquery asks what the ORM helper it
  replaces asks (``current_snapshot``, ``library_derived``,
  ``agreements.selectors._lookup``, ``_sa_version``), in the same order.
- :func:`rows_insert`: the rows of unsaved model instances, one plain
  ``INSERT … VALUES … RETURNING id`` per model, built from the model's
  ``_meta`` (its concrete fields, their columns, their ``pre_save`` and
  ``get_db_prep_save``): the model stays the one source of truth, only the
  query compiler is left out, which costs more CPU than the database spends on
  the row. An instance with an expression for a value (a database default) goes
  through ``Model.save``. No signal is sent: the models written here have no
  receivers (the equivalence test checks the rows are the same as ``save`` writes).

:data:`USE_ORM` switches the writes back to ``save``/``bulk_create`` (the
reference the equivalence test compares the rows with).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Model
from django.db.models.fields import Field

#: Write with the ORM instead (``save``/``bulk_create``): the reference path.
USE_ORM = False


# --- Reads --------------------------------------------------------------------------


@dataclass(frozen=True)
class IntakeReads:
    """What one intake reads: ``library`` is the loaded USM library's ``(pk,
    content_hash)`` (``None``: not loaded, the bundled file applies), ``cells``
    the organisation's own priority per matrix kind (``None``: the library's
    default applies), ``sa_version_id`` the service's active SA version."""

    library: tuple[int, str] | None
    cells: dict[str, int | None]
    sa_version_id: int | None


_READS_SQL: dict[str, str] = {}


def _reads_sql() -> str:
    from stuurwiel.agreements.models import Agreement, AgreementVersion, PriorityCell
    from stuurwiel.frameworks.models import Framework

    cached = _READS_SQL.get(connection.vendor)
    if cached is not None:
        return cached
    q = connection.ops.quote_name

    def col(model: type[Model], name: str) -> str:
        return q(model._meta.get_field(name).column)

    framework = q(Framework._meta.db_table)
    cells = q(PriorityCell._meta.db_table)
    versions, agreements = q(AgreementVersion._meta.db_table), q(Agreement._meta.db_table)
    cell = (
        f"(SELECT c.{col(PriorityCell, 'priority')} FROM {cells} c "
        f"WHERE c.{col(PriorityCell, 'organisation')} = %s "
        f"AND c.{col(PriorityCell, 'matrix')} = %s "
        f"AND c.{col(PriorityCell, 'row')} = %s AND c.{col(PriorityCell, 'column')} = %s "
        "ORDER BY c.id LIMIT 1)"
    )
    # AgreementVersion's ordering (agreement → service, kind, name; then -number),
    # for one service and kind: by the agreement's name, the newest number first.
    sql = (
        f"SELECT (SELECT f.id FROM {framework} f WHERE f.{col(Framework, 'urn')} = %s), "
        f"(SELECT f.{col(Framework, 'content_hash')} FROM {framework} f "
        f"WHERE f.{col(Framework, 'urn')} = %s), "
        f"{cell}, {cell}, "
        f"(SELECT v.id FROM {versions} v JOIN {agreements} a "
        f"ON a.id = v.{col(AgreementVersion, 'agreement')} "
        f"WHERE a.{col(Agreement, 'service')} = %s AND a.{col(Agreement, 'kind')} = %s "
        f"AND v.{col(AgreementVersion, 'status')} = %s "
        f"ORDER BY a.{col(Agreement, 'name')}, v.{col(AgreementVersion, 'number')} DESC LIMIT 1)"
    )
    _READS_SQL[connection.vendor] = sql
    return sql


def intake_reads(*, organisation, service, row: str, column: str) -> IntakeReads:
    """Everything an intake reads, in one statement (see the module's docstring)."""
    from stuurwiel.agreements.choices import AgreementKind, MatrixKind, VersionStatus
    from stuurwiel.organisations.roles import USM_URN

    params: list[Any] = [USM_URN, USM_URN]
    for kind in (MatrixKind.CALL, MatrixKind.RISK):
        params += [organisation.pk, str(kind), row, column]
    params += [service.pk, str(AgreementKind.SA), str(VersionStatus.ACTIVE)]
    with connection.cursor() as cursor:
        cursor.execute(_reads_sql(), params)
        pk, content_hash, call_cell, risk_cell, sa_version_id = cursor.fetchone()
    return IntakeReads(
        library=(pk, content_hash) if pk is not None else None,
        cells={MatrixKind.CALL: call_cell, MatrixKind.RISK: risk_cell},
        sa_version_id=sa_version_id,
    )


# --- Writes -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Plan:
    fields: tuple[Field, ...]
    head: str  # INSERT INTO t (columns) VALUES
    row: str  # (%s, …)
    tail: str  # RETURNING id


_PLANS: dict[tuple[type[Model], str], _Plan] = {}


def _plan(model: type[Model]) -> _Plan:
    key = (model, connection.vendor)
    found = _PLANS.get(key)
    if found is not None:
        return found
    meta = model._meta
    fields = tuple(
        field
        for field in meta.local_concrete_fields
        if field is not meta.auto_field and not getattr(field, "generated", False)
    )
    q = connection.ops.quote_name
    plan = _Plan(
        fields=fields,
        head=f"INSERT INTO {q(meta.db_table)} ({', '.join(q(f.column) for f in fields)}) VALUES ",
        row="(" + ", ".join(["%s"] * len(fields)) + ")",
        tail=f" RETURNING {q(meta.pk.column)}",
    )
    _PLANS[key] = plan
    return plan


def _plain(model: type[Model], instances: Sequence[Model]) -> bool:
    """Whether the instances can be written without the ORM: a model of one table
    with an auto primary key, every value a plain value (no expression)."""
    meta = model._meta
    if meta.parents or meta.auto_field is None or meta.pk is not meta.auto_field:
        return False
    return all(
        obj.pk is None
        and not any(hasattr(value, "resolve_expression") for value in obj.__dict__.values())
        for obj in instances
    )


def rows_insert(*instances: Model) -> None:
    """Write unsaved ``instances`` as ``save`` would (primary keys set, their state
    saved), one statement per model; in the caller's transaction."""
    by_model: dict[type[Model], list[Model]] = {}
    for obj in instances:
        by_model.setdefault(type(obj), []).append(obj)
    for model, objs in by_model.items():
        if USE_ORM or not _plain(model, objs):
            if len(objs) == 1:
                objs[0].save(force_insert=True)
            else:
                model._default_manager.bulk_create(objs)
            continue
        plan = _plan(model)
        params: list[Any] = []
        for obj in objs:
            obj._prepare_related_fields_for_save(operation_name="save")
            params += [
                field.get_db_prep_save(field.pre_save(obj, True), connection=connection)
                for field in plan.fields
            ]
        sql = plan.head + ", ".join([plan.row] * len(objs)) + plan.tail
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            ids = [row[0] for row in cursor.fetchall()]
        for obj, pk in zip(objs, ids, strict=True):
            obj.pk = pk
            obj._state.adding = False
            obj._state.db = connection.alias
