"""Writes for agreements. Every function is atomic, access-checked and logs to
the change log (through :mod:`stuurwiel.organisations.writes`).

Versions: an agreement starts with version 1 as a draft. Only a draft is edited
(its fields and its norms); putting it in force supersedes the version in force
before it. A version that has been in force is never changed again — calls keep
pointing at the version they started under — so a change is a new version
(:func:`version_new`), a copy of the latest to edit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from stuurwiel.agreements.choices import AgreementKind, MatrixKind, VersionStatus
from stuurwiel.agreements.library import priority_library
from stuurwiel.agreements.models import Agreement, AgreementVersion, Norm, PriorityCell
from stuurwiel.agreements.selectors import organisation_priorities
from stuurwiel.changelog.choices import ChangeAction
from stuurwiel.changelog.services import actor_name, change_record, snapshot
from stuurwiel.core.exceptions import ConflictError, ProtectedError
from stuurwiel.core.text import REASON_MAX_LENGTH, clean_text, clean_version
from stuurwiel.organisations import access
from stuurwiel.organisations.writes import lock_fresh, object_create, object_delete, object_update
from stuurwiel.services.services import service_design_changed

VERSION_COPIED = ("calendar", "availability", "facility_functionality", "notes")
NORM_VALUES = ("response_minutes", "resolution_minutes")


class VersionStateConflict(ConflictError):
    """The version is no longer in the state the caller saw (someone put it in
    force, or made a draft, in the meantime): a 409 with this message."""

    def __init__(self, message: str, current_version: int = 0) -> None:
        self.current_version = current_version
        Exception.__init__(self, message)


@dataclass(frozen=True)
class CellConflict:
    row: str
    column: str
    theirs: int
    yours: int
    started: int


class MatrixConflict(ConflictError):
    """Someone changed the same matrix cells since the editor started."""

    def __init__(self, cells: list[CellConflict]) -> None:
        self.cells = cells
        self.current_version = 0
        Exception.__init__(
            self, _("Someone else changed these cells of the matrix in the meantime.")
        )


# --- Agreements ----------------------------------------------------------------------


def _default_name(data: dict[str, Any]) -> str:
    service, link, kind = data.get("service"), data.get("link"), data.get("kind")
    label = str(kind or "").upper()
    if kind == AgreementKind.SA or link is None:
        return _("{kind} {service}").format(kind=label, service=service or "")
    return _("{kind} {link} for {service}").format(kind=label, link=link, service=service)


def _design_changed(agreement_id: int) -> None:
    """An agreement is part of its service's design: a write to it, its versions or
    their norms outdates an approval of that design (putting a version in force
    does not: it changes whether, not what, was agreed)."""
    service_id = Agreement.objects.values_list("service_id", flat=True).get(pk=agreement_id)
    service_design_changed(service_id=service_id)


def _ever_in_force(agreement: Agreement) -> bool:
    return agreement.versions.exclude(status=VersionStatus.DRAFT).exists()


@transaction.atomic
def agreement_create(*, organisation, by, data: dict[str, Any], reason: str = "") -> Agreement:
    """Create an agreement and its version 1, a draft on the service's hours. A
    blank name becomes "SA <service>" or "OLA <link> for <service>"."""
    data = dict(data)
    if not str(data.get("name") or "").strip():
        data["name"] = _default_name(data)[:200]
    agreement = object_create(
        model=Agreement, organisation=organisation, by=by, data=data, reason=reason
    )
    object_create(
        model=AgreementVersion,
        organisation=organisation,
        by=by,
        data={"agreement": agreement, "number": 1, "calendar": agreement.service.calendar},
        fields=("agreement", "number", "calendar"),
        reason=reason,
    )
    service_design_changed(service_id=agreement.service_id)
    return agreement


@transaction.atomic
def agreement_update(
    *, instance: Agreement, by, data: dict[str, Any], version, reason: str = ""
) -> Agreement:
    """Change an agreement's name, and while no version has been in force its
    kind and link. It stays with its service."""
    data = dict(data)
    if "service" in data:
        service = data.pop("service")
        if getattr(service, "pk", service) != instance.service_id:
            raise ValidationError(
                {"service": _("An agreement stays with its service; make a new one instead.")},
                code="service_fixed",
            )
    fields: tuple[str, ...] = ("kind", "link", "name")
    if _ever_in_force(instance):
        fields = ("name",)
        for name in ("kind", "link"):
            if name in data and getattr(data[name], "pk", data[name]) != getattr(
                instance, f"{name}_id" if name == "link" else name
            ):
                raise ValidationError(
                    {
                        name: _(
                            "This agreement has been in force, so whom it is with stays as "
                            "it was. Make a new agreement for another party."
                        )
                    },
                    code="party_fixed",
                )
            data.pop(name, None)
    agreement = object_update(
        instance=instance, by=by, data=data, version=version, reason=reason, fields=fields
    )
    service_design_changed(service_id=agreement.service_id)
    return agreement


@transaction.atomic
def agreement_delete(*, instance: Agreement, by, version=None, reason: str = "") -> None:
    """Delete an agreement that was never in force (with its drafts). One that has
    been in force stays: calls and reports refer to its versions."""
    fresh = lock_fresh(Agreement, instance.pk)
    access.require(by=by, organisation=fresh.organisation, action="change", obj=fresh)
    if _ever_in_force(fresh):
        raise ProtectedError(
            _(
                "“{name}” has been in force; calls and reports refer to its versions, so it "
                "stays. Make a new version to change it."
            ).format(name=fresh)
        )
    object_delete(instance=fresh, by=by, version=version, reason=reason)
    service_design_changed(service_id=fresh.service_id)


# --- Versions ------------------------------------------------------------------------


def _require_draft(version: AgreementVersion) -> None:
    if version.status != VersionStatus.DRAFT:
        raise ValidationError(
            _(
                "Version {number} is {status}, and only a draft can be changed. Make a new "
                "version (a copy of it) and change that one."
            ).format(number=version.number, status=version.get_status_display()),
            code="not_draft",
        )


def _bump(version: AgreementVersion) -> None:
    """A norm changed: the version's optimistic lock moves on, so an editor who
    read the version before gets a conflict instead of overwriting it."""
    AgreementVersion.objects.filter(pk=version.pk).update(version=F("version") + 1)
    version.version += 1


def _locked_draft(pk: int, by) -> AgreementVersion:
    fresh = lock_fresh(AgreementVersion, pk)
    access.require(by=by, organisation=fresh.organisation, action="change", obj=fresh)
    _require_draft(fresh)
    return fresh


@transaction.atomic
def version_update(
    *, instance: AgreementVersion, by, data: dict[str, Any], version, reason: str = ""
) -> AgreementVersion:
    """Change a draft's fields and, if ``data`` holds ``norms`` (a list of
    ``{priority, response_minutes, resolution_minutes}``), set its norms to those:
    one write, one version."""
    data = dict(data)
    norms = data.pop("norms", None)
    fresh = _locked_draft(instance.pk, by)
    updated = object_update(instance=fresh, by=by, data=data, version=version, reason=reason)
    if norms is not None:
        _norms_set(version=updated, norms=norms, by=by, reason=reason)
    _design_changed(updated.agreement_id)
    return updated


def _allowed_priorities() -> tuple[int, ...]:
    return priority_library().priorities


def _norms_set(*, version: AgreementVersion, norms: Iterable[dict], by, reason: str) -> None:
    wanted: dict[int, dict] = {}
    allowed = _allowed_priorities()
    for item in norms:
        priority = item.get("priority")
        if priority not in allowed:
            raise ValidationError(
                {
                    "norms": _("Priority {priority} is not one of {allowed}.").format(
                        priority=priority, allowed=", ".join(map(str, allowed))
                    )
                },
                code="unknown_priority",
            )
        if priority in wanted:
            raise ValidationError(
                {
                    "norms": _("Priority {priority} has two norms; give one.").format(
                        priority=priority
                    )
                },
                code="norm_twice",
            )
        wanted[priority] = item
    stored = Norm.objects.select_for_update().filter(agreement_version=version)
    existing = {norm.priority: norm for norm in stored}
    for priority, norm in existing.items():
        if priority not in wanted:
            object_delete(instance=norm, by=by, reason=reason)
    for priority, item in sorted(wanted.items()):
        values = {name: item.get(name) for name in NORM_VALUES}
        try:
            if priority in existing:
                norm = existing[priority]
                if any(getattr(norm, name) != values[name] for name in NORM_VALUES):
                    object_update(
                        instance=norm,
                        by=by,
                        data=values,
                        version=norm.version,
                        reason=reason,
                        fields=NORM_VALUES,
                    )
            else:
                object_create(
                    model=Norm,
                    organisation=version.organisation,
                    by=by,
                    data={"agreement_version": version, "priority": priority, **values},
                    reason=reason,
                )
        except ValidationError as error:
            raise ValidationError(
                {
                    "norms": [
                        _("Priority {priority}: {problem}").format(
                            priority=priority, problem=" ".join(error.messages)
                        )
                    ]
                },
                code="norm_invalid",
            ) from error


@transaction.atomic
def norm_create(*, version: AgreementVersion, by, data: dict[str, Any], reason: str = "") -> Norm:
    """Add a norm to a draft (one per priority)."""
    fresh = _locked_draft(version.pk, by)
    data = {**data, "agreement_version": fresh}
    norm = object_create(
        model=Norm, organisation=fresh.organisation, by=by, data=data, reason=reason
    )
    _bump(fresh)
    _design_changed(fresh.agreement_id)
    return norm


@transaction.atomic
def norm_update(*, instance: Norm, by, data: dict[str, Any], version, reason: str = "") -> Norm:
    """Change a draft's norm (its times; the priority stays)."""
    fresh_version = _locked_draft(instance.agreement_version_id, by)
    norm = object_update(
        instance=instance, by=by, data=data, version=version, reason=reason, fields=NORM_VALUES
    )
    _bump(fresh_version)
    _design_changed(fresh_version.agreement_id)
    return norm


