"""Checking a service design file completely before anything is written.

:func:`design_plan` reads a parsed export (see :mod:`stuurwiel.services.exchange`)
and either returns a :class:`Plan` — the cleaned values, and for every name the
design uses either the organisation's existing object or what to create — or
raises :class:`~stuurwiel.services.exchange.ImportRefused` with *every* problem,
each with a JSON pointer (RFC 6901) to where it is. It checks the format and
version, types, lengths and required fields; the USM library (canvas sections and
cells, process steps); the chain (interface ends and managing links are links of
the file, a team or supplier once per chain); the agreements (an SA with the
customer, an OLA with a team, a UC with a supplier, one per link, resolution not
before response); and the names: a service name not yet used, and persons, teams,
suppliers, stakeholders, calendars and elements that exist or that the file's
``references`` describe and the member may create.

It reads, never writes; the writes repeat the models' own checks, so a problem
this module misses is still refused (and rolled back), only less readably.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from stuurwiel.agreements.choices import AgreementKind, VersionStatus
from stuurwiel.agreements.models import Agreement, AgreementVersion
from stuurwiel.calendars.models import BusinessCalendar
from stuurwiel.core.text import text_problem
from stuurwiel.graph.models import Element
from stuurwiel.parties.models import Person
from stuurwiel.services import design
from stuurwiel.services.choices import ComponentKind, EndKind, ServiceForm, ServiceStatus
from stuurwiel.services.exchange_checks import FileCheck, Ref, max_length, pointer
from stuurwiel.services.exchange_format import FORMAT, FORMAT_VERSION, ImportRefused
from stuurwiel.services.models import CanvasItem, InfrastructureComponent, Interface, Service

#: A canvas cell holds at most this much text (as on the canvas page).
CELL_MAX = 5000

LinkKey = tuple[str, str]  # ("team" | "supplier", name)

SERVICE_KEYS = (
    "customer_value",
    "customer_description",
    "owner",
    "customers",
    "form",
    "generic_service",
    "calendar",
    "canvas",
    "links",
    "interfaces",
    "infrastructure",
    "agreements",
    "status",
    "approvals",
)
VERSION_KEYS = (
    "status",
    "calendar",
    "availability",
    "facility_functionality",
    "notes",
    "norms",
)


@dataclass
class Plan:
    """A checked design, ready to write."""

    service: dict[str, Any]
    refs: dict[str, dict[str, Ref]]
    canvas: list[dict[str, Any]] = field(default_factory=list)
    links: list[dict[str, Any]] = field(default_factory=list)
    interfaces: list[dict[str, Any]] = field(default_factory=list)
    components: list[dict[str, Any]] = field(default_factory=list)
    agreements: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class _DesignCheck(FileCheck):
    """Reads one file into a :class:`Plan`, collecting every problem."""

    def __init__(self, organisation, by) -> None:
        super().__init__(organisation, by)
        self.link_keys: set[LinkKey] = set()

    # --- the file ---------------------------------------------------------------

    def run(self, data: Any) -> Plan | None:
        root = self.obj(
            data, "", required=("format", "format_version", "service"), optional=("references",)
        )
        if root is None:
            return None
        if root.get("format") != FORMAT or root.get("format_version") != FORMAT_VERSION:
            self.add(
                "/format",
                _(
                    "This is not a Stuurwiel service design (format {format}, version {version})."
                ).format(format=FORMAT, version=FORMAT_VERSION),
            )
            return None
        self.references(root.get("references", {}))
        service = self.obj(
            root.get("service"),
            "/service",
            required=("name",),
            optional=SERVICE_KEYS,
        )
        if service is None:
            return None
        plan = Plan(service=self.definition(service), refs={})
        plan.canvas = self.canvas(service)
        plan.links = self.links(service, {item["name"] for item in plan.canvas})
        plan.interfaces = self.interfaces(service)
        plan.components = self.components(service)
        plan.agreements = self.agreements(service)
        plan.notes = self.notes(service)
        plan.refs = self.resolve()
        return plan

    def notes(self, service: dict) -> list[str]:
        notes = [_("The service starts as a draft: the status of the source is not carried.")]
        if service.get("approvals"):
            notes.append(
                _(
                    "Approvals are not imported: an approval is a person's decision in the "
                    "source organisation. Have the design approved here."
                )
            )
        versions = [
            version
            for agreement in service.get("agreements") or []
            if isinstance(agreement, dict)
            for version in agreement.get("versions") or []
            if isinstance(version, dict)
        ]
        if any(version.get("status", VersionStatus.DRAFT) != "draft" for version in versions):
            notes.append(_("Agreement versions arrive as drafts: put them in force here."))
        return notes

    # --- the service's definition ----------------------------------------------------

    def definition(self, d: dict) -> dict[str, Any]:
        path = "/service"
        name = self.text(d, "name", path, max_length=max_length(Service, "name"), required=True)
        if name and Service.objects.filter(organisation=self.organisation, name=name).exists():
            self.add(
                pointer(path, "name"),
                _("This organisation already has a service called “{name}”.").format(name=name),
            )
        owner = self.name(d, "owner", path, max_length=max_length(Person, "name"))
        self.want("persons", owner, pointer(path, "owner"))
        customers = []
        for index, value in enumerate(self.array(d, "customers", path)):
            where = pointer(pointer(path, "customers"), index)
            if not isinstance(value, str) or not value.strip() or text_problem(value):
                self.add(where, _("Give the name of a stakeholder here."))
            elif value not in customers:
                customers.append(value)
                self.want("stakeholders", value, where)
        form = self.choice(d, "form", path, ServiceForm, default=ServiceForm.SINGLE)
        generic_name = self.name(d, "generic_service", path)
        generic = self.generic(form, generic_name, pointer(path, "generic_service"))
        calendar = self.name(d, "calendar", path, max_length=max_length(BusinessCalendar, "name"))
        self.want("calendars", calendar, pointer(path, "calendar"))
        if d.get("status") is not None:
            self.choice(d, "status", path, ServiceStatus)
        if not isinstance(d.get("approvals", []), list):
            self.add(pointer(path, "approvals"), _("Give a list here."))
        return {
            "name": name,
            "customer_value": self.text(d, "customer_value", path),
            "customer_description": self.text(d, "customer_description", path),
            "owner": owner,
            "customers": customers,
            "form": form,
            "generic_service": generic,
            "calendar": calendar,
        }

    def generic(self, form: str | None, name: str | None, where: str):
        if form == ServiceForm.SPECIFIC and name is None:
            self.add(where, _("A specific service names its generic service."))
        if form != ServiceForm.SPECIFIC and name is not None:
            self.add(where, _("Only a specific service is part of a generic service."))
        if name is None or form != ServiceForm.SPECIFIC:
            return None
        found = Service.objects.filter(
            organisation=self.organisation, name=name, form=ServiceForm.GENERIC
        ).first()
        if found is None:
            self.add(
                where,
                _(
                    "This organisation has no generic service called “{name}”: import it first."
                ).format(name=name),
            )
        return found

    # --- canvas and chain ---------------------------------------------------------

    def canvas(self, service: dict) -> list[dict]:
        sections = {section.ref_id: section for section in design.canvas_sections()}
        items = []
        for index, value in enumerate(self.array(service, "canvas", "/service")):
            path = f"/service/canvas/{index}"
            d = self.obj(value, path, required=("section", "name"), optional=("values", "position"))
            if d is None:
                continue
            section = d.get("section")
            known_section = sections.get(section) if isinstance(section, str) else None
            if known_section is None:
                self.add(
                    pointer(path, "section"),
                    _("The Service Model Canvas has no section “{section}”.").format(
                        section=section
                    ),
                )
            values = d.get("values", {})
            if not isinstance(values, dict):
                self.add(pointer(path, "values"), _("The specification is a text per cell."))
                values = {}
            known = {c.ref_id for c in known_section.cells} if known_section else None
            for cell in values:
                where = pointer(pointer(path, "values"), cell)
                if known is not None and cell not in known:
                    message = _("This section of the canvas has no cell “{cell}”.")
                    self.add(where, message.format(cell=cell))
                self.text(values, cell, pointer(path, "values"), max_length=CELL_MAX)
            items.append(
                {
                    "section": section,
                    "name": self.text(
                        d, "name", path, max_length=max_length(CanvasItem, "name"), required=True
                    ),
                    "values": values,
                    "position": self.integer(d, "position", path),
                }
            )
        names = [item["name"] for item in items]
        self.ambiguous_canvas = {name for name in names if names.count(name) > 1}
        return items

    def link_key(self, value: Any, where: str, *, known: bool = True) -> LinkKey | None:
        """``{"team": name}`` or ``{"supplier": name}``, a link of this file's chain."""
        if (
            not isinstance(value, dict)
            or len(value) != 1
            or next(iter(value)) not in ("team", "supplier")
            or not isinstance(next(iter(value.values())), str)
            or not next(iter(value.values())).strip()
        ):
            message = _(
                'Name a link as an object with one key, "team" or "supplier", and its name.'
            )
            self.add(where, message)
            return None
        key = next(iter(value.items()))
        if known and key not in self.link_keys:
            self.add(where, _("The chain in this file has no link “{name}”.").format(name=key[1]))
            return None
        return key

    def links(self, service: dict, canvas_names: set[str]) -> list[dict]:
        steps = {step.ref_id for step in design.process_steps()}
        links = []
        for index, value in enumerate(self.array(service, "links", "/service")):
            path = f"/service/links/{index}"
            d = self.obj(
                value,
                path,
                optional=(
                    "team",
                    "supplier",
                    "position",
                    "contribution",
                    "steps",
                    "contributes_to",
                ),
            )
            if d is None:
                continue
            ends = {k: d[k] for k in ("team", "supplier") if k in d}
            key = self.link_key(ends, path, known=False)
            if key in self.link_keys:
                self.add(path, _("The chain has “{name}” twice.").format(name=key[1]))
            elif key is not None:
                self.link_keys.add(key)
                self.want(f"{key[0]}s", key[1], pointer(path, key[0]))
            for number, step in enumerate(self.array(d, "steps", path)):
                if not isinstance(step, str) or step not in steps:
                    self.add(
                        f"{path}/steps/{number}",
                        _("The USM library has no process step “{step}”.").format(step=step),
                    )
            contributes = []
            for number, name in enumerate(self.array(d, "contributes_to", path)):
                where = f"{path}/contributes_to/{number}"
                if not isinstance(name, str) or name not in canvas_names:
                    message = _("The canvas in this file has no item “{name}”.")
                    self.add(where, message.format(name=name))
                elif name in self.ambiguous_canvas:
                    message = _("Several canvas items are called “{name}”.")
                    self.add(where, message.format(name=name))
                else:
                    contributes.append(name)
            links.append(
                {
                    "key": key,
                    "position": self.integer(d, "position", path),
                    "contribution": self.text(d, "contribution", path),
                    "steps": [
                        step
                        for step in self.array(d, "steps", path)
                        if isinstance(step, str) and step in steps
                    ],
                    "contributes_to": contributes,
                }
            )
        return links

    def end(self, d: dict, key: str, path: str) -> tuple[str, LinkKey | None] | None:
        value = d.get(key)
        where = pointer(path, key)
        if value == EndKind.CUSTOMER:
            return (EndKind.CUSTOMER, None)
        if value is None:
            self.add(where, _("Name the link at this end, or “customer”."))
            return None
        found = self.link_key(value, where)
        return (EndKind.LINK, found) if found is not None else None

    def interfaces(self, service: dict) -> list[dict]:
        found = []
        for index, value in enumerate(self.array(service, "interfaces", "/service")):
            path = f"/service/interfaces/{index}"
            d = self.obj(
                value,
                path,
                required=("name", "from", "to"),
                optional=("passes", "trigger", "expected_response", "norm_minutes", "norm_note"),
            )
            if d is None:
                continue
            source, target = self.end(d, "from", path), self.end(d, "to", path)
            if source and target and source[0] == target[0] == EndKind.CUSTOMER:
                self.add(
                    pointer(path, "to"),
                    _("An interface connects the customer to a link, or links."),
                )
            elif source and target and source[1] is not None and source[1] == target[1]:
                self.add(pointer(path, "to"), _("An interface connects two different links."))
            found.append(
                {
                    "name": self.text(
                        d, "name", path, max_length=max_length(Interface, "name"), required=True
                    ),
                    "source": source,
                    "target": target,
                    "passes": self.text(d, "passes", path),
                    "trigger": self.text(d, "trigger", path),
                    "expected_response": self.text(d, "expected_response", path),
                    "norm_minutes": self.integer(d, "norm_minutes", path, null=True),
                    "norm_note": self.text(
                        d, "norm_note", path, max_length=max_length(Interface, "norm_note")
                    ),
                }
            )
        return found

    def components(self, service: dict) -> list[dict]:
        found = []
        for index, value in enumerate(self.array(service, "infrastructure", "/service")):
            path = f"/service/infrastructure/{index}"
            d = self.obj(
                value,
                path,
                required=("name", "kind"),
                optional=("element", "managed_by", "description"),
            )
            if d is None:
                continue
            element = self.name(d, "element", path, max_length=max_length(Element, "name"))
            self.want("elements", element, pointer(path, "element"))
            managed_by = None
            if d.get("managed_by") is not None:
                managed_by = self.link_key(d["managed_by"], pointer(path, "managed_by"))
            found.append(
                {
                    "name": self.text(
                        d,
                        "name",
                        path,
                        max_length=max_length(InfrastructureComponent, "name"),
                        required=True,
                    ),
                    "kind": self.choice(d, "kind", path, ComponentKind),
                    "element": element,
                    "managed_by": managed_by,
                    "description": self.text(d, "description", path),
                }
            )
        return found

    # --- agreements ------------------------------------------------------------------

    def agreements(self, service: dict) -> list[dict]:
        found: list[dict] = []
        with_link: set[LinkKey] = set()
        for index, value in enumerate(self.array(service, "agreements", "/service")):
            path = f"/service/agreements/{index}"
            d = self.obj(value, path, required=("kind", "name"), optional=("link", "versions"))
            if d is None:
                continue
            kind = self.choice(d, "kind", path, AgreementKind)
            link = None
            if d.get("link") is not None:
                link = self.link_key(d["link"], pointer(path, "link"))
            self.agreement_link(kind, link, d.get("link"), pointer(path, "link"))
            if kind == AgreementKind.SA and any(a["kind"] == AgreementKind.SA for a in found):
                self.add(pointer(path, "kind"), _("A service has one service agreement (SA)."))
            if link is not None and link in with_link:
                self.add(
                    pointer(path, "link"),
                    _("Link “{name}” has one agreement; this is a second.").format(name=link[1]),
                )
            if link is not None:
                with_link.add(link)
            found.append(
                {
                    "kind": kind,
                    "name": self.text(
                        d, "name", path, max_length=max_length(Agreement, "name"), required=True
                    ),
                    "link": link,
                    "versions": self.versions(d, path),
                }
            )
        return found

    def agreement_link(self, kind, link: LinkKey | None, raw: Any, where: str) -> None:
        if kind == AgreementKind.SA:
            if raw is not None:
                self.add(where, _("A service agreement is made with the customer, not a link."))
        elif kind is not None and raw is None:
            self.add(where, _("An OLA or UC is made with a link of the chain."))
        elif kind == AgreementKind.OLA and link is not None and link[0] != "team":
            self.add(
                where,
                _("An external supplier gets an underpinning contract (UC), not an OLA."),
            )
        elif kind == AgreementKind.UC and link is not None and link[0] != "supplier":
            self.add(where, _("An internal team gets an OLA, not an underpinning contract (UC)."))

    def versions(self, agreement: dict, path: str) -> list[dict]:
        found: list[dict] = []
        for index, value in enumerate(self.array(agreement, "versions", path)):
            where = f"{path}/versions/{index}"
            d = self.obj(
                value,
                where,
                required=("number",),
                optional=VERSION_KEYS,
            )
            if d is None:
                continue
            number = self.integer(d, "number", where, minimum=1)
            if number is not None and any(v["number"] == number for v in found):
                message = _("This agreement has version {number} twice.")
                self.add(pointer(where, "number"), message.format(number=number))
            if "status" in d:
                self.choice(d, "status", where, VersionStatus)
            calendar = self.name(
                d, "calendar", where, max_length=max_length(BusinessCalendar, "name")
            )
            self.want("calendars", calendar, pointer(where, "calendar"))
            found.append(
                {
                    "number": number,
                    "calendar": calendar,
                    "availability": self.availability(d, where),
                    "facility_functionality": self.text(d, "facility_functionality", where),
                    "notes": self.text(d, "notes", where),
                    "norms": self.norms(d, where),
                }
            )
        return found

    def availability(self, d: dict, path: str) -> Decimal | None:
        value = d.get("availability")
        if value is None:
            return None
        field_ = AgreementVersion._meta.get_field("availability")
        try:
            if isinstance(value, bool) or not isinstance(value, (str, int, float)):
                raise InvalidOperation
            number = Decimal(str(value))
            if not number.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            self.add(pointer(path, "availability"), _('Give a percentage, e.g. "99.5".'))
            return None
        places = -number.as_tuple().exponent if number.as_tuple().exponent < 0 else 0
        if not 0 <= number <= 100 or places > field_.decimal_places:
            self.add(
                pointer(path, "availability"),
                _("Give a percentage from 0 to 100 with at most {places} decimals.").format(
                    places=field_.decimal_places
                ),
            )
            return None
        return number

    def norms(self, version: dict, path: str) -> list[dict]:
        found: list[dict] = []
        for index, value in enumerate(self.array(version, "norms", path)):
            where = f"{path}/norms/{index}"
            d = self.obj(
                value, where, required=("priority", "response_minutes", "resolution_minutes")
            )
            if d is None:
                continue
            priority = self.integer(d, "priority", where, minimum=1, maximum=9)
            response = self.integer(d, "response_minutes", where)
            resolution = self.integer(d, "resolution_minutes", where)
            if priority is not None and any(n["priority"] == priority for n in found):
                message = _("This version has two norms for priority {priority}.")
                self.add(pointer(where, "priority"), message.format(priority=priority))
            if response is not None and resolution is not None and resolution < response:
                self.add(
                    pointer(where, "resolution_minutes"),
                    _("Resolution cannot come before the response."),
                )
            found.append(
                {
                    "priority": priority,
                    "response_minutes": response,
                    "resolution_minutes": resolution,
                }
            )
        return found


def design_plan(data: Any, *, organisation, by) -> Plan:
    """The checked plan of the design in ``data``, or :class:`ImportRefused`."""
    check = _DesignCheck(organisation, by)
    plan = check.run(data)
    if check.problems or plan is None:
        raise ImportRefused(check.problems)
    return plan
