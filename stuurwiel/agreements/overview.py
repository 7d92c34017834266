"""The read model of a service's agreements page: the SA and one row per chain
link with its OLA or UC, their norms per priority side by side, the sum of the
links' norms against the SA's, and the design findings.

What a member sees follows the access layer: staff (``agreements.view`` for the
whole organisation) see every row and the findings; a supplier's user sees only
the rows of their own contracts, and no findings (those compare other parties'
agreements).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from stuurwiel.agreements.choices import AgreementKind
from stuurwiel.agreements.consistency import (
    AgreementState,
    Finding,
    ServiceDesign,
    agreement_gaps,
    norm_findings,
    route_total,
    service_design,
)
from stuurwiel.agreements.models import Agreement
from stuurwiel.organisations import access as access_layer


@dataclass
class OverviewRow:
    """The SA (``link`` is None) or one link of the chain, with its agreement if any."""

    link: Any
    state: AgreementState | None
    expected_kind: str

    @property
    def agreement(self):
        return self.state.agreement if self.state else None

    @property
    def current(self):
        return self.state.current if self.state else None

    @property
    def in_force(self):
        return self.state.in_force if self.state else None

    @property
    def kind_label(self) -> str:
        return AgreementKind(self.expected_kind).label

    @property
    def short_kind(self) -> str:
        return self.expected_kind.upper()

    def norm(self, priority: int):
        return self.state.norms().get(priority) if self.state else None


@dataclass
class SumCell:
    total: int | None
    limit: int | None

    @property
    def over(self) -> bool:
        return self.total is not None and self.limit is not None and self.total > self.limit


@dataclass
class NormLine:
    priority: int
    norms: list[Any]
    links_sum: SumCell | None


@dataclass
class ServiceOverview:
    service: Any
    rows: list[OverviewRow]
    priorities: tuple[int, ...]
    lines: list[NormLine]
    findings: list[Finding] = field(default_factory=list)
    complete: bool = True  # whether the member sees every row (and the findings)


def _sum_cell(design: ServiceDesign, priority: int) -> SumCell:
    """The longest route's resolution norms for ``priority``, against the SA's."""
    totals = [route_total(design, route, priority)[0] for route in design.routes()]
    sa_norm = design.sa.norms().get(priority) if design.sa else None
    return SumCell(max(totals) if totals else None, sa_norm.resolution_minutes if sa_norm else None)


def service_overview(service, access) -> ServiceOverview:
    """The overview for ``access`` (the member's access layer answer)."""
    design = service_design(service)
    complete = access.holds_everywhere("agreements.view")
    visible: set[int] | None = None
    if not complete:
        visible = set(
            access_layer.restrict(Agreement.objects.filter(service=service), access).values_list(
                "pk", flat=True
            )
        )
    rows = [OverviewRow(None, design.sa, AgreementKind.SA)]
    for link in design.links:
        rows.append(
            OverviewRow(
                link,
                design.by_link.get(link.pk),
                AgreementKind.UC if link.is_supplier else AgreementKind.OLA,
            )
        )
    if visible is not None:
        rows = [row for row in rows if row.agreement is not None and row.agreement.pk in visible]
    lines = [
        NormLine(
            priority,
            [row.norm(priority) for row in rows],
            _sum_cell(design, priority) if complete and design.links else None,
        )
        for priority in design.priorities
    ]
    findings = []
    if complete:
        findings = agreement_gaps(service, design=design) + norm_findings(service, design=design)
    return ServiceOverview(service, rows, design.priorities, lines, findings, complete)