@transaction.atomic
def norm_delete(*, instance: Norm, by, version=None, reason: str = "") -> None:
    fresh_version = _locked_draft(instance.agreement_version_id, by)
    object_delete(instance=instance, by=by, version=version, reason=reason)
    _bump(fresh_version)
    _design_changed(fresh_version.agreement_id)


@transaction.atomic
def version_new(
    *, agreement: Agreement, by, source: AgreementVersion | None = None, reason: str = ""
) -> AgreementVersion:
    """A new draft: a copy of ``source`` (default: the version in force, else the
    newest) with its norms, numbered one past the newest. Refused while the
    agreement has a draft already (one draft at a time)."""
    locked = lock_fresh(Agreement, agreement.pk)
    access.require(
        by=by,
        organisation=locked.organisation,
        action="change",
        obj=AgreementVersion(organisation=locked.organisation, agreement=locked),
    )
    versions = list(AgreementVersion.objects.filter(agreement=locked).order_by("-number"))
    draft = next((v for v in versions if v.status == VersionStatus.DRAFT), None)
    if draft is not None:
        raise VersionStateConflict(
            _(
                "“{agreement}” already has a draft, version {number}: change that one, or put "
                "it in force first."
            ).format(agreement=locked, number=draft.number),
            draft.version,
        )
    if source is not None and source.agreement_id != locked.pk:
        raise ValidationError(
            {"source": _("Copy a version of this agreement.")}, code="other_agreement"
        )
    active = next((v for v in versions if v.status == VersionStatus.ACTIVE), None)
    source = source or active or (versions[0] if versions else None)
    data: dict[str, Any] = {
        "agreement": locked,
        "number": versions[0].number + 1 if versions else 1,
    }
    if source is not None:
        data.update({name: getattr(source, name) for name in VERSION_COPIED})
    new = object_create(
        model=AgreementVersion,
        organisation=locked.organisation,
        by=by,
        data=data,
        fields=("agreement", "number", *VERSION_COPIED),
        reason=reason,
    )
    copied = Norm.objects.filter(agreement_version=source).order_by("priority") if source else ()
    for norm in copied:
        object_create(
            model=Norm,
            organisation=locked.organisation,
            by=by,
            data={
                "agreement_version": new,
                "priority": norm.priority,
                **{n: getattr(norm, n) for n in NORM_VALUES},
            },
            reason=reason,
        )
    service_design_changed(service_id=locked.service_id)
    return new


