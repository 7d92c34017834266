"""The export of a whole service design (see :mod:`stuurwiel.services.exchange`
for the format and what an import does with it). Its own module, so that the
design digest (:mod:`stuurwiel.services.design`) reads the export without
importing the import, which writes through the services."""

from __future__ import annotations

import json
from typing import Any

from django.db.models import Prefetch

from stuurwiel.agreements.models import AgreementVersion, Norm
from stuurwiel.organisations import access as access_layer
from stuurwiel.services.exchange_format import FORMAT, FORMAT_VERSION


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
                            for norm in version.norms.all()
                        ],
                    }
                    for version in agreement.versions.all()
                ],
            }
            for agreement in agreements.select_related("link__team", "link__supplier")
            .prefetch_related(
                Prefetch(
                    "versions",
                    queryset=AgreementVersion.objects.select_related("calendar")
                    .order_by("number")
                    .prefetch_related(
                        Prefetch("norms", queryset=Norm.objects.order_by("priority"))
                    ),
                )
            )
            .order_by("kind", "name", "pk")
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
