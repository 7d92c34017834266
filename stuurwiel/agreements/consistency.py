"""Design findings about a service's agreements: pure reads, returned as
:class:`Finding` dataclasses with a stable ``code`` and a translated ``message``.

- :func:`agreement_gaps` — what is missing: the SA, an OLA/UC for a link, a
  version in force. The design gate (``services``) uses these.
- :func:`norm_findings` — whether the norms fit: every priority has a norm,
  resolution does not come before the response, and the links' resolution norms
  that a call passes add up to no more than the SA's for the same priority.

**Which version is judged.** Each agreement's *current* version: the draft being
worked on, else the one in force (:func:`~stuurwiel.agreements.selectors.current_version`),
so a designer sees the effect of a draft before putting it in force.

**Which links a call passes** (an assumption, kept simple until the call register
knows real routes): the chain's links in order of position. A link that declares
process steps is passed by the calls of the processes it has steps in; a link that
declares no steps yet is assumed to be passed by every call. Without any declared
steps there is one route, the whole chain. Routes that pass the same links are
judged once. The sum adds the links' resolution norms as if each link takes its
full norm one after the other — the worst case an SA must cover.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from stuurwiel.agreements.choices import AgreementKind
from stuurwiel.agreements.durations import duration_label
from stuurwiel.agreements.library import StepIndex, usm_extract
from stuurwiel.agreements.models import Agreement, AgreementVersion, Norm
from stuurwiel.agreements.selectors import (
    current_version,
    organisation_priorities,
    version_in_force,
)
from stuurwiel.frameworks.choices import RuleSeverity

ERROR = RuleSeverity.ERROR
WARNING = RuleSeverity.WARNING


@dataclass(frozen=True)
class Finding:
    """One finding: ``code`` (stable, for code and tests), ``message`` (translated,
    with names and numbers), ``severity`` and ``obj``, the object to fix."""

    code: str
    message: str
    severity: str
    obj: Any
    priority: int | None = None


@dataclass
class AgreementState:
    agreement: Agreement
    versions: list[AgreementVersion]  # newest first
    # version pk → its norms (by priority); read with the versions, in one query.
    norms_by_version: dict[int, list[Norm]] = field(default_factory=dict)

    @property
    def current(self) -> AgreementVersion | None:
        return current_version(self.versions)

    @property
    def in_force(self) -> AgreementVersion | None:
        return version_in_force(self.versions)

    def norms(self) -> dict[int, Norm]:
        version = self.current
        if version is None:
            return {}
        return {norm.priority: norm for norm in self.norms_by_version.get(version.pk, ())}


@dataclass
class Route:
    """The links a call passes, in order, and the processes whose calls take it
    (empty: every call)."""

    links: list[Any]
    processes: list[str] = field(default_factory=list)


@dataclass
class ServiceDesign:
    """What the findings and the overview page read of one service, in six queries."""

    service: Any
    links: list[Any]
    sa: AgreementState | None
    by_link: dict[int, AgreementState]
    priorities: tuple[int, ...]
    steps: StepIndex

    def states(self) -> list[AgreementState]:
        found = [self.sa] if self.sa else []
        return found + [self.by_link[link.pk] for link in self.links if link.pk in self.by_link]

    def routes(self) -> list[Route]:
        if not any(link.steps for link in self.links):
            return [Route(list(self.links))] if self.links else []
        routes: dict[tuple[int, ...], Route] = {}
        for process in self.steps.processes:
            performing = [link for link in self.links if self._performs(link, process)]
            if not performing:
                continue  # no link of this chain handles this process's calls
            passed = [link for link in self.links if not link.steps or link in performing]
            route = routes.setdefault(tuple(link.pk for link in passed), Route(passed))
            route.processes.append(self.steps.process_name(process))
        return list(routes.values())

    def _performs(self, link, process: str) -> bool:
        return any(self.steps.process_of.get(step) == process for step in link.steps or ())


def service_design(service, *, links=None) -> ServiceDesign:
    """Load the service's links (unless a page passes its ``links``, in chain
    order with team and supplier), agreements, versions, norms, matrix and library."""
    from stuurwiel.services.models import Link

    if links is None:
        links = list(
            Link.objects.filter(service=service)
            .select_related("team", "supplier")
            .order_by("position", "id")
        )
    by_pk = {link.pk: link for link in links}
    # Three flat reads (agreements, versions, norms), put together here: a nested
    # prefetch would build a queryset per agreement and per version.
    agreements = list(Agreement.objects.filter(service=service).order_by("kind", "name", "pk"))
    versions: dict[int, list[AgreementVersion]] = {}
    for version in (
        AgreementVersion.objects.filter(agreement__service=service)
        .select_related("calendar")
        .order_by("-number", "pk")
    ):
        versions.setdefault(version.agreement_id, []).append(version)
    norms: dict[int, list[Norm]] = {}
    for norm in Norm.objects.filter(agreement_version__agreement__service=service).order_by(
        "priority", "pk"
    ):
        norms.setdefault(norm.agreement_version_id, []).append(norm)
    sa = None
    by_link: dict[int, AgreementState] = {}
    for agreement in agreements:
        # Pages link every agreement and version (their URLs name the organisation),
        # and say whom each is with: the service's organisation and links, as fetched.
        agreement.organisation = service.organisation
        if agreement.link_id in by_pk:
            agreement.link = by_pk[agreement.link_id]
        own = versions.get(agreement.pk, [])
        for version in own:
            version.organisation = service.organisation
            version.agreement = agreement
        state = AgreementState(agreement, own, {v.pk: norms.get(v.pk, []) for v in own})
        if agreement.kind == AgreementKind.SA:
            sa = state
        elif agreement.link_id is not None:
            by_link[agreement.link_id] = state
    extract = usm_extract()
    priorities = organisation_priorities(service.organisation, library=extract.priority)
    return ServiceDesign(service, links, sa, by_link, priorities, extract.steps)


# --- Gaps --------------------------------------------------------------------------


def agreement_gaps(service, *, design: ServiceDesign | None = None) -> list[Finding]:
    """What the service's agreements still lack: the SA, an OLA or UC per link,
    a version in force per agreement."""
    design = design or service_design(service)
    found: list[Finding] = []
    if design.sa is None:
        found.append(
            Finding(
                "sa_missing",
                _("“{service}” has no service agreement (SA) with its customers yet.").format(
                    service=service
                ),
                ERROR,
                service,
            )
        )
    for link in design.links:
        if link.pk not in design.by_link:
            kind = _("an underpinning contract (UC)") if link.is_supplier else _("an OLA")
            found.append(
                Finding(
                    "agreement_missing",
                    _("The link “{link}” has no agreement yet: it needs {kind}.").format(
                        link=link, kind=kind
                    ),
                    ERROR,
                    link,
                )
            )
    for state in design.states():
        if state.in_force is None:
            found.append(
                Finding(
                    "no_active_version",
                    _("“{agreement}” has no version in force yet (only drafts).").format(
                        agreement=state.agreement
                    ),
                    WARNING,
                    state.agreement,
                )
            )
    return found


# --- Norms -------------------------------------------------------------------------


def norm_findings(service, *, design: ServiceDesign | None = None) -> list[Finding]:
    """Whether the norms of the service's agreements fit (see the module docstring)."""
    design = design or service_design(service)
    found: list[Finding] = []
    for state in design.states():
        found.extend(_norm_gaps(state, design.priorities))
    found.extend(_sums_beyond_sa(design))
    return found