def missing_priorities(version: AgreementVersion) -> list[int]:
    """The priorities of the organisation's matrix this version has no norm for."""
    have = set(Norm.objects.filter(agreement_version=version).values_list("priority", flat=True))
    return [p for p in organisation_priorities(version.organisation) if p not in have]


def _set_status(version: AgreementVersion, *, by, reason: str, **values: Any) -> None:
    before = snapshot(version)
    for name, value in values.items():
        setattr(version, name, value)
    version.version += 1
    try:
        with transaction.atomic():
            version.save(update_fields=[*values, "version", "updated_at"])
    except IntegrityError as error:  # the one-in-force constraint: another activation won
        raise VersionStateConflict(
            _("Another version of “{agreement}” was put in force just now.").format(
                agreement=version.agreement
            ),
            version.version - 1,
        ) from error
    change_record(
        instance=version,
        action=ChangeAction.UPDATE,
        by=by,
        before=before,
        after=snapshot(version),
        reason=reason,
    )


@transaction.atomic
def version_activate(
    *, instance: AgreementVersion, by, version=None, reason: str = ""
) -> AgreementVersion:
    """Put a draft in force from today; the version in force before is superseded.

    The agreement and the version are locked first, so of two people activating
    at once one wins and the other is told what happened (409), never a 500.
    Refused while a priority of the organisation's matrix has no norm.
    """
    reason = clean_text(reason, field="reason", max_length=REASON_MAX_LENGTH)
    agreement = lock_fresh(Agreement, instance.agreement_id)
    fresh = lock_fresh(AgreementVersion, instance.pk)
    access.require(by=by, organisation=fresh.organisation, action="change", obj=fresh)
    if fresh.status != VersionStatus.DRAFT:
        raise VersionStateConflict(
            _(
                "Version {number} of “{agreement}” is {status} already: someone else put it in "
                "force just now. Nothing was changed."
            ).format(number=fresh.number, agreement=agreement, status=fresh.get_status_display()),
            fresh.version,
        )
    expected = clean_version(version)
    if expected is not None and expected != fresh.version:
        raise ConflictError(fresh.version)
    missing = missing_priorities(fresh)
    if missing:
        raise ValidationError(
            {
                "norms": _(
                    "Give a response and resolution norm for priority {priorities} before putting "
                    "this version in force."
                ).format(priorities=", ".join(map(str, missing)))
            },
            code="norm_missing",
        )
    now = timezone.now()
    in_force = AgreementVersion.objects.select_for_update().filter(
        agreement=agreement, status=VersionStatus.ACTIVE
    )
    for previous in in_force:
        previous.agreement = agreement
        _set_status(
            previous, by=by, reason=reason, status=VersionStatus.SUPERSEDED, superseded_at=now
        )
    fresh.agreement = agreement
    user = by if getattr(by, "is_authenticated", False) else None
    _set_status(
        fresh,
        by=by,
        reason=reason,
        status=VersionStatus.ACTIVE,
        valid_from=timezone.localdate(),
        activated_at=now,
        activated_by=user,
        activated_by_name=actor_name(user, fresh.organisation) if user else "",
    )
    return fresh


