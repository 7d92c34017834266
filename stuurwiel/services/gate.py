"""The design gate (§20.3, the tool-first pitfall): a service takes live work only
when it is designed. :func:`gate_gaps` lists every condition not met, each with a
stable ``code`` (for the API and tests), a translated message and the page where
it is fixed. The gate page shows the same list as a checklist; going live is
refused with it.

Conditions: definition and canvas complete; one owner; a chain with at least one
link; every link has an interface and every interface both ends; the customer
connected to the chain; an SA and, per link, an OLA or UC, in force or drafted,
with norms for every priority; service hours (a calendar); consistent norms; the
current design approved by someone who did not specify it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext as _

from stuurwiel.services import design
from stuurwiel.services.choices import ApprovalDecision, EndKind


@dataclass(frozen=True)
class Gap:
    """One unmet condition of the gate."""

    code: str
    message: str
    fix_url: str = ""
    group: str = ""


@dataclass
class GateCondition:
    """One line of the gate's checklist: met, or its gaps."""

    code: str
    label: str
    gaps: list[Gap] = field(default_factory=list)

    @property
    def met(self) -> bool:
        return not self.gaps


def _url(name: str, service, **kwargs) -> str:
    return reverse(name, kwargs={"org": service.organisation.slug, **kwargs})


def gate_conditions(
    service,
    *,
    links=None,
    interfaces=None,
    approvals=None,
    customers=None,
    canvas_items=None,
) -> list[GateCondition]:
    """The checklist, in the order a designer works through it (§11.5: first the
    what, then the chain, then the agreements). A page that shows parts of the
    design passes what it fetched — the ``links`` (with team and supplier), the
    ``interfaces``, the ``approvals`` (newest first), the ``customers``, the
    ``canvas_items`` — so nothing is fetched twice; the rest is read here."""
    from stuurwiel.agreements.consistency import service_design

    edit = _url("services:service_edit", service, pk=service.pk)
    canvas = _url("services:service_canvas", service, pk=service.pk)
    chain = _url("services:service_detail", service, pk=service.pk) + "#chain"
    design_page = _url("services:service_gate", service, pk=service.pk)
    conditions = [
        GateCondition(
            "definition", _("Definition complete"), _definition_gaps(service, edit, customers)
        ),
        GateCondition(
            "canvas",
            _("Service Model Canvas complete"),
            _canvas_gaps(service, canvas, canvas_items),
        ),
        GateCondition("owner", _("Exactly one owner of the chain performance"), []),
        GateCondition("chain", _("A chain with at least one link"), []),
        GateCondition("interfaces", _("Every link has an interface with both ends"), []),
        GateCondition("agreements", _("An SA and an OLA or UC per link, with norms"), []),
        GateCondition("calendar", _("Service hours (a business calendar)"), []),
        GateCondition("norms", _("Consistent norms"), []),
        GateCondition("approval", _("Design approved by someone else"), []),
    ]
    by_code = {condition.code: condition for condition in conditions}
    if service.owner_id is None:
        by_code["owner"].gaps.append(
            Gap("owner_missing", _("Name the owner of the chain performance."), edit)
        )
    if links is None:
        links = list(service.links.select_related("team", "supplier"))
    if interfaces is None:
        interfaces = list(service.interfaces.all())
    if not links:
        by_code["chain"].gaps.append(
            Gap("chain_empty", _("Add at least one link (a team or a supplier)."), chain)
        )
    by_code["interfaces"].gaps.extend(_interface_gaps(service, links, interfaces, chain))
    if service.calendar_id is None:
        by_code["calendar"].gaps.append(
            Gap("calendar_missing", _("Choose the service hours (a business calendar)."), edit)
        )
    # Both agreement checks read the same agreements, versions and norms: fetch once.
    agreements = service_design(service, links=links)
    by_code["agreements"].gaps.extend(_agreement_gaps(service, agreements))
    if by_code["agreements"].gaps:
        # Consistency is judged on complete agreements: until then it is not met.
        by_code["norms"].gaps.append(
            Gap(
                "norms_not_checkable",
                _("Checked once the SA and every link's agreement have their norms."),
                "",
            )
        )
    else:
        by_code["norms"].gaps.extend(_norm_gaps(service, agreements))
    by_code["approval"].gaps.extend(_approval_gaps(service, design_page, approvals))
    for condition in conditions:
        for number, gap in enumerate(condition.gaps):
            if not gap.group:
                condition.gaps[number] = Gap(gap.code, gap.message, gap.fix_url, condition.code)
    return conditions


