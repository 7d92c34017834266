"""The intake's reads and writes, cheap: what :func:`stuurwiel.calls.services.call_register`
asks the database, in as few and as plain statements as the work allows.

- :func:`intake_reads`: ONE ``SELECT`` of scalar subqueries for everything an
  intake reads besides the counter: the loaded USM library's id and content hash
  (which workflow snapshot and which priority library apply), the organisation's
  own cells of the call and the risk matrix for the impact and urgency given,
  and the service's active SA version. Each subquery asks what the ORM helper it
  replaces asks (``current_snapshot``, ``library_derived``,
  ``agreements.selectors._lookup``, ``_sa_version``), in the same order.
  On PostgreSQL the same statement also takes the year's next number (the
  counter's ``UPDATE … RETURNING`` as a data-modifying ``WITH``) and draws the
  ids of the rows the intake writes from their sequences, so the writes can go
  out together (:mod:`stuurwiel.core.gathered`).
- :func:`rows_insert`: the rows of unsaved model instances, one plain
  ``INSERT … VALUES … RETURNING id`` per model, built from the model's
  ``_meta`` (its concrete fields, their columns, their ``pre_save`` and
  ``get_db_prep_save``): the model stays the one source of truth, only the
  query compiler is left out, which costs more CPU than the database spends on
  the row. An instance with an expression for a value (a database default) goes
  through ``Model.save``. No signal is sent: the models written here have no
  receivers (the equivalence test checks the rows are the same as ``save`` writes).
  Inside a gathering (PostgreSQL) a row whose id was reserved is kept for the
  gathering's one statement instead.

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

from stuurwiel.core import gathered

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
    #: PostgreSQL: the year's counter after taking the next number (None: the
    #: year has no counter yet, or another database: take it apart).
    counter_last: int | None = None
    #: PostgreSQL: ids drawn for the rows the intake writes, per model.
    ids: dict[type[Model], list[int]] | None = None


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
    if connection.vendor == "postgresql":
        from stuurwiel.calls.models import CallCounter

        counters = q(CallCounter._meta.db_table)
        sql = (
            f"WITH n AS (UPDATE {counters} SET {col(CallCounter, 'last')} = "
            f"{col(CallCounter, 'last')} + 1 WHERE {col(CallCounter, 'organisation')} = %s "
            f"AND {col(CallCounter, 'year')} = %s RETURNING {col(CallCounter, 'last')}) "
            + sql
            + f", (SELECT {col(CallCounter, 'last')} FROM n), "
            + gathered.reserve_sql(_reserved_models())
        )
    _READS_SQL[connection.vendor] = sql
    return sql


def _reserved_models() -> tuple[type[Model], ...]:
    """The models of the rows one intake writes, one id each drawn up front."""
    from stuurwiel.calls.models import Call, CallEvent, LinkSegment
    from stuurwiel.changelog.models import ChangeLogEntry

    return (Call, CallEvent, LinkSegment, ChangeLogEntry)


def intake_reads(*, organisation, service, row: str, column: str, year: int) -> IntakeReads:
    """Everything an intake reads, in one statement (see the module's docstring);
    on PostgreSQL it also takes the number of ``year`` and reserves the ids."""
    from stuurwiel.agreements.choices import AgreementKind, MatrixKind, VersionStatus
    from stuurwiel.organisations.roles import USM_URN

    postgres = connection.vendor == "postgresql"
    sql = _reads_sql()
    params: list[Any] = [organisation.pk, year] if postgres else []
    params += [USM_URN, USM_URN]
    for kind in (MatrixKind.CALL, MatrixKind.RISK):
        params += [organisation.pk, str(kind), row, column]
    params += [service.pk, str(AgreementKind.SA), str(VersionStatus.ACTIVE)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchone()
    pk, content_hash, call_cell, risk_cell, sa_version_id = found[:5]
    counter_last, ids = None, None
    if postgres:
        counter_last = found[5]
        ids = {model: [pk] for model, pk in zip(_reserved_models(), found[6:], strict=True)}
    return IntakeReads(
        library=(pk, content_hash) if pk is not None else None,
        cells={MatrixKind.CALL: call_cell, MatrixKind.RISK: risk_cell},
        sa_version_id=sa_version_id,
        counter_last=counter_last,
        ids=ids,
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
        gathering = gathered.current()
        if gathering is not None and _gather(gathering, plan, model, objs):
            continue
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


def _gather(gathering: gathered.Gathering, plan: _Plan, model: type[Model], objs) -> bool:
    """Keep the rows for the gathering's one statement, each with an id reserved
    for it; False (nothing kept) when the reserved ids do not cover them."""
    reserved = gathering.ids.get(model) or []
    if len(reserved) < len(objs):
        return False
    meta = model._meta
    columns = (meta.pk, *plan.fields)
    params: list[Any] = []
    for obj in objs:
        obj._prepare_related_fields_for_save(operation_name="save")
        obj.pk = gathering.take_id(model)
        params += [
            field.get_db_prep_save(
                obj.pk if field is meta.pk else field.pre_save(obj, True), connection=connection
            )
            for field in columns
        ]
        obj._state.adding = False
        obj._state.db = connection.alias
    q = connection.ops.quote_name
    head = f"INSERT INTO {q(meta.db_table)} ({', '.join(q(f.column) for f in columns)}) VALUES "
    row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    gathered.write(head + ", ".join([row] * len(objs)), params)
    return True
