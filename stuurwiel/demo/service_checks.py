"""Cross-reference checks of the calendars and service designs in a demo data file.

Part of phase 1 (:mod:`stuurwiel.demo.checks` calls :func:`check_designs`): the
calendars' windows and closed days, and per service design its customers, canvas
(sections and cells of the USM library), chain links (teams and suppliers of the
file, process steps of the library), interfaces, managed components and
agreements (an SA, an OLA per team link, a UC per supplier link, norms per
priority) — and that the designer and the approver are users of the file whose
roles allow that, and are two different people (§14.6). Whether the design is
complete is not checked here: the design gate says so when the loader puts the
service live, and its refusal is reported like any other problem.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from stuurwiel.agreements.choices import AgreementKind, VersionStatus
from stuurwiel.agreements.library import priority_library
from stuurwiel.calendars.businesstime import dutch_holidays
from stuurwiel.calendars.models import validate_time_zone
from stuurwiel.demo.dataset import (
    CUSTOMER_END,
    WEEKDAYS,
    PathSteps,
    element_key,
    link_name,
    parse_hours,
    split_role,
)
from stuurwiel.organisations.access import PERMISSION_MATRIX, Reach
from stuurwiel.services import design
from stuurwiel.services.choices import ComponentKind, ServiceStatus

if TYPE_CHECKING:
    from stuurwiel.demo.checks import _Checker

#: The statuses a demo service can be taken to, in the order the loader moves.
LOADABLE_STATUSES = (
    ServiceStatus.DRAFT,
    ServiceStatus.IN_DESIGN,
    ServiceStatus.DESIGNED,
    ServiceStatus.LIVE,
)
APPROVED_STATUSES = (ServiceStatus.DESIGNED, ServiceStatus.LIVE)
DESIGN_SECTIONS = ("canvas", "links", "interfaces", "components", "agreements")


def check_designs(checker: _Checker) -> None:
    _DesignChecker(checker).run()


class _DesignChecker:
    def __init__(self, checker: _Checker) -> None:
        self.c = checker
        self.ds = checker.ds
        self.calendars = checker._unique("calendars", _("calendar"))
        self.stakeholders = {item["name"] for item in self.ds.section("stakeholders")}
        self.roles = {user["username"]: user["roles"] for user in self.ds.section("users")}
        self.sections = {section.ref_id: section for section in design.canvas_sections()}
        self.steps = {step.ref_id for step in design.process_steps()}
        self.priorities = priority_library().priorities

    def run(self) -> None:
        for index, calendar in enumerate(self.ds.section("calendars")):
            self._calendar(calendar, ("calendars", index))
        for subject, service, path in self.ds.services():
            self._service(subject, service, path)

    # --- calendars

    def _calendar(self, calendar: dict, path: PathSteps) -> None:
        if calendar.get("time_zone"):
            try:
                validate_time_zone(calendar["time_zone"])
            except ValidationError as exc:
                self.c.add((*path, "time_zone"), " ".join(exc.messages))
        taken: dict[int, list[tuple[int, int]]] = {}
        for w_index, window in enumerate(calendar["windows"]):
            at = (*path, "windows", w_index)
            days = [WEEKDAYS.get(day) for day in window["days"]]
            for d_index, day in enumerate(window["days"]):
                if WEEKDAYS.get(day) is None:
                    message = _("Unknown day “{value}”; write one of: {choices}.")
                    self.c.add(
                        (*at, "days", d_index),
                        message.format(value=day, choices=", ".join(WEEKDAYS)),
                    )
            for h_index, text in enumerate(window["hours"]):
                hours = parse_hours(text)
                if hours is None:
                    message = _(
                        "“{value}” is not a window: write HH:MM-HH:MM, ending after it starts."
                    )
                    self.c.add((*at, "hours", h_index), message.format(value=text))
                    continue
                for day in filter(None, days):
                    if any(
                        hours[0] < end and start < hours[1] for start, end in taken.get(day, [])
                    ):
                        message = _("“{value}” overlaps another window on the same day.")
                        self.c.add((*at, "hours", h_index), message.format(value=text))
                    taken.setdefault(day, []).append(hours)
        holidays = calendar.get("holidays")
        public: set[datetime.date] = set()
        if holidays and holidays["from"] > holidays["until"]:
            self.c.add((*path, "holidays", "until"), _("The last year comes before the first."))
        elif holidays:
            public = {row.date for row in dutch_holidays(holidays["from"], holidays["until"])}
        seen: set[str] = set()
        for d_index, day in enumerate(calendar.get("closed_days") or []):
            at = (*path, "closed_days", d_index, "date")
            date = _date(day["date"])
            if date is None:
                self.c.add(at, _("“{value}” is not a date.").format(value=day["date"]))
            elif day["date"] in seen:
                self.c.add(at, _("This day is closed twice."))
            elif date in public:
                self.c.add(at, _("This day is a public holiday of the years copied already."))
            seen.add(day["date"])

    # --- services

    def _service(self, subject: dict, service: dict, path: PathSteps) -> None:
        subject_path = path[:-1]
        if subject["kind"] != "service":
            self.c.add((*subject_path, "kind"), _("Only a subject of kind service has a service."))
        if subject["frameworks"] != ["usm"]:
            message = _("A service is seen through the USM lens only: write frameworks: [usm].")
            self.c.add((*subject_path, "frameworks"), message)
        if "status" in subject:
            message = _("A service's subject follows the service's status: leave it out here.")
            self.c.add((*subject_path, "status"), message)
        status = service["status"]
        if status not in LOADABLE_STATUSES:
            message = _("Unknown value “{value}”; choose one of: {choices}.")
            choices = ", ".join(LOADABLE_STATUSES)
            self.c.add((*path, "status"), message.format(value=status, choices=choices))
        self._people(subject["name"], service, path)
        for c_index, customer in enumerate(service.get("customers") or []):
            self.c.known(
                (*path, "customers", c_index), customer, self.stakeholders, _("stakeholder")
            )
        self.c.known((*path, "calendar"), service.get("calendar"), self.calendars, _("calendar"))
        canvas = self._canvas(service, path)
        links = self._links(service, canvas, path)
        self._interfaces(service, links, path)
        self._components(subject["name"], service, links, path)
        self._agreements(service, links, path)

    def _people(self, subject: str, service: dict, path: PathSteps) -> None:
        designer = service.get("designer")
        needs_designer = service["status"] != ServiceStatus.DRAFT or any(
            service.get(name) for name in (*DESIGN_SECTIONS, "customer_value")
        )
        if designer is None:
            if needs_designer:
                self.c.add((*path, "designer"), _("Name the user who designs this service."))
        elif self._user_known((*path, "designer"), designer):
            self._holds((*path, "designer"), designer, "services.change", subject)
            if service.get("agreements"):
                self._holds((*path, "designer"), designer, "agreements.change", subject)
        approval = service.get("approval")
        if service["status"] in APPROVED_STATUSES and approval is None:
            message = _("A service that is designed or live was approved: say by whom.")
            self.c.add((*path, "approval"), message)
        if approval is None:
            return
        at = (*path, "approval", "by")
        if service["status"] not in APPROVED_STATUSES:
            message = _("An approval makes the service designed: its status is designed or live.")
            self.c.add(at, message)
        if self._user_known(at, approval["by"]):
            self._holds(at, approval["by"], "services.approve", subject)
            if approval["by"] == designer:
                message = _("Nobody approves their own design: choose someone else than {user}.")
                self.c.add(at, message.format(user=designer))

    def _user_known(self, path: PathSteps, username: str) -> bool:
        if username in self.roles:
            return True
        message = _("Unknown user “{name}”: no user of this file has that username.")
        self.c.add(path, message.format(name=username))
        return False

    def _holds(self, path: PathSteps, username: str, permission: str, subject: str) -> None:
        for spec in self.roles[username]:
            role, scope = split_role(spec)
            reach = PERMISSION_MATRIX.get(role, {}).get(permission)
            if reach in (Reach.ORGANISATION, Reach.SCOPE) and scope in (None, subject):
                return
        message = _("The roles of “{user}” do not allow {permission} for “{subject}”.")
        self.c.add(path, message.format(user=username, permission=permission, subject=subject))

    def _canvas(self, service: dict, path: PathSteps) -> set[str]:
        names: set[str] = set()
        for index, item in enumerate(service.get("canvas") or []):
            at = (*path, "canvas", index)
            if item["name"] in names:
                message = _("There is already a canvas item “{name}” in this service.")
                self.c.add((*at, "name"), message.format(name=item["name"]))
            names.add(item["name"])
            section = self.sections.get(item["section"])
            if section is None:
                message = _("Unknown value “{value}”; choose one of: {choices}.")
                choices = ", ".join(self.sections)
                self.c.add((*at, "section"), message.format(value=item["section"], choices=choices))
                continue
            cells = {cell.ref_id for cell in section.entry_cells}
            for cell in item.get("values") or {}:
                if cell not in cells:
                    message = _("Unknown cell “{cell}” of “{section}”; its cells are: {cells}.")
                    text = message.format(
                        cell=cell, section=section.ref_id, cells=", ".join(sorted(cells)) or "—"
                    )
                    self.c.add((*at, "values", cell), text)
        return names

    def _links(self, service: dict, canvas: set[str], path: PathSteps) -> dict[str, bool]:
        """Link name → whether it is a supplier."""
        links: dict[str, bool] = {}
        for index, link in enumerate(service.get("links") or []):
            at = (*path, "links", index)
            if ("team" in link) == ("supplier" in link):
                self.c.add(at, _("A link is either a team or a supplier: write one of the two."))
                continue
            if "team" in link:
                self.c.known((*at, "team"), link["team"], self.c.teams, _("team"))
            else:
                self.c.known((*at, "supplier"), link["supplier"], self.c.suppliers, _("supplier"))
            name = link_name(link)
            if name in links:
                message = _("“{name}” is already a link of this chain.")
                self.c.add(at, message.format(name=name))
            links[name] = "supplier" in link
            for s_index, step in enumerate(link.get("steps") or []):
                if step not in self.steps:
                    message = _("Unknown process step “{ref}” of the USM library.")
                    self.c.add((*at, "steps", s_index), message.format(ref=step))
            for i_index, item in enumerate(link.get("canvas") or []):
                self.c.known((*at, "canvas", i_index), item, canvas, _("canvas item"))
        return links

    def _end(self, path: PathSteps, value: str, links: dict[str, bool]) -> None:
        if value != CUSTOMER_END and value not in links:
            message = _("Unknown end “{name}”: write {customer} or a link of this chain.")
            self.c.add(path, message.format(name=value, customer=CUSTOMER_END))

    def _interfaces(self, service: dict, links: dict[str, bool], path: PathSteps) -> None:
        names: set[str] = set()
        for index, interface in enumerate(service.get("interfaces") or []):
            at = (*path, "interfaces", index)
            if interface["name"] in names:
                message = _("There is already an interface “{name}” in this service.")
                self.c.add((*at, "name"), message.format(name=interface["name"]))
            names.add(interface["name"])
            self._end((*at, "from"), interface["from"], links)
            self._end((*at, "to"), interface["to"], links)
            if interface["from"] == interface["to"]:
                message = _("An interface connects the customer to a link, or two links.")
                self.c.add((*at, "to"), message)

    def _components(
        self, subject: str, service: dict, links: dict[str, bool], path: PathSteps
    ) -> None:
        for index, component in enumerate(service.get("components") or []):
            at = (*path, "components", index)
            self.c.choice((*at, "kind"), component["kind"], ComponentKind)
            if component.get("element") and element_key(component["element"], subject) not in (
                self.c.elements
            ):
                message = _("Unknown element “{ref}”: no element of that name in that subject.")
                self.c.add((*at, "element"), message.format(ref=component["element"]))
            self.c.known((*at, "managed_by"), component.get("managed_by"), set(links), _("link"))

    def _agreements(self, service: dict, links: dict[str, bool], path: PathSteps) -> None:
        covered: set[str | None] = set()
        for index, agreement in enumerate(service.get("agreements") or []):
            at = (*path, "agreements", index)
            kind, link = agreement["kind"], agreement.get("link")
            self.c.choice((*at, "kind"), kind, AgreementKind)
            if kind == AgreementKind.SA and link is not None:
                message = _("A service agreement is made with the customer, not a link.")
                self.c.add((*at, "link"), message)
            elif kind in (AgreementKind.OLA, AgreementKind.UC):
                if link not in links:
                    message = _("Name the link of this OLA or UC: a link of this chain.")
                    self.c.add((*at, "link"), message)
                elif links[link] != (kind == AgreementKind.UC):
                    message = _(
                        "A team link gets an OLA, a supplier link an underpinning contract."
                    )
                    self.c.add((*at, "kind"), message)
            key = None if kind == AgreementKind.SA else link
            if key in covered:
                message = _("This service already has that agreement.")
                self.c.add(at, message)
            covered.add(key)
            self._version(agreement["version"], (*at, "version"))

    def _version(self, version: dict, path: PathSteps) -> None:
        status = version.get("status", VersionStatus.ACTIVE)
        allowed = (VersionStatus.DRAFT, VersionStatus.ACTIVE)
        if status not in allowed:
            message = _("Unknown value “{value}”; choose one of: {choices}.")
            self.c.add((*path, "status"), message.format(value=status, choices=", ".join(allowed)))
        self.c.known((*path, "calendar"), version.get("calendar"), self.calendars, _("calendar"))
        priorities: set[int] = set()
        for index, (priority, response, resolution) in enumerate(version["norms"]):
            at = (*path, "norms", index)
            if priority in priorities:
                message = _("Priority {priority} has two norms.").format(priority=priority)
                self.c.add(at, message)
            priorities.add(priority)
            if resolution < response:
                self.c.add(at, _("Resolution cannot come before the response."))
        missing = [str(p) for p in self.priorities if p not in priorities]
        if status == VersionStatus.ACTIVE and missing:
            message = _("A version in force has a norm for every priority; add {priorities}.")
            self.c.add((*path, "norms"), message.format(priorities=", ".join(missing)))


def _date(text: Any) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(str(text))
    except ValueError:
        return None
