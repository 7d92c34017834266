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
from stuurwiel.services.exchange_export import service_export, service_export_json
from stuurwiel.services.exchange_format import FORMAT, FORMAT_VERSION, ImportRefused, Problem

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "ImportRefused",
    "ImportResult",
    "Problem",
    "design_load",
    "service_export",
    "service_export_json",
    "service_import",
]


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
                self.found[kind][name] = self.create(ref.path, makers[kind], **ref.spec)
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
                self.create(
                    f"{path}/norms/{number}", _norm_create, agreement_version=created, **norm
                )


def _norm_create(*, organisation: Any, by: Any, data: dict[str, Any], reason: str) -> Any:
    """A norm, with the steps of the generic create (written directly: the version
    it belongs to is a draft created in this same import)."""
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
