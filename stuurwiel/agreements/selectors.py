"""Reads for agreements: the querysets of the list and detail pages, and the
organisation's priority matrices with the lookups the call register uses.

The matrices fall back on the USM library's default (:mod:`stuurwiel.agreements.library`)
cell by cell: an organisation that never edited its matrix has no rows and gets
the default; one that did gets its own rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from stuurwiel.agreements.choices import MatrixKind, VersionStatus
from stuurwiel.agreements.library import MatrixDefault, PriorityLibrary, priority_library
from stuurwiel.agreements.models import Agreement, AgreementVersion, Norm, PriorityCell


def agreement_queryset() -> QuerySet[Agreement]:
    """Agreements with their service and link; ``versions`` prefetched (few per
    agreement) so a row can say which version is in force and which is drafted."""
    return (
        Agreement.objects.select_related(
            "organisation", "service", "link", "link__team", "link__supplier"
        )
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=AgreementVersion.objects.only(
                    "id", "agreement_id", "number", "status", "valid_from"
                ).order_by("-number"),
            )
        )
        .order_by("service__name", "kind", "name", "id")
    )


def version_queryset() -> QuerySet[AgreementVersion]:
    """Versions with their agreement, service hours and norms (in priority order)."""
    return AgreementVersion.objects.select_related(
        "organisation",
        "agreement",
        "agreement__organisation",
        "agreement__service",
        "agreement__link__team",
        "agreement__link__supplier",
        "calendar",
    ).prefetch_related(Prefetch("norms", queryset=Norm.objects.order_by("priority")))


def priority_cell_queryset() -> QuerySet[PriorityCell]:
    return PriorityCell.objects.select_related("organisation").order_by("matrix", "id")


def versions_of(agreement: Agreement) -> list[AgreementVersion]:
    """The agreement's versions, newest first, with their norms."""
    return list(version_queryset().filter(agreement=agreement).order_by("-number"))


def current_version(versions: list[AgreementVersion]) -> AgreementVersion | None:
    """Of versions (newest first): the draft being worked on, else the one in force,
    else the newest — what the agreement is about to be."""
    for status in (VersionStatus.DRAFT, VersionStatus.ACTIVE):
        for version in versions:
            if version.status == status:
                return version
    return versions[0] if versions else None


def version_in_force(versions: list[AgreementVersion]) -> AgreementVersion | None:
    return next((v for v in versions if v.status == VersionStatus.ACTIVE), None)


# --- Priority matrices ------------------------------------------------------------


@dataclass(frozen=True)
class GridCell:
    row: str
    column: str
    priority: int
    default: int | None
    cell: PriorityCell | None

    @property
    def differs(self) -> bool:
        return self.default is not None and self.priority != self.default


@dataclass(frozen=True)
class MatrixGrid:
    """One matrix as a page shows it: levels with labels, a cell per pair, and
    whether it is still the library's default."""

    kind: str
    default: MatrixDefault
    library: PriorityLibrary
    cells: dict[tuple[str, str], GridCell]
    is_default: bool

    @property
    def rows(self) -> list[tuple[str, str]]:
        return [(level, self.default.row_label(level)) for level in self.default.rows]

    @property
    def columns(self) -> list[tuple[str, str]]:
        return [(level, self.default.column_label(level)) for level in self.default.columns]

    def table(self) -> list[tuple[str, str, list[GridCell]]]:
        return [
            (level, label, [self.cells[(level, column)] for column, _ in self.columns])
            for level, label in self.rows
        ]

    @property
    def priorities(self) -> tuple[int, ...]:
        return tuple(sorted({cell.priority for cell in self.cells.values()}))


def priority_grid(organisation, kind: str, *, library: PriorityLibrary | None = None) -> MatrixGrid:
    """The organisation's ``kind`` matrix (``call`` or ``risk``): two queries (its
    rows, the library), one if ``library`` is given."""
    library = library or priority_library()
    default = library.matrix(kind)
    stored = {
        (cell.row, cell.column): cell
        for cell in PriorityCell.objects.filter(organisation=organisation, matrix=kind)
    }
    cells = {}
    for row in default.rows:
        for column in default.columns:
            cell = stored.get((row, column))
            fallback = default.cells.get((row, column))
            priority = cell.priority if cell is not None else fallback
            cells[(row, column)] = GridCell(
                row, column, priority or max(library.priorities), fallback, cell
            )
    return MatrixGrid(kind, default, library, cells, is_default=not stored)


def _lookup(organisation, kind: str, row: str, column: str) -> int | None:
    stored = (
        PriorityCell.objects.filter(organisation=organisation, matrix=kind, row=row, column=column)
        .values_list("priority", flat=True)
        .first()
    )
    if stored is not None:
        return stored
    return priority_library().matrix(kind).cells.get((row, column))


def priority_for(organisation, impact: str, urgency: str) -> int | None:
    """A call's priority from its impact and urgency (library level names such as
    ``high``), by the organisation's matrix or else the library's default;
    ``None`` for a level the matrix does not know."""
    return _lookup(organisation, MatrixKind.CALL, impact, urgency)


def risk_priority_for(organisation, effect: str, likelihood: str) -> int | None:
    """A risk's priority from its effect and likelihood, as :func:`priority_for`."""
    return _lookup(organisation, MatrixKind.RISK, effect, likelihood)


def organisation_priorities(organisation, *, library: PriorityLibrary | None = None):
    """The priorities the organisation's call matrix can give a call: each needs
    a norm in every agreement."""
    return priority_grid(organisation, MatrixKind.CALL, library=library).priorities
