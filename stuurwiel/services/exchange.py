"""A whole service design as JSON: export (and, built on it, import).

The export names everything by natural keys (names, library references), never by
database ids, so it can be read by a person, compared between organisations and
imported elsewhere. With ``for_digest`` it leaves out what is not the design
(status, approvals), which :func:`stuurwiel.services.design.design_digest` hashes.
"""

from __future__ import annotations

from typing import Any

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


def service_export(service: Any, *, for_digest: bool = False) -> dict[str, Any]:
    """The design of ``service`` as plain data (JSON-ready)."""
    from django.db.models import Prefetch

    from stuurwiel.agreements.models import Agreement, AgreementVersion, Norm

    links = list(service.links.select_related("team", "supplier").prefetch_related("canvas_items"))
    by_id = {link.pk: link for link in links}

    def link_of(row: Any, field: str) -> Any:
        # The chain's links are fetched above; an interface, component or agreement
        # points at one of them, so it is not joined (and built) once more per row.
        return by_id.get(getattr(row, f"{field}_id")) or getattr(row, field)

    data: dict[str, Any] = {
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
                else _link_key(link_of(interface, "source_link")),
                "to": "customer"
                if interface.target_kind == "customer"
                else _link_key(link_of(interface, "target_link")),
                "passes": interface.passes,
                "trigger": interface.trigger,
                "expected_response": interface.expected_response,
                "norm_minutes": interface.norm_minutes,
                "norm_note": interface.norm_note,
            }
            for interface in service.interfaces.order_by("name", "pk")
        ],
        "infrastructure": [
            {
                "name": component.name,
                "kind": component.kind,
                "element": _name(component.element),
                "managed_by": _link_key(link_of(component, "managed_by")),
                "description": component.description,
            }
            for component in service.components.select_related("element").order_by(
                "kind", "name", "pk"
            )
        ],
        "agreements": [
            {
                "kind": agreement.kind,
                "name": agreement.name,
                "link": _link_key(link_of(agreement, "link")),
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
            # Versions, their calendars (a few, shared) and norms in three queries, not
            # two per agreement (the gate hashes this export on every view of an
            # approved design).
            for agreement in Agreement.objects.filter(service=service)
            .prefetch_related(
                Prefetch("versions", queryset=AgreementVersion.objects.order_by("number")),
                "versions__calendar",
                Prefetch("versions__norms", queryset=Norm.objects.order_by("priority")),
            )
            .order_by("kind", "name", "pk")
        ],
    }
    if for_digest:
        # An approval approves the content, not whether a version is already in force.
        for agreement in data["agreements"]:
            for version in agreement["versions"]:
                version.pop("status")
        return data
    data["status"] = service.status
    return {"format": FORMAT, "format_version": FORMAT_VERSION, "service": data}