def agreement_findings(service) -> list[Finding]:
    """Gaps and norm findings together, read once."""
    design = service_design(service)
    return agreement_gaps(service, design=design) + norm_findings(service, design=design)


def _version_name(version: AgreementVersion) -> str:
    return _("“{agreement}” version {number}").format(
        agreement=version.agreement, number=version.number
    )


def _norm_gaps(state: AgreementState, priorities: tuple[int, ...]) -> list[Finding]:
    version = state.current
    if version is None:
        return []
    norms = state.norms()
    found = []
    missing = [p for p in priorities if p not in norms]
    if missing:
        found.append(
            Finding(
                "norm_missing",
                _("{version} has no norm for priority {priorities}.").format(
                    version=_version_name(version), priorities=", ".join(map(str, missing))
                ),
                ERROR,
                version,
                missing[0],
            )
        )
    for norm in norms.values():
        if norm.resolution_minutes < norm.response_minutes:
            found.append(
                Finding(
                    "resolution_before_response",
                    _(
                        "{version}, priority {priority}: resolution within {resolution} "
                        "comes before the response within {response}."
                    ).format(
                        version=_version_name(version),
                        priority=norm.priority,
                        resolution=duration_label(norm.resolution_minutes),
                        response=duration_label(norm.response_minutes),
                    ),
                    ERROR,
                    version,
                    norm.priority,
                )
            )
    return found


def route_total(design: ServiceDesign, route: Route, priority: int) -> tuple[int, list[str]]:
    """The links' resolution norms for ``priority`` along ``route``: their sum and
    the terms (``Team X 4:00``) that make it up. Links without a norm add nothing."""
    total, terms = 0, []
    for link in route.links:
        state = design.by_link.get(link.pk)
        norm = state.norms().get(priority) if state else None
        if norm is not None:
            total += norm.resolution_minutes
            terms.append(f"{link} {duration_label(norm.resolution_minutes)}")
    return total, terms


def _sums_beyond_sa(design: ServiceDesign) -> list[Finding]:
    if design.sa is None or design.sa.current is None:
        return []
    sa_norms = design.sa.norms()
    found = []
    for route in design.routes():
        for priority in sorted(sa_norms):
            limit = sa_norms[priority].resolution_minutes
            total, terms = route_total(design, route, priority)
            if total <= limit:
                continue
            calls = (
                _("calls of {processes}").format(processes=", ".join(route.processes))
                if route.processes
                else _("a call through the whole chain")
            )
            found.append(
                Finding(
                    "links_exceed_sa",
                    _(
                        "Priority {priority}, {calls}: the resolution norms of the links add "
                        "up to {total} ({terms}), beyond the {limit} of {sa}. Shorten a "
                        "link's norm or agree a longer resolution with the customer."
                    ).format(
                        priority=priority,
                        calls=calls,
                        total=duration_label(total),
                        terms=" + ".join(terms),
                        limit=duration_label(limit),
                        sa=_version_name(design.sa.current),
                    ),
                    ERROR,
                    design.sa.current,
                    priority,
                )
            )
    return found
