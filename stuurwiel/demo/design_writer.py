"""Phase 2 for calendars and service designs: written through the apps' services.

A subject with a ``service`` block is created by
:func:`~stuurwiel.services.services.service_create` (which makes the subject
with the USM lens), so its elements attach to that subject. After the
memberships exist, each new service gets its design, written **as its
designer** (a user of the file) so the change log names who specified it; then
the loader takes it the real way to its status: in design (by the designer),
approved by the approver — refused by the services app if the approver wrote
any of the design (§14.6) — and live through the design gate (§20.3). A gate
refusal stops the load like any data problem, listing the gaps.

Calendars and agreements are written through their apps' services: a calendar
with its windows and the Dutch holidays copied in; an agreement with version 1
filled in as a draft and then put in force.

Idempotence: a design is written only together with its new service. When the
service exists, its design and status are left alone (and counted as skipped,
item by item as the file describes them), just as existing objects elsewhere.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from stuurwiel.agreements import services as agreement_services
from stuurwiel.agreements.choices import VersionStatus
from stuurwiel.agreements.models import AgreementVersion
from stuurwiel.calendars import services as calendar_services
from stuurwiel.calendars.businesstime import dutch_holidays
from stuurwiel.calendars.choices import ClosedDayKind
from stuurwiel.calendars.models import BusinessCalendar
from stuurwiel.changelog.choices import ChangeAction
from stuurwiel.changelog.services import change_record, snapshot
from stuurwiel.demo.dataset import CUSTOMER_END, WEEKDAYS, element_key, link_name, parse_hours
from stuurwiel.demo.errors import DemoDataInvalid
from stuurwiel.demo.service_checks import APPROVED_STATUSES
from stuurwiel.frameworks.models import Framework
from stuurwiel.graph.models import Subject
from stuurwiel.graph.services import subject_update
from stuurwiel.organisations.roles import USM_URN
from stuurwiel.parties.models import Stakeholder
from stuurwiel.services import services as service_services
from stuurwiel.services.choices import ApprovalDecision, EndKind, ServiceStatus
from stuurwiel.services.models import Service

if TYPE_CHECKING:
    from stuurwiel.demo.services import _Writer

# Agreement versions have no field for the law their norms follow; the demo data is
# Dutch, so that basis goes under the notes with Dutch labels (as the cadence of
# elements does), each line naming its article as a source from outside the book.
LEGAL_BASIS_LABEL = "Wettelijke basis"
SOURCE_LABEL = "bron, buiten het boek"

# What a design consists of, as the outcome counts it, with its section in the file.
_PARTS = (
    ("canvas item", "canvas"),
    ("link", "links"),
    ("interface", "interfaces"),
    ("component", "components"),
    ("agreement", "agreements"),
)


# --- The service with its subject --------------------------------------------------


def service_subject_ensure(w: _Writer, item: dict[str, Any]) -> Subject:
    """The subject of a service: made with the service by ``service_create``."""
    service = (
        Service.objects.filter(organisation=w.org, name=item["name"])
        .select_related("subject")
        .first()
    )
    if service is not None:
        w.outcome.skipped["subject"] += 1
        w.outcome.skipped["service"] += 1
        w.services[item["name"]] = service
        return service.subject
    owner = w.persons[item["owner"]] if item.get("owner") else None
    subject = Subject.objects.filter(organisation=w.org, name=item["name"]).first()
    if subject is not None:
        # A database loaded before services existed: give its subject its service.
        w.outcome.skipped["subject"] += 1
        service = _service_attach(w, subject, owner)
    else:
        w.outcome.created["subject"] += 1
        service = service_services.service_create(
            organisation=w.org,
            by=w.by,
            data={"name": item["name"], "owner": owner},
            reason=w.reason,
        )
        subject = service.subject
        if item.get("description"):
            subject = subject_update(
                instance=subject,
                by=w.by,
                data={"description": item["description"]},
                version=subject.version,
                reason=w.reason,
            )
    w.outcome.created["service"] += 1
    w.services[item["name"]] = service
    w.new_services.add(service.pk)
    return subject


def _service_attach(w: _Writer, subject: Subject, owner) -> Service:
    usm = Framework.objects.filter(urn=USM_URN).first()
    if usm is not None:
        subject.frameworks.add(usm)
    service = Service(organisation=w.org, subject=subject, name=subject.name, owner=owner)
    service.full_clean()
    service.save()
    change_record(
        instance=service,
        action=ChangeAction.CREATE,
        by=w.by,
        after=snapshot(service),
        reason=w.reason,
    )
    return service


# --- Calendars --------------------------------------------------------------------


def calendars_write(w: _Writer) -> None:
    for item in w.ds.section("calendars"):
        existing = BusinessCalendar.objects.filter(organisation=w.org, name=item["name"]).first()
        windows = _windows(item)
        holidays = item.get("holidays")
        closing = item.get("closed_days") or []
        if existing is not None:
            w.calendars[item["name"]] = existing
            w.outcome.skipped["calendar"] += 1
            w.outcome.skipped["service window"] += len(windows)
            w.outcome.skipped["closed day"] += len(closing) + (
                len(dutch_holidays(holidays["from"], holidays["until"])) if holidays else 0
            )
            continue
        data = {k: item[k] for k in ("name", "description", "time_zone") if k in item}
        calendar = calendar_services.calendar_create(
            organisation=w.org, by=w.by, data=data, reason=w.reason
        )
        w.outcome.created["calendar"] += 1
        for weekday, start, end in windows:
            calendar_services.window_create(
                organisation=w.org,
                by=w.by,
                data={
                    "calendar": calendar,
                    "weekday": weekday,
                    "start_minute": start,
                    "end_minute": end,
                },
                reason=w.reason,
            )
        w.outcome.created["service window"] += len(windows)
        if holidays:
            added = calendar_services.calendar_holidays_copy(
                calendar=calendar,
                first_year=holidays["from"],
                last_year=holidays["until"],
                by=w.by,
                reason=w.reason,
            )
            w.outcome.created["closed day"] += len(added.created)
        for day in closing:
            calendar_services.closed_day_create(
                organisation=w.org,
                by=w.by,
                data={
                    "calendar": calendar,
                    "date": datetime.date.fromisoformat(day["date"]),
                    "name": day["name"],
                    "kind": ClosedDayKind.CLOSING,
                    "active": day.get("active", True),
                },
                reason=w.reason,
            )
        w.outcome.created["closed day"] += len(closing)
        w.calendars[item["name"]] = calendar


def _windows(item: dict[str, Any]) -> list[tuple[int, int, int]]:
    found = []
    for window in item["windows"]:
        for day in window["days"]:
            for hours in window["hours"]:
                start, end = parse_hours(hours) or (0, 0)
                found.append((WEEKDAYS[day], start, end))
    return sorted(found)


# --- Service designs ---------------------------------------------------------------


def service_designs_write(w: _Writer) -> None:
    users = {user["username"]: w.users[user["person"]] for user in w.ds.section("users")}
    for item, spec, path in w.ds.services():
        service = w.services[item["name"]]
        if service.pk not in w.new_services:
            _count(w, spec, w.outcome.skipped)
            continue
        try:
            _Design(w, service, spec, users, path).write()
        except ValidationError as exc:
            # A rule of the services that phase 1 does not repeat: name the service.
            message = _("“{name}” cannot be written as described: {reason}")
            raise DemoDataInvalid(
                w.ds.problem(path, message.format(name=service, reason=reason))
                for reason in exc.messages
            ) from exc


def _count(w: _Writer, spec: dict[str, Any], counter) -> None:
    for label, section in _PARTS:
        counter[label] += len(spec.get(section) or [])
    agreements = spec.get("agreements") or []
    counter["agreement version"] += len(agreements)
    counter["norm"] += sum(len(a["version"]["norms"]) for a in agreements)
    if spec["status"] in APPROVED_STATUSES:
        counter["design approval"] += 1


class _Design:
    """Writes one service's design as its designer, then takes it to its status."""

    def __init__(self, w: _Writer, service: Service, spec, users, path) -> None:
        self.w, self.service, self.spec, self.path = w, service, spec, path
        self.designer = users.get(spec.get("designer", ""))
        self.users = users
        self.canvas: dict[str, Any] = {}
        self.links: dict[str, Any] = {}

    def kwargs(self) -> dict[str, Any]:
        return {"organisation": self.w.org, "by": self.designer, "reason": self.w.reason}

    def write(self) -> None:
        self._definition()
        for position, item in enumerate(self.spec.get("canvas") or [], start=1):
            data = {**item, "service": self.service, "position": position}
            self.canvas[item["name"]] = service_services.canvas_item_create(
                data=data, **self.kwargs()
            )
        for position, link in enumerate(self.spec.get("links") or [], start=1):
            self.links[link_name(link)] = service_services.link_create(
                data=self._link_data(link, position), **self.kwargs()
            )
        for interface in self.spec.get("interfaces") or []:
            service_services.interface_create(data=self._interface_data(interface), **self.kwargs())
        for component in self.spec.get("components") or []:
            service_services.component_create(data=self._component_data(component), **self.kwargs())
        for agreement in self.spec.get("agreements") or []:
            self._agreement(agreement)
        _count(self.w, self.spec, self.w.outcome.created)
        self._status()

    def _definition(self) -> None:
        data: dict[str, Any] = {
            k: self.spec[k] for k in ("customer_value", "customer_description") if k in self.spec
        }
        if self.spec.get("customers"):
            data["customers"] = list(
                Stakeholder.objects.filter(organisation=self.w.org, name__in=self.spec["customers"])
            )
        if self.spec.get("calendar"):
            data["calendar"] = self.w.calendars[self.spec["calendar"]]
        if data:
            self.service = service_services.service_update(
                instance=self.service,
                by=self.designer,
                data=data,
                version=self.service.version,
                reason=self.w.reason,
            )

    def _link_data(self, link: dict[str, Any], position: int) -> dict[str, Any]:
        data: dict[str, Any] = {
            "service": self.service,
            "position": position,
            "contribution": link.get("contribution", ""),
            "steps": list(link.get("steps") or []),
            "canvas_items": [self.canvas[name] for name in link.get("canvas") or []],
        }
        if link.get("team"):
            data["team"] = self.w.teams[link["team"]]
        else:
            data["supplier"] = self.w.suppliers[link["supplier"]]
        return data

    def _interface_data(self, interface: dict[str, Any]) -> dict[str, Any]:
        data: dict[str, Any] = {"service": self.service, "name": interface["name"]}
        for end, key in (("source", "from"), ("target", "to")):
            if interface[key] == CUSTOMER_END:
                data[f"{end}_kind"] = EndKind.CUSTOMER
            else:
                data[f"{end}_kind"] = EndKind.LINK
                data[f"{end}_link"] = self.links[interface[key]]
        for name in ("passes", "trigger", "expected_response", "norm_minutes", "norm_note"):
            if name in interface:
                data[name] = interface[name]
        return data

    def _component_data(self, component: dict[str, Any]) -> dict[str, Any]:
        data: dict[str, Any] = {
            "service": self.service,
            "name": component["name"],
            "kind": component["kind"],
            "description": component.get("description", ""),
        }
        if component.get("element"):
            key = element_key(component["element"], self.service.subject.name)
            data["element"] = self.w.elements[key]  # type: ignore[index]
        if component.get("managed_by"):
            data["managed_by"] = self.links[component["managed_by"]]
        return data

    def _agreement(self, spec: dict[str, Any]) -> None:
        """The agreement with its version 1: filled in while a draft, then put in
        force (from the day of loading) unless the file keeps it a draft."""
        data: dict[str, Any] = {"service": self.service, "kind": spec["kind"], "name": spec["name"]}
        if spec.get("link"):
            data["link"] = self.links[spec["link"]]
        agreement = agreement_services.agreement_create(data=data, **self.kwargs())
        draft = AgreementVersion.objects.get(agreement=agreement, number=1)
        version_spec = spec["version"]
        draft = agreement_services.version_update(
            instance=draft,
            by=self.designer,
            data=self._version_data(version_spec),
            version=draft.version,
            reason=self.w.reason,
        )
        if version_spec.get("status", VersionStatus.ACTIVE) == VersionStatus.ACTIVE:
            agreement_services.version_activate(
                instance=draft, by=self.designer, version=draft.version, reason=self.w.reason
            )

    def _version_data(self, spec: dict[str, Any]) -> dict[str, Any]:
        data: dict[str, Any] = {
            "facility_functionality": spec.get("facility_functionality", ""),
            "notes": _notes(spec),
            "norms": [
                {"priority": p, "response_minutes": response, "resolution_minutes": resolution}
                for p, response, resolution in spec["norms"]
            ],
        }
        if spec.get("calendar"):
            data["calendar"] = self.w.calendars[spec["calendar"]]
        if spec.get("availability") is not None:
            data["availability"] = str(spec["availability"])
        return data

    # --- the status, the real way

    def _status(self) -> None:
        status = self.spec["status"]
        if status == ServiceStatus.DRAFT:
            return
        self._move(ServiceStatus.IN_DESIGN)
        if status not in APPROVED_STATUSES:
            return
        approval = self.spec["approval"]
        service_services.service_approve(
            service=self.service,
            by=self.users[approval["by"]],
            decision=ApprovalDecision.APPROVED,
            version=self.service.version,
            comment=approval.get("comment", ""),
        )
        self.service = Service.objects.get(pk=self.service.pk)
        if status == ServiceStatus.LIVE:
            self._move(ServiceStatus.LIVE)

    def _move(self, to: str) -> None:
        try:
            self.service = service_services.service_transition(
                service=self.service,
                to=to,
                by=self.designer,
                version=self.service.version,
                reason=self.w.reason,
            )
        except service_services.GateRefused as exc:
            message = _("The design gate keeps “{name}” from going live: {gap}")
            raise DemoDataInvalid(
                self.w.ds.problem(
                    (*self.path, "status"), message.format(name=self.service, gap=gap.message)
                )
                for gap in exc.gaps
            ) from exc


def _notes(spec: dict[str, Any]) -> str:
    """The version's notes, with the statutory basis of its norms under them
    (labelled in Dutch, the language of the data, like the cadence of elements)."""
    notes = spec.get("notes", "").strip()
    basis = [
        f"- {item['says']} ({SOURCE_LABEL}: {item['source']})"
        for item in spec.get("legal_basis") or []
    ]
    if basis:
        text = f"{LEGAL_BASIS_LABEL}:\n" + "\n".join(basis)
        notes = f"{notes}\n\n{text}" if notes else text
    return notes