def gate_gaps(service) -> list[Gap]:
    """Every unmet condition, flat (what going live is refused with)."""
    return [gap for condition in gate_conditions(service) for gap in condition.gaps]


def _definition_gaps(service, edit: str, customers=None) -> list[Gap]:
    gaps = []
    if not service.customer_value.strip():
        gaps.append(
            Gap(
                "value_missing",
                _("Describe the value the service delivers, in the customers' words."),
                edit,
            )
        )
    if not service.customer_description.strip():
        gaps.append(
            Gap(
                "customer_description_missing",
                _("Describe for requesters what they can ask for."),
                edit,
            )
        )
    if not (service.customers.exists() if customers is None else customers):
        gaps.append(Gap("customers_missing", _("Name the customers and user groups."), edit))
    return gaps


def _canvas_gaps(service, canvas: str, items=None) -> list[Gap]:
    gaps = []
    if items is None:
        items = list(service.canvas_items.all())
    for section in design.canvas_sections():
        own = [item for item in items if item.section == section.ref_id]
        if not own:
            if not section.optional:
                gaps.append(
                    Gap(
                        f"canvas_{section.ref_id}_missing",
                        _("The canvas has no entry for “{section}”.").format(section=section.name),
                        canvas,
                    )
                )
            continue
        for item in own:
            empty = [
                cell.name
                for cell in section.cells
                if not str((item.values or {}).get(cell.ref_id, "")).strip()
            ]
            if empty:
                gaps.append(
                    Gap(
                        "canvas_cell_empty",
                        _("“{item}” ({section}): fill in {cells}.").format(
                            item=item.name, section=section.name, cells=", ".join(empty)
                        ),
                        canvas,
                    )
                )
    return gaps


def _interface_gaps(service, links, interfaces, chain: str) -> list[Gap]:
    gaps = []
    touched: set[int] = set()
    customer_connected = False
    for interface in interfaces:
        for end in ("source", "target"):
            if interface.end_missing(end):
                gaps.append(
                    Gap(
                        "interface_end_missing",
                        _("Interface “{name}” misses its {end} end.").format(
                            name=interface.name,
                            end=_("from") if end == "source" else _("to"),
                        ),
                        _url("services:interface_edit", service, pk=interface.pk),
                    )
                )
        for end in ("source", "target"):
            if getattr(interface, f"{end}_kind") == EndKind.CUSTOMER:
                customer_connected = True
            link_id = getattr(interface, f"{end}_link_id")
            if link_id is not None:
                touched.add(link_id)
    if links and not customer_connected:
        gaps.append(
            Gap(
                "customer_interface_missing",
                _("Connect the customer to the first link with an interface."),
                chain,
            )
        )
    for link in links:
        if link.pk not in touched:
            gaps.append(
                Gap(
                    "link_without_interface",
                    _("Link “{link}” has no interface.").format(link=link),
                    chain,
                )
            )
    return gaps


def _agreement_gaps(service, design) -> list[Gap]:
    from stuurwiel.agreements.consistency import agreement_gaps

    return _blocking(service, agreement_gaps(service, design=design))


def _norm_gaps(service, design) -> list[Gap]:
    from stuurwiel.agreements.consistency import norm_findings

    return _blocking(service, norm_findings(service, design=design))


def _blocking(service, findings) -> list[Gap]:
    """The agreements' findings that hold a service back (errors; a warning such
    as a version still in draft is shown on the agreements page, not here)."""
    page = reverse(
        "agreements:service_agreements",
        kwargs={"org": service.organisation.slug, "service": service.pk},
    )
    return [Gap(f.code, f.message, page) for f in findings if f.severity == "error"]


def approval_current(service, approval) -> bool:
    """Whether ``approval`` approved the design as it is now: nothing was written
    to the design since (its ``design_version``). An approval recorded before the
    design had a version number is compared by the design's digest."""
    if approval.design_version is not None:
        return approval.design_version == service.design_version
    return approval.design_digest == design.design_digest(service)


def _approval_gaps(service, page: str, approvals=None) -> list[Gap]:
    if approvals is None:
        latest = service.approvals.order_by("-created_at", "-id").first()
    else:
        latest = approvals[0] if approvals else None
    if latest is None or latest.decision != ApprovalDecision.APPROVED:
        return [
            Gap(
                "approval_missing",
                _("Have the design approved by someone who did not specify it."),
                page,
            )
        ]
    if not approval_current(service, latest):
        return [
            Gap(
                "approval_outdated",
                _("The design changed after it was approved: have it approved again."),
                page,
            )
        ]
    return []
