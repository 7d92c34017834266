"""The pilot path: the seven implementation steps of USM (Van Bon 2026,
managementsamenvatting) as a guided path, each step's progress read from the data.

Model
    The steps are the USM library's ``implementation_step`` parts (their names,
    the book's wording as ``quote`` and the guard rails that count most at each
    step), so the path follows the library. What each step looks at is fixed here,
    one small function per step, and says what it saw:

    1. a service with the USM lens exists: the services are the pilot scope;
    2. members hold roles on each of USM's four levels (architecture, management,
       coordination, execution) — whether they master the concepts Stuurwiel
       cannot see;
    3. the playing field: services with links, shown as a matrix of services ×
       teams and suppliers;
    4. one visible service fully designed: its canvas and every condition of the
       design gate (§20.3);
    5. ways of working: the links perform process steps of the USM templates;
    6. tooling: a service is live; calls are handled in a later version of
       Stuurwiel, so that part is not shown yet;
    7. improvement goals: they come from risks in Verbeteren, which Stuurwiel does
       not record yet, so the step is not measurable.

    Guard rails are shown where the library puts them, with what the data says
    about them: services designed in parallel before one is live (scale only when
    stable), a live service whose design no longer passes the gate (protect the
    architecture).

Limits
    Only the services the member may see count. The gate is evaluated per service
    (a few queries each): fine for a pilot's handful of services, not meant for
    hundreds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stuurwiel.core.i18n import active_content_language
from stuurwiel.frameworks.models import FrameworkPart
from stuurwiel.organisations import access as access_layer
from stuurwiel.organisations.choices import RoleLevel
from stuurwiel.organisations.models import RoleAssignment
from stuurwiel.organisations.roles import ROLE_LEVELS, USM_URN
from stuurwiel.services import design, gate
from stuurwiel.services.choices import ServiceStatus
from stuurwiel.services.models import Link, Service

STEP_KIND = "implementation_step"
USM_LEVELS = (
    RoleLevel.ARCHITECTURE,
    RoleLevel.MANAGEMENT,
    RoleLevel.COORDINATION,
    RoleLevel.EXECUTION,
)


class StepState:
    DONE = "done"
    STARTED = "started"
    NOT_STARTED = "not_started"
    NOT_MEASURABLE = "not_measurable"


@dataclass
class Remark:
    """What the data says about a guard rail at this step."""

    text: str
    warning: bool = False


@dataclass
class PilotStep:
    number: int
    ref_id: str
    name: str
    description: str
    quote: str = ""
    quote_source: str = ""
    guard_rails: list[str] = field(default_factory=list)
    state: str = StepState.NOT_STARTED
    evidence: list[str] = field(default_factory=list)
    remarks: list[Remark] = field(default_factory=list)
    action_name: str = ""  # the URL name of action_url
    action_url: str = ""
    action_label: str = ""

    def act(self, facts: _Facts, name: str, label: str, **kwargs) -> None:
        """Point the step at the page where its work is done."""
        self.action_name, self.action_label = name, label
        self.action_url = facts.url(name, **kwargs)

    @property
    def state_label(self) -> str:
        return {
            StepState.DONE: _("done"),
            StepState.STARTED: _("under way"),
            StepState.NOT_STARTED: _("not started"),
            StepState.NOT_MEASURABLE: _("not measurable yet"),
        }[self.state]


@dataclass
class Matrix:
    """Step 3: who contributes to what. One row per team or supplier that is a link
    of some chain (teams by domain, then suppliers), one column per service; a cell
    is that party's link in that service's chain, or None."""

    services: list[Service]
    rows: list[tuple[Any, list[Link | None]]]  # (Team or Supplier, a cell per service)


@dataclass
class PilotPath:
    steps: list[PilotStep]
    matrix: Matrix
    guard_rails: list[str]
    guard_rails_source: str


def _text(value: Any) -> str:
    if isinstance(value, dict):
        return str(value.get(active_content_language()) or value.get("nl") or "")
    return str(value or "")


def _library_steps() -> tuple[list[PilotStep], FrameworkPart | None]:
    parts = list(
        FrameworkPart.objects.filter(framework__urn=USM_URN, kind=STEP_KIND)
        .select_related("parent")
        .order_by("order", "pk")
    )
    steps = []
    for part in parts:
        attributes = part.attributes or {}
        steps.append(
            PilotStep(
                number=int(attributes.get("number") or len(steps) + 1),
                ref_id=part.ref_id,
                name=part.name,
                description=part.description,
                quote=_text(attributes.get("quote")),
                quote_source=_text(attributes.get("quote_source")),
                guard_rails=[_text(rail) for rail in attributes.get("guard_rails") or []],
            )
        )
    steps.sort(key=lambda step: step.number)
    return steps, (parts[0].parent if parts else None)


def pilot_path(*, organisation, member_access) -> PilotPath:
    """The seven steps with their progress, for what ``member_access`` may see."""
    steps, implementation = _library_steps()
    services = list(
        access_layer.restrict(
            Service.objects.filter(organisation=organisation), member_access, "view"
        )
        .select_related("organisation", "owner")
        .prefetch_related(
            Prefetch(
                "links",
                queryset=Link.objects.select_related("team", "supplier").order_by("position", "id"),
            )
        )
        .order_by("name", "id")
    )
    facts = _Facts(organisation, services)
    for step in steps:
        derive = _DERIVATIONS.get(step.number)
        if derive is not None:
            derive(step, facts)
    attributes = (implementation.attributes if implementation else None) or {}
    return PilotPath(
        steps=steps,
        matrix=facts.matrix(),
        guard_rails=[_text(rail) for rail in attributes.get("guard_rails") or []],
        guard_rails_source=_text(attributes.get("guard_rails_source")),
    )


class _Facts:
    """What the steps look at, worked out once."""

    def __init__(self, organisation, services: list[Service]) -> None:
        self.organisation = organisation
        self.services = [s for s in services if s.status != ServiceStatus.RETIRED]
        self.live = [s for s in self.services if s.status == ServiceStatus.LIVE]
        self._gates: dict[int, list[gate.GateCondition]] = {}

    def url(self, name: str, **kwargs) -> str:
        return reverse(name, kwargs={"org": self.organisation.slug, **kwargs})

    def conditions(self, service: Service) -> list[gate.GateCondition]:
        if service.pk not in self._gates:
            self._gates[service.pk] = gate.gate_conditions(service)
        return self._gates[service.pk]

    def links(self) -> list[Link]:
        return [link for service in self.services for link in service.links.all()]

    def matrix(self) -> Matrix:
        """Columns: teams (by domain and name), then suppliers; a cell is the link."""

        def key(link: Link) -> tuple[str, int]:
            return ("supplier", link.supplier_id) if link.is_supplier else ("team", link.team_id)

        parties: dict[tuple[str, int], Any] = {}
        for link in self.links():
            parties.setdefault(key(link), link.supplier if link.is_supplier else link.team)
        order = sorted(
            parties,
            key=lambda k: (k[0] == "supplier", getattr(parties[k], "domain", ""), str(parties[k])),
        )
        cells = {
            (service.pk, key(link)): link
            for service in self.services
            for link in service.links.all()
        }
        rows = [
            (parties[k], [cells.get((service.pk, k)) for service in self.services]) for k in order
        ]
        return Matrix(services=list(self.services), rows=rows)


def _step_scope(step: PilotStep, f: _Facts) -> None:
    step.act(f, "services:service_list", _("Service catalogue"))
    if not f.services:
        step.evidence.append(_("No service is recorded yet: the pilot has no scope."))
        return
    step.state = StepState.DONE
    names = ", ".join(service.name for service in f.services)
    step.evidence.append(
        ngettext(
            "The pilot scope holds {count} service: {names}.",
            "The pilot scope holds {count} services: {names}.",
            len(f.services),
        ).format(count=len(f.services), names=names)
    )
    if not f.live and len(f.services) > 1:
        step.remarks.append(
            Remark(
                _(
                    "{count} services are being designed and none is live yet: finish one "
                    "before you widen the scope."
                ).format(count=len(f.services)),
                warning=True,
            )
        )


def _step_concepts(step: PilotStep, f: _Facts) -> None:
    step.act(f, "organisations:membership_list", _("Members"))
    roles = RoleAssignment.objects.filter(
        membership__organisation=f.organisation, membership__is_active=True
    ).values_list("role", "membership_id")
    members: dict[str, set[int]] = {level: set() for level in USM_LEVELS}
    for role, membership in roles:
        level = ROLE_LEVELS.get(role)
        if level in members:
            members[level].add(membership)
    held = [level for level in USM_LEVELS if members[level]]
    labels = {level: RoleLevel(level).label for level in USM_LEVELS}
    for level in USM_LEVELS:
        step.evidence.append(
            ngettext(
                "{level}: {count} member with a role on this level.",
                "{level}: {count} members with a role on this level.",
                len(members[level]),
            ).format(level=labels[level], count=len(members[level]))
        )
    step.state = (
        StepState.DONE
        if len(held) == len(USM_LEVELS)
        else (StepState.STARTED if held else StepState.NOT_STARTED)
    )
    step.evidence.append(
        _("Stuurwiel sees who holds a USM role, not whether they master the concepts.")
    )


def _step_playing_field(step: PilotStep, f: _Facts) -> None:
    step.act(f, "services:link_list", _("Chain links"))
    with_links = [service for service in f.services if service.links.all()]
    if not with_links:
        step.evidence.append(_("No service has a chain link yet."))
        return
    step.state = StepState.DONE if len(with_links) == len(f.services) else StepState.STARTED
    parties = {(link.is_supplier, link.team_id or link.supplier_id) for link in f.links()}
    step.evidence.append(
        _(
            "{services} of {total} services have a chain; {parties} teams and suppliers "
            "contribute (the matrix below)."
        ).format(services=len(with_links), total=len(f.services), parties=len(parties))
    )


def _step_services(step: PilotStep, f: _Facts) -> None:
    step.act(f, "services:service_list", _("Service catalogue"))
    if not f.services:
        step.evidence.append(_("No service is recorded yet."))
        return
    scored = []
    for service in f.services:
        conditions = f.conditions(service)
        scored.append((sum(c.met for c in conditions), len(conditions), service))
    met, total, best = max(scored, key=lambda row: (row[0], row[2].status == "live"))
    canvas = {c.code: c.met for c in f.conditions(best)}.get("canvas", False)
    designed = [service for met_, total_, service in scored if met_ == total_]
    if designed:
        step.state = StepState.DONE
        label = _("Service Model Canvas of “{name}”").format(name=designed[0].name)
        step.act(f, "services:service_canvas", label, pk=designed[0].pk)
        step.evidence.append(
            _("Fully designed, canvas complete and every gate condition met: {names}.").format(
                names=", ".join(service.name for service in designed)
            )
        )
    else:
        step.state = StepState.STARTED
        label = _("Design gate of “{name}”").format(name=best.name)
        step.act(f, "services:service_gate", label, pk=best.pk)
        step.evidence.append(
            _("Furthest along: “{name}”, {met} of {total} gate conditions met{canvas}.").format(
                name=best.name,
                met=met,
                total=total,
                canvas=_(", canvas complete") if canvas else _(", canvas not complete"),
            )
        )
    if not f.live and len(f.services) > 1:
        step.remarks.append(
            Remark(
                _("Begin with one visible service: bring it live before designing the next."),
                warning=True,
            )
        )
    step.remarks.append(
        Remark(_("A service goes live only through the design gate, so the design holds."))
    )


def _step_ways_of_working(step: PilotStep, f: _Facts) -> None:
    step.act(f, "services:link_list", _("Chain links"))
    links = f.links()
    if not links:
        step.evidence.append(_("No chain links yet, so no ways of working to record."))
        return
    with_steps = [link for link in links if link.steps]
    known = {s.ref_id: s.process for s in design.process_steps()}
    processes = {known[ref] for link in with_steps for ref in link.steps if ref in known}
    step.state = (
        StepState.DONE
        if len(with_steps) == len(links)
        else (StepState.STARTED if with_steps else StepState.NOT_STARTED)
    )
    step.evidence.append(
        _(
            "{with_steps} of {links} chain links perform process steps of the USM templates, "
            "in {processes} of the five processes."
        ).format(with_steps=len(with_steps), links=len(links), processes=len(processes))
    )


def _step_tooling(step: PilotStep, f: _Facts) -> None:
    step.act(f, "services:requester_catalogue", _("What you can ask us for"))
    if f.live:
        step.state = StepState.STARTED
        step.evidence.append(
            _("Live and ready to take calls: {names}.").format(
                names=", ".join(service.name for service in f.live)
            )
        )
    else:
        step.evidence.append(_("No service is live yet: the tooling follows the design."))
    step.evidence.append(
        _("Handling calls and regular work in Stuurwiel comes in a later version.")
    )
    for service in f.live:
        if not all(c.met for c in f.conditions(service)):
            step.remarks.append(
                Remark(
                    _(
                        "“{name}” is live, but its design no longer passes the gate: "
                        "repair the design before anything else."
                    ).format(name=service.name),
                    warning=True,
                )
            )


def _step_improvement(step: PilotStep, f: _Facts) -> None:
    step.state = StepState.NOT_MEASURABLE
    step.evidence.append(
        _(
            "Improvement goals come from risks in Verbeteren and the chain-wide measurement; "
            "Stuurwiel does not record those yet."
        )
    )


_DERIVATIONS = {
    1: _step_scope,
    2: _step_concepts,
    3: _step_playing_field,
    4: _step_services,
    5: _step_ways_of_working,
    6: _step_tooling,
    7: _step_improvement,
}
