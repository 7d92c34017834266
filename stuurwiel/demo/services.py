"""Loading the demo organisations through the domain services.

Model
    :func:`demo_load` loads the bundled frameworks, checks every demo data file
    completely (:func:`~stuurwiel.demo.checks.validate_datasets`; any problem raises
    :class:`~stuurwiel.demo.errors.DemoDataInvalid` and nothing of the demo is
    written), then writes each organisation in one transaction. Every object is
    written by its app's service, so the change log records each one with the
    acting user (``by``) and the reason "demo: <file>". Calendars and service
    designs follow the memberships (:mod:`stuurwiel.demo.design_writer`): each
    design is written as its designer and taken to its status through the design
    gate, so the demo shows the real path.

Idempotence
    Objects are matched by natural key — organisation by slug, users by username,
    teams, persons, suppliers, stakeholders and subjects by name within the
    organisation, elements by name within their subject, relations by source,
    target and type, memberships by organisation and user. What exists is left
    alone, even if the file now says something else, so a second run creates
    nothing and writes no change-log entry. Removing something from a file does not
    remove it from the database.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from django.contrib.auth import get_user_model
from django.db import transaction

from stuurwiel.calendars.models import BusinessCalendar
from stuurwiel.dashboard.rollup import dashboard_rollup
from stuurwiel.demo.checks import validate_datasets
from stuurwiel.demo.dataset import (
    DemoDataset,
    bundled_dataset_paths,
    element_key,
    split_name,
    split_role,
)
from stuurwiel.demo.design_writer import (
    calendars_write,
    service_designs_write,
    service_subject_ensure,
)
from stuurwiel.demo.history import HistoryReport, history_load
from stuurwiel.frameworks.loader import LoadReport
from stuurwiel.frameworks.services import framework_defaults_load
from stuurwiel.graph.models import Element, Relation, Subject
from stuurwiel.graph.services import element_create, relation_create, subject_create
from stuurwiel.organisations.models import Membership, Organisation
from stuurwiel.organisations.services import membership_create, organisation_create, user_create
from stuurwiel.parties.models import Person, Stakeholder, Supplier, Team
from stuurwiel.parties.services import (
    person_account_link,
    person_create,
    person_update,
    stakeholder_create,
    supplier_create,
    team_create,
    team_update,
)
from stuurwiel.services.models import Service

T = TypeVar("T")

# Element has no cadence field; the demo data is Dutch, so the cadence (IDM
# "Wanneer") is written under the description with a Dutch label.
CADENCE_LABEL = "Ritme"

#: The demo organisations that get six months of call history.
HISTORY_ORGANISATIONS = ("middenstad",)


@dataclass(frozen=True)
class DemoLogin:
    """A demo account as the command prints it."""

    organisation: str
    username: str
    name: str
    roles: tuple[str, ...]
    password: str


@dataclass
class OrganisationOutcome:
    """What loading one data file did: counts per kind of object."""

    slug: str
    name: str
    source: str
    created: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)


@dataclass
class DemoReport:
    """What :func:`demo_load` did: the frameworks, each organisation, the logins."""

    frameworks: LoadReport | None = None
    organisations: list[OrganisationOutcome] = field(default_factory=list)
    logins: list[DemoLogin] = field(default_factory=list)
    histories: list[tuple[str, HistoryReport]] = field(default_factory=list)

    @property
    def created_total(self) -> int:
        return sum(sum(o.created.values()) for o in self.organisations)

    @property
    def skipped_total(self) -> int:
        return sum(sum(o.skipped.values()) for o in self.organisations)


def demo_load(
    *, by: Any = None, paths: Iterable[str | Path] | None = None, history: bool = True
) -> DemoReport:
    """Load the frameworks and the demo organisations (by default the files in
    ``stuurwiel/demo/data/``); see the module docstring. With ``history``, the
    organisations of :data:`HISTORY_ORGANISATIONS` then get their six months of
    calls (:mod:`stuurwiel.demo.history`; nothing when they have calls already)."""
    report = DemoReport(frameworks=framework_defaults_load(by=by))
    datasets = validate_datasets(list(paths) if paths is not None else bundled_dataset_paths())
    # One transaction around all organisations too: a refusal found while writing
    # (the design gate of a service the file puts live) leaves nothing behind.
    with transaction.atomic():
        for dataset in datasets:
            report.organisations.append(demo_dataset_load(dataset=dataset, by=by))
            report.logins.extend(dataset_logins(dataset))
    if history:
        # After the organisations are in: the history drives the calls services,
        # which need the live services, their chains and agreements.
        for outcome in report.organisations:
            if outcome.slug in HISTORY_ORGANISATIONS:
                organisation = Organisation.objects.get(slug=outcome.slug)
                report.histories.append((outcome.name, history_load(organisation=organisation)))
                # The dashboard reads daily figures: roll the history up at once.
                dashboard_rollup(organisation=organisation, full=True)
    return report


@transaction.atomic
def demo_dataset_load(*, dataset: DemoDataset, by: Any = None) -> OrganisationOutcome:
    """Write one checked dataset, all or nothing (see the module docstring)."""
    return _Writer(dataset, by).run()


def dataset_logins(dataset: DemoDataset) -> list[DemoLogin]:
    return [
        DemoLogin(
            organisation=dataset.slug,
            username=user["username"],
            name=user["person"],
            roles=tuple(user["roles"])
            + (("platform_admin",) if user.get("platform_admin") else ()),
            password=dataset.data["password"],
        )
        for user in dataset.section("users")
    ]


class _Writer:
    """Writes one dataset section by section, remembering what it found or made by name."""

    def __init__(self, dataset: DemoDataset, by: Any) -> None:
        self.ds, self.by = dataset, by
        self.outcome = OrganisationOutcome(dataset.slug, dataset.name, dataset.source)
        self.reason = f"demo: {Path(dataset.source).name}"
        self.org: Organisation
        self.users: dict[str, Any] = {}
        self.teams: dict[str, Team] = {}
        self.persons: dict[str, Person] = {}
        self.suppliers: dict[str, Supplier] = {}
        self.subjects: dict[str, Subject] = {}
        self.elements: dict[tuple[str, str], Element] = {}
        self.services: dict[str, Service] = {}
        self.new_services: set[int] = set()  # made in this run: their design is written
        self.calendars: dict[str, BusinessCalendar] = {}

    def run(self) -> OrganisationOutcome:
        self.org = self._organisation()
        self._users()
        new_teams = self._teams()
        self._persons()
        self._coordinators(new_teams)
        self._suppliers()
        self._stakeholders()
        self._subjects()
        self._elements()
        self._relations()
        self._memberships()
        self._person_accounts()
        # After the memberships: a design is written as its designer, a member.
        calendars_write(self)
        service_designs_write(self)
        return self.outcome

    def ensure(self, label: str, existing: T | None, create: Callable[..., T], **kwargs) -> T:
        """``existing`` if there is one (counted as skipped), else ``create(**kwargs)``."""
        if existing is not None:
            self.outcome.skipped[label] += 1
            return existing
        self.outcome.created[label] += 1
        return create(**kwargs)

    def ensure_owned(
        self, label: str, existing: T | None, service: Callable[..., T], data: dict[str, Any]
    ) -> T:
        """:meth:`ensure` for an organisation-owned object made by ``service(data=…)``."""
        return self.ensure(
            label,
            existing,
            service,
            organisation=self.org,
            by=self.by,
            data=data,
            reason=self.reason,
        )

    def _owned(self, model: type[T], **lookup: Any) -> T | None:
        return model.objects.filter(organisation=self.org, **lookup).first()  # type: ignore[attr-defined]

    def _person(self, name: str | None) -> Person | None:
        return self.persons[name] if name else None

    # --- sections

    def _organisation(self) -> Organisation:
        data = self.ds.data["organisation"]
        existing = Organisation.objects.filter(slug=data["slug"]).first()
        return self.ensure("organisation", existing, self._organisation_create, data=data)

    def _organisation_create(self, data: dict[str, Any]) -> Organisation:
        # Members come later, from the "users" section (see _memberships).
        return organisation_create(
            by=self.by,
            data={
                "slug": data["slug"],
                "name": data["name"],
                "description": data.get("description", ""),
            },
            reason=self.reason,
        )

    def _users(self) -> None:
        persons = {p["name"]: p for p in self.ds.section("persons")}
        user_model = get_user_model()
        for user in self.ds.section("users"):
            person = persons[user["person"]]
            first_name, last_name = split_name(person["name"])
            self.users[user["person"]] = self.ensure(
                "user",
                user_model.objects.filter(username=user["username"]).first(),
                user_create,
                username=user["username"],
                email=person.get("email", ""),
                password=self.ds.data["password"],
                first_name=first_name,
                last_name=last_name,
                is_staff=user.get("platform_admin", False),
                by=self.by,
                reason=self.reason,
            )

    def _teams(self) -> list[tuple[Team, str]]:
        """Teams go in before persons (persons name their team); the coordinators
        of new teams are set afterwards by :meth:`_coordinators`."""
        new: list[tuple[Team, str]] = []
        for item in self.ds.section("teams"):
            data = {k: item[k] for k in ("name", "code", "domain", "description") if k in item}
            existing = self._owned(Team, name=item["name"])
            team = self.ensure_owned("team", existing, team_create, data)
            if existing is None and item.get("coordinator"):
                new.append((team, item["coordinator"]))
            self.teams[item["name"]] = team
        return new

    def _persons(self) -> None:
        for item in self.ds.section("persons"):
            data = {k: item[k] for k in ("name", "job_title", "email") if k in item}
            data["team"] = self.teams.get(item.get("team", ""))
            existing = self._owned(Person, name=item["name"])
            self.persons[item["name"]] = self.ensure_owned("person", existing, person_create, data)

    def _coordinators(self, new_teams: list[tuple[Team, str]]) -> None:
        for team, coordinator in new_teams:
            self.teams[team.name] = team_update(
                instance=team,
                by=self.by,
                data={"coordinator": self.persons[coordinator]},
                version=team.version,
                reason=self.reason,
            )

    def _suppliers(self) -> None:
        for item in self.ds.section("suppliers"):
            existing = self._owned(Supplier, name=item["name"])
            self.suppliers[item["name"]] = self.ensure_owned(
                "supplier", existing, supplier_create, dict(item)
            )
        # Suppliers come after persons; their staff are linked to them afterwards.
        for item in self.ds.section("persons"):
            supplier = self.suppliers.get(item.get("supplier", ""))
            person = self.persons[item["name"]]
            if supplier is not None and person.supplier_id != supplier.pk:
                self.persons[item["name"]] = person_update(
                    instance=person,
                    by=self.by,
                    data={"supplier": supplier},
                    version=person.version,
                    reason=self.reason,
                )

    def _stakeholders(self) -> None:
        for item in self.ds.section("stakeholders"):
            data = dict(item, contact=self._person(item.get("contact")))
            existing = self._owned(Stakeholder, name=item["name"])
            self.ensure_owned("stakeholder", existing, stakeholder_create, data)

    def _subjects(self) -> None:
        for item in self.ds.section("subjects"):
            if item.get("service") is not None:
                self.subjects[item["name"]] = service_subject_ensure(self, item)
                continue
            data = {k: item[k] for k in ("name", "kind", "status", "description") if k in item}
            data["owner"] = self._person(item.get("owner"))
            data["frameworks"] = [self.ds.frameworks[ref] for ref in item["frameworks"]]
            existing = self._owned(Subject, name=item["name"])
            self.subjects[item["name"]] = self.ensure_owned(
                "subject", existing, subject_create, data
            )

    def _elements(self) -> None:
        for item in self.ds.section("subjects"):
            subject = self.subjects[item["name"]]
            for element in item["elements"]:
                existing = self._owned(Element, subject=subject, name=element["name"])
                data = self._element_data(subject, element)
                self.elements[(item["name"], element["name"])] = self.ensure_owned(
                    "element", existing, element_create, data
                )

    def _element_data(self, subject: Subject, element: dict[str, Any]) -> dict[str, Any]:
        description = element.get("description", "").strip()
        if element.get("cadence"):
            cadence = f"{CADENCE_LABEL}: {element['cadence']}"
            description = f"{description}\n\n{cadence}" if description else cadence
        owner = self._person(element.get("owner"))
        if owner is None and element.get("team"):
            # A chain link's owner is the coordinator of the team that forms it.
            owner = self.teams[element["team"]].coordinator
        return {
            "subject": subject,
            "element_type": element["type"],
            "name": element["name"],
            "description": description,
            "owner": owner,
            "parts": [self.ds.parts[ref] for ref in element["parts"]],
        }

    def _relations(self) -> None:
        for item, subject, _path in self.ds.relations():
            source = self.elements[element_key(item["source"], subject)]  # type: ignore[index]
            target = self.elements[element_key(item["target"], subject)]  # type: ignore[index]
            existing = Relation.objects.filter(
                source=source, target=target, relation_type=item["type"]
            ).first()
            data = {
                "source": source,
                "target": target,
                "relation_type": item["type"],
                "link_type": self.ds.link_types.get(item.get("link_type", "")),
                "description": item.get("description", ""),
            }
            self.ensure_owned("relation", existing, relation_create, data)

    def _role(self, spec: str) -> str | tuple[str, Subject]:
        role, subject = split_role(spec)
        return (role, self.subjects[subject]) if subject else role

    def _memberships(self) -> None:
        for item in self.ds.section("users"):
            user = self.users[item["person"]]
            self.ensure(
                "membership",
                Membership.objects.filter(organisation=self.org, user=user).first(),
                membership_create,
                organisation=self.org,
                by=self.by,
                user=user,
                roles=[self._role(spec) for spec in item["roles"]],
                reason=self.reason,
            )

    def _person_accounts(self) -> None:
        # After the memberships: only a member's account can be linked to a person.
        for name, user in self.users.items():
            person = self.persons[name]
            if person.user_id is None:
                self.persons[name] = person_account_link(
                    person=person, user=user, by=self.by, reason=self.reason
                )
