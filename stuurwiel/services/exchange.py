"""A whole service design as JSON: export, and import into any organisation.

The export names everything by natural keys (names, library references), never by
database ids, so it can be read by a person, compared between organisations and
imported elsewhere. Its ``service`` part is the design; with ``for_digest`` only
that part is returned, without what is not the design (status, approvals, whether
an agreement version is in force), and :func:`stuurwiel.services.design.design_digest`
hashes it. Its ``references`` part describes what the design names and another
organisation may not have: the persons, teams, suppliers, stakeholders, business
calendars (with their windows and closed days) and model elements.

**Not carried by an import** (documented in the API and on the import page):

- the service's status: an imported service starts as a draft;
- approvals: an approval is a person's decision in the source organisation, so
  the imported design is approved again where it now lives;
- whether an agreement version was in force: every version arrives as a draft;
- e-mail addresses of persons (personal data stays where it was given).

An import (:func:`service_import`) validates the whole file first and lists every
problem with its JSON path (:mod:`stuurwiel.services.exchange_validation`); only a
file without problems is written, in one transaction, through the same services
the pages use (access checks and the change log apply). What the design names but
the organisation lacks is created from ``references``, and the result says so.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from stuurwiel.organisations import access as access_layer

FORMAT = "stuurwiel.service-design"
FORMAT_VERSION = 1


def _name(obj: Any) -> str | None:
    return str(obj) if obj is not None else None


def _link_key(link: Any) -> dict[str, str] | None:
    if link is None:
        return None
    if link.team_id is not None:
        return {"team": link.team.name}
    return {"supplier": link.supplier.name}


def _visible(queryset, access):
    """``queryset`` as far as ``access`` may see it (everything without access)."""
    return queryset if access is None else access_layer.restrict(queryset, access)


def service_export(service: Any, *, for_digest: bool = False, access: Any = None) -> dict[str, Any]:
    """The design of ``service`` as plain data (JSON-ready).

    With ``access`` (a member's), the export holds only what that member may see:
    a supplier's user gets their own contract, not the other links' agreements,
    and no details of parties they may not see (their names stay in the design,
    as on the service page).
    """
    from stuurwiel.agreements.models import Agreement

    agreements = _visible(Agreement.objects.filter(service=service), access)
    data = _design(service, agreements)
    if for_digest:
        # An approval approves the content, not whether a version is already in force.
        for agreement in data["agreements"]:
            for version in agreement["versions"]:
                version.pop("status")
        return data
    data["status"] = service.status
    data["approvals"] = [
        {
            "decision": approval.decision,
            "decided_by": approval.decided_by_name,
            "decided_at": approval.created_at.isoformat(),
            "service_version": approval.service_version,
            "design_digest": approval.design_digest,
            "status_at": approval.status_at,
            "comment": approval.comment,
        }
        for approval in service.approvals.order_by("created_at", "id")
    ]
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "service": data,
        "references": _references(service, data, access),
    }


def _design(service: Any, agreements) -> dict[str, Any]:
    links = list(service.links.select_related("team", "supplier").prefetch_related("canvas_items"))
    return {
        "name": service.name,
        "customer_value": service.customer_value,
        "customer_description": service.customer_description,
        "owner": _name(service.owner),
        "customers": sorted(c.name for c in service.customers.all()),
        "form": service.form,
        "generic_service": _name(service.generic_service),
        "calendar": _name(service.calendar),
        "canvas": [
            {
                "section": item.section,
                "name": item.name,
                "values": dict(sorted((item.values or {}).items())),
                "position": item.position,
            }
            for item in service.canvas_items.order_by("section", "position", "name")
        ],
        "links": [
            {
                **(_link_key(link) or {}),
                "position": link.position,
                "contribution": link.contribution,
                "steps": list(link.steps or []),
                "contributes_to": sorted(item.name for item in link.canvas_items.all()),
            }
            for link in links
        ],
        "interfaces": [
            {
                "name": interface.name,
                "from": "customer"
                if interface.source_kind == "customer"
                else _link_key(interface.source_link),
                "to": "customer"
                if interface.target_kind == "customer"
                else _link_key(interface.target_link),
                "passes": interface.passes,
                "trigger": interface.trigger,
                "expected_response": interface.expected_response,
                "norm_minutes": interface.norm_minutes,
                "norm_note": interface.norm_note,
            }
            for interface in service.interfaces.select_related(
                "source_link__team",
                "source_link__supplier",
                "target_link__team",
                "target_link__supplier",
            ).order_by("name", "pk")
        ],
        "infrastructure": [
            {
                "name": component.name,
                "kind": component.kind,
                "element": _name(component.element),
                "managed_by": _link_key(component.managed_by),
                "description": component.description,
            }
            for component in service.components.select_related(
                "element", "managed_by__team", "managed_by__supplier"
            ).order_by("kind", "name", "pk")
        ],
        "agreements": [
            {
                "kind": agreement.kind,
                "name": agreement.name,
                "link": _link_key(agreement.link),
                "versions": [
                    {
                        "number": version.number,
                        "status": version.status,
                        "calendar": _name(version.calendar),
                        "availability": str(version.availability)
                        if version.availability is not None
                        else None,
                        "facility_functionality": version.facility_functionality,
                        "notes": version.notes,
                        "norms": [
                            {
                                "priority": norm.priority,
                                "response_minutes": norm.response_minutes,
                                "resolution_minutes": norm.resolution_minutes,
                            }
                            for norm in version.norms.order_by("priority")
                        ],
                    }
                    for version in agreement.versions.select_related("calendar").order_by("number")
                ],
            }
            for agreement in agreements.select_related("link__team", "link__supplier").order_by(
                "kind", "name", "pk"
            )
        ],
    }


def _references(service: Any, data: dict[str, Any], access: Any) -> dict[str, list]:
    """What the design names, described well enough to create it elsewhere."""
    from stuurwiel.calendars.models import BusinessCalendar
    from stuurwiel.calendars.models import minutes_label as hhmm
    from stuurwiel.graph.models import Element
    from stuurwiel.parties.models import Person, Stakeholder, Supplier, Team

    org = service.organisation_id
    links = data["links"]
    calendar_names = {data["calendar"]} | {
        version["calendar"] for agreement in data["agreements"] for version in agreement["versions"]
    }
    element_ids = service.components.exclude(element=None).values("element_id")

    def rows(model, **lookup):
        return _visible(model.objects.filter(organisation_id=org, **lookup), access).order_by(
            "name", "pk"
        )

    calendars = rows(BusinessCalendar, name__in=calendar_names - {None}).prefetch_related(
        "windows", "closed_days"
    )
    return {
        "persons": [
            {"name": p.name, "job_title": p.job_title}
            for p in rows(Person, pk=service.owner_id or 0)
        ],
        "teams": [
            {"name": t.name, "code": t.code, "domain": t.domain, "description": t.description}
            for t in rows(Team, name__in=[link["team"] for link in links if "team" in link])
        ],
        "suppliers": [
            {
                "name": s.name,
                "description": s.description,
                "interface_description": s.interface_description,
            }
            for s in rows(
                Supplier, name__in=[link["supplier"] for link in links if "supplier" in link]
            )
        ],
        "stakeholders": [
            {
                "name": s.name,
                "category": s.category,
                "interest": s.interest,
                "influence": s.influence,
                "is_internal": s.is_internal,
                "description": s.description,
            }
            for s in rows(Stakeholder, name__in=data["customers"])
        ],
        "calendars": [
            {
                "name": c.name,
                "description": c.description,
                "time_zone": c.time_zone,
                "windows": [
                    {
                        "weekday": w.weekday,
                        "start": hhmm(w.start_minute),
                        "end": hhmm(w.end_minute),
                    }
                    for w in sorted(c.windows.all(), key=lambda w: (w.weekday, w.start_minute))
                ],
                "closed_days": [
                    {"date": d.date.isoformat(), "name": d.name, "kind": d.kind, "active": d.active}
                    for d in sorted(c.closed_days.all(), key=lambda d: d.date)
                ],
            }
            for c in calendars
        ],
        "elements": [
            {"name": e.name, "element_type": e.element_type, "description": e.description}
            for e in rows(Element, pk__in=element_ids)
        ],
    }


def service_export_json(service: Any, *, access: Any = None) -> str:
    """The export as a JSON document (UTF-8 text, indented for people)."""
    return json.dumps(
        service_export(service, access=access), ensure_ascii=False, indent=2, sort_keys=False
    )


# --- Import -------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: where (a JSON pointer) and what."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path or '/'}: {self.message}"


class ImportRefused(ValidationError):
    """A design file that was not imported, with every problem found in it."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__([str(problem) for problem in problems], code="import_refused")


@dataclass
class ImportResult:
    """The imported service, what was created for it, and what was not carried."""

    service: Any
    created: list[tuple[str, str]] = field(default_factory=list)  # (kind label, name)
    notes: list[str] = field(default_factory=list)


def design_load(raw: bytes) -> Any:
    """A design file's bytes as data, or :class:`ImportRefused` (too large, not
    UTF-8, not JSON, or with characters no database stores)."""
    limit = settings.STUURWIEL_API_MAX_BODY
    if len(raw) > limit:
        raise ImportRefused(
            [Problem("", _("The file is larger than {limit} bytes.").format(limit=limit))]
        )
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ImportRefused([Problem("", _("The file is not UTF-8 text."))]) from None
    except RecursionError:
        raise ImportRefused([Problem("", _("The JSON is nested too deeply."))]) from None
    except ValueError as exc:
        raise ImportRefused(
            [Problem("", _("The file is not valid JSON: {error}").format(error=exc))]
        ) from None


def service_import(*, organisation: Any, by: Any, data: Any) -> ImportResult:
    """Import the design in ``data`` (a parsed export) as a new draft service of
    ``organisation``: everything is checked first, then written in one transaction;
    a file with problems, or a write that fails, leaves the database unchanged."""
    from stuurwiel.services.exchange_validation import design_plan
    from stuurwiel.services.models import Service

    plan = design_plan(data, organisation=organisation, by=by)
    # After the checks, as for any create: a file's problems are told before roles are.
    access_layer.require(
        by=by, organisation=organisation, action="change", obj=Service(organisation=organisation)
    )
    with transaction.atomic():
        return _Writer(plan, organisation=organisation, by=by).write()


# --- Writing a checked plan ------------------------------------------------------------


class _Writer:
    """Writes a :class:`~stuurwiel.services.exchange_validation.Plan` through the
    services, in the caller's transaction. ``at`` is the JSON pointer of what is
    being written, so a refusal the checks did not foresee (someone added the same
    name a moment ago) still says where."""

    def __init__(self, plan: Any, *, organisation: Any, by: Any) -> None:
        self.plan = plan
        self.organisation = organisation
        self.by = by
        self.reason = _("Imported from a service design file.")
        self.result = ImportResult(service=None, notes=list(plan.notes))
        self.found: dict[str, dict[str, Any]] = {}
        self.links: dict[tuple[str, str], Any] = {}

    def create(self, at: str, function, **data: Any) -> Any:
        try:
            return function(
                organisation=self.organisation, by=self.by, data=data, reason=self.reason
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                problems = [
                    Problem(f"{at}/{name}" if name != "__all__" else at, message)
                    for name, messages in error.message_dict.items()
                    for message in messages
                ]
            else:
                problems = [Problem(at, message) for message in error.messages]
            raise ImportRefused(problems) from error

    def write(self) -> ImportResult:
        from stuurwiel.services import services

        self.references()
        plan = self.plan
        definition = dict(plan.service)
        definition["owner"] = self.ref("persons", definition["owner"])
        definition["calendar"] = self.ref("calendars", definition["calendar"])
        definition["customers"] = [self.ref("stakeholders", n) for n in definition["customers"]]
        service = self.create("/service", services.service_create, **definition)
        self.result.service = service
        canvas = {}
        for index, item in enumerate(plan.canvas):
            at = f"/service/canvas/{index}"
            canvas[item["name"]] = self.create(
                at, services.canvas_item_create, service=service, **item
            )
        for index, link in enumerate(plan.links):
            kind, name = link["key"]
            self.links[link["key"]] = self.create(
                f"/service/links/{index}",
                services.link_create,
                service=service,
                **{kind: self.ref(f"{kind}s", name)},
                position=link["position"],
                contribution=link["contribution"],
                steps=link["steps"],
                canvas_items=[canvas[n] for n in link["contributes_to"]],
            )
        for index, interface in enumerate(plan.interfaces):
            self.interface(f"/service/interfaces/{index}", service, dict(interface))
        for index, component in enumerate(plan.components):
            self.create(
                f"/service/infrastructure/{index}",
                services.component_create,
                **{
                    **component,
                    "service": service,
                    "element": self.ref("elements", component["element"]),
                    "managed_by": self.links.get(component["managed_by"]),
                },
            )
        for index, agreement in enumerate(plan.agreements):
            self.agreement(f"/service/agreements/{index}", service, agreement)
        return self.result

    def ref(self, kind: str, name: str | None) -> Any:
        return None if name is None else self.found[kind][name]

    def interface(self, at: str, service: Any, data: dict[str, Any]) -> None:
        from stuurwiel.services import services

        for end, prefix in (("source", "source"), ("target", "target")):
            kind, key = data.pop(end)
            data[f"{prefix}_kind"] = kind
            data[f"{prefix}_link"] = self.links[key] if key is not None else None
        self.create(at, services.interface_create, service=service, **data)

    # --- what the design names -----------------------------------------------------------

    def references(self) -> None:
        from stuurwiel.graph import services as graph_services
        from stuurwiel.parties import services as parties

        makers = {
            "persons": parties.person_create,
            "teams": parties.team_create,
            "suppliers": parties.supplier_create,
            "stakeholders": parties.stakeholder_create,
            "calendars": self.calendar,
            "elements": graph_services.element_create,
        }
        from stuurwiel.services.exchange_checks import KINDS

        for kind, refs in self.plan.refs.items():
            self.found[kind] = {}
            for name, ref in refs.items():
                if ref.existing is not None:
                    self.found[kind][name] = ref.existing
                    continue
                at = f"/references/{kind}"
                self.found[kind][name] = self.create(at, makers[kind], **ref.spec)
                label = str(KINDS[kind]._meta.verbose_name)
                self.result.created.append((label, name))

    def calendar(self, *, organisation, by, data, reason) -> Any:
        """A business calendar with its windows and closed days."""
        from stuurwiel.calendars.models import BusinessCalendar, ClosedDay, ServiceWindow
        from stuurwiel.organisations.writes import object_create

        data = dict(data)
        windows, closed_days = data.pop("windows"), data.pop("closed_days")
        calendar = object_create(
            model=BusinessCalendar, organisation=organisation, by=by, data=data, reason=reason
        )
        for window in windows:
            object_create(
                model=ServiceWindow,
                organisation=organisation,
                by=by,
                data={
                    "calendar": calendar,
                    "weekday": window["weekday"],
                    "start_minute": window["start"],
                    "end_minute": window["end"],
                },
                reason=reason,
            )
        for day in closed_days:
            object_create(
                model=ClosedDay,
                organisation=organisation,
                by=by,
                data={"calendar": calendar, **day},
                reason=reason,
            )
        return calendar

    # --- agreements ------------------------------------------------------------------------

    def agreement(self, at: str, service: Any, plan: dict[str, Any]) -> None:
        """An agreement with its versions (all drafts) and their norms. Written with
        the generic writes (atomic, access-checked, logged) until the agreements app
        has services of its own for this."""
        from stuurwiel.agreements.models import Agreement, AgreementVersion
        from stuurwiel.organisations.writes import object_create, writable_fields

        def write(model, path, data, fields=None):
            return self.create(
                path,
                lambda **kwargs: object_create(model=model, fields=fields, **kwargs),
                **data,
            )

        agreement = write(
            Agreement,
            at,
            {
                "service": service,
                "kind": plan["kind"],
                "link": self.links.get(plan["link"]),
                "name": plan["name"],
            },
        )
        for index, version in enumerate(plan["versions"]):
            path = f"{at}/versions/{index}"
            norms = version["norms"]
            created = write(
                AgreementVersion,
                path,
                {
                    "agreement": agreement,
                    "number": version["number"],
                    "calendar": self.ref("calendars", version["calendar"]),
                    "availability": version["availability"],
                    "facility_functionality": version["facility_functionality"],
                    "notes": version["notes"],
                },
                fields=(*writable_fields(AgreementVersion), "agreement", "number"),
            )
            for number, norm in enumerate(norms):
                self.create(f"{path}/norms/{number}", _norm_create, version=created, **norm)


def _norm_create(*, organisation: Any, by: Any, data: dict[str, Any], reason: str) -> Any:
    """A norm, with the steps of the generic create: a norm's ``version`` is its
    agreement version (the field shadows the optimistic lock), a key the generic
    write refuses to set."""
    from stuurwiel.agreements.models import Norm
    from stuurwiel.changelog.choices import ChangeAction
    from stuurwiel.changelog.services import change_record, snapshot

    norm = Norm(organisation=organisation, **data)
    access_layer.require(by=by, organisation=organisation, action="change", obj=norm)
    norm.full_clean()
    norm.save()
    change_record(
        instance=norm, action=ChangeAction.CREATE, by=by, after=snapshot(norm), reason=reason
    )
    return norm