# --- Priority matrices ---------------------------------------------------------------


def _require_matrix_change(by, organisation) -> None:
    access.require(
        by=by,
        organisation=organisation,
        action="change",
        obj=PriorityCell(organisation=organisation),
    )


def _check_priority(priority: Any, field: str = "priority") -> None:
    allowed = _allowed_priorities()
    if priority not in allowed:
        raise ValidationError(
            {
                field: _("Choose a priority from {first} to {last}.").format(
                    first=min(allowed), last=max(allowed)
                )
            },
            code="unknown_priority",
        )


def _locked_cells(organisation, kind: str) -> dict[tuple[str, str], PriorityCell]:
    cells = PriorityCell.objects.select_for_update().filter(organisation=organisation, matrix=kind)
    return {(cell.row, cell.column): cell for cell in cells}


@transaction.atomic
def priority_matrix_reset(
    *, organisation, by, matrix: str | None = None, reason: str = ""
) -> list[PriorityCell]:
    """Set the organisation's matrix (``call``, ``risk`` or both) to the USM
    library's default: cells that differ are updated, missing ones created, cells
    of levels the library does not have deleted — each logged."""
    _require_matrix_change(by, organisation)
    library = priority_library()
    kinds = [matrix] if matrix else [MatrixKind.CALL, MatrixKind.RISK]
    result: list[PriorityCell] = []
    for kind in kinds:
        if kind not in MatrixKind.values:
            raise ValidationError({"matrix": _("Choose the call or the risk matrix.")})
        stored = _locked_cells(organisation, kind)
        for (row, column), priority in library.matrix(kind).cells.items():
            cell = stored.pop((row, column), None)
            if cell is None:
                cell = object_create(
                    model=PriorityCell,
                    organisation=organisation,
                    by=by,
                    data={"matrix": kind, "row": row, "column": column, "priority": priority},
                    fields=("matrix", "row", "column", "priority"),
                    reason=reason,
                )
            elif cell.priority != priority:
                cell = object_update(
                    instance=cell,
                    by=by,
                    data={"priority": priority},
                    version=cell.version,
                    reason=reason,
                )
            result.append(cell)
        for cell in stored.values():
            object_delete(instance=cell, by=by, reason=reason)
    return result


def priority_cell_update(
    *, instance: PriorityCell, by, data: dict[str, Any], version, reason: str = ""
) -> PriorityCell:
    """Change one cell's priority (one of the library's priorities)."""
    if "priority" in data:
        _check_priority(data["priority"])
    return object_update(instance=instance, by=by, data=data, version=version, reason=reason)


@transaction.atomic
def priority_matrix_update(
    *,
    organisation,
    by,
    matrix: str,
    values: dict[tuple[str, str], int],
    started: dict[tuple[str, str], int],
    reason: str = "",
) -> int:
    """Apply the cells the editor changed (``values`` against ``started``, what
    the form showed). A cell someone else changed to something else in between is
    a :class:`MatrixConflict` listing those cells; cells only they changed keep
    their value. A matrix still on the default is stored first. Returns the number
    of cells changed."""
    _require_matrix_change(by, organisation)
    library = priority_library()
    default = library.matrix(matrix)
    for key, priority in values.items():
        if key not in default.cells:
            raise ValidationError(
                {
                    "matrix": _("The matrix has no cell {row} × {column}.").format(
                        row=key[0], column=key[1]
                    )
                }
            )
        _check_priority(priority, field=f"{key[0]}/{key[1]}")
    stored = _locked_cells(organisation, matrix)
    current = {
        key: stored[key].priority if key in stored else p for key, p in default.cells.items()
    }
    changes, conflicts = {}, []
    for key, yours in values.items():
        start = started.get(key, current[key])
        if yours == start:
            continue
        if current[key] not in (start, yours):
            conflicts.append(CellConflict(key[0], key[1], current[key], yours, start))
        elif current[key] != yours:
            changes[key] = yours
    if conflicts:
        raise MatrixConflict(conflicts)
    if changes and not stored:
        stored = {
            (cell.row, cell.column): cell
            for cell in priority_matrix_reset(
                organisation=organisation, by=by, matrix=matrix, reason=reason
            )
        }
    for key, priority in changes.items():
        cell = stored[key]
        object_update(
            instance=cell, by=by, data={"priority": priority}, version=cell.version, reason=reason
        )
    return len(changes)
