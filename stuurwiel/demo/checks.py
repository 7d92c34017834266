"""Cross-reference checks of demo data files, beyond the JSON Schema.

:func:`validate_datasets` is phase 1 of the demo load: it parses every file
(:func:`~stuurwiel.demo.dataset.parse_dataset`), then checks what a schema cannot —
names that must be unique and must exist, choices that must be valid, framework
parts and link types that must be loaded, relations whose ends must exist and
that must respect their link type, calendars and service designs
(:mod:`stuurwiel.demo.service_checks`) — and raises
:class:`~stuurwiel.demo.errors.DemoDataInvalid` listing every problem of every file.
The allowed values come from the models' choices, so the checks follow the code.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from stuurwiel.demo.dataset import (
    DemoDataset,
    PathSteps,
    element_key,
    parse_dataset,
    split_name,
    split_role,
)
from stuurwiel.demo.errors import DemoDataInvalid, DemoProblem
from stuurwiel.demo.service_checks import check_designs
from stuurwiel.frameworks.models import Framework, FrameworkPart, LinkType
from stuurwiel.graph.choices import ElementType, RelationType, SubjectKind, SubjectStatus
from stuurwiel.organisations.choices import Role
from stuurwiel.parties.choices import Level, ValueCategory


def validate_datasets(sources: Iterable[str | Path]) -> list[DemoDataset]:
    """Phase 1: parse and check every file; raise :class:`DemoDataInvalid` with all
    problems of all files, or return the datasets in the given order."""
    datasets: list[DemoDataset] = []
    problems: list[DemoProblem] = []
    for source in sources:
        dataset, found = parse_dataset(source)
        problems.extend(found)
        if dataset is not None:
            datasets.append(dataset)
    _attach_frameworks(datasets)
    first_file: dict[str, str] = {}
    for dataset in datasets:
        problems.extend(_Checker(dataset).run())
        if dataset.slug in first_file:
            message = _("The organisation “{slug}” is also described in {other}.").format(
                slug=dataset.slug, other=first_file[dataset.slug]
            )
            problems.append(dataset.problem(("organisation", "slug"), message))
        first_file.setdefault(dataset.slug, dataset.source)
    if problems:
        raise DemoDataInvalid(problems)
    if not datasets:
        raise DemoDataInvalid([DemoProblem("", "", _("No demo data files were given."))])
    return datasets


def _attach_frameworks(datasets: list[DemoDataset]) -> None:
    """Give every dataset the loaded frameworks, parts and link types by reference."""
    frameworks = {f.ref_id: f for f in Framework.objects.all()}
    parts = {
        f"{p.framework.ref_id}:{p.ref_id}": p
        for p in FrameworkPart.objects.select_related("framework")
    }
    link_types = {
        f"{lt.framework.ref_id}:{lt.ref_id}": lt
        for lt in LinkType.objects.select_related("framework", "source_part", "target_part")
    }
    for dataset in datasets:
        dataset.frameworks, dataset.parts, dataset.link_types = frameworks, parts, link_types


class _Checker:
    """Collects the problems of one dataset; one method per section of the file."""

    def __init__(self, dataset: DemoDataset) -> None:
        self.ds = dataset
        self.problems: list[DemoProblem] = []
        self.persons = self._unique("persons", _("person"))
        self.teams = self._unique("teams", _("team"))
        self.suppliers = self._unique("suppliers", _("supplier"))
        self.subjects = self._unique("subjects", _("subject"))
        # (subject name, element name) → (element, its path)
        self.elements: dict[tuple[str, str], tuple[dict[str, Any], PathSteps]] = {}
        # part pk → pk of the part and all its ancestors, for link-type checks
        self.lineage = _lineage(dataset.parts.values())

    def run(self) -> list[DemoProblem]:
        self._check_users()
        self._check_teams_and_persons()
        self._check_suppliers_and_stakeholders()
        self._check_subjects()
        self._check_relations()
        check_designs(self)
        return self.problems

    # --- helpers

    def add(self, path: PathSteps, message: str) -> None:
        self.problems.append(self.ds.problem(path, message))

    def _unique(self, section: str, label: str) -> set[str]:
        seen: dict[str, int] = {}
        for index, item in enumerate(self.ds.section(section)):
            if item["name"] in seen:
                message = _("There is already a {label} “{name}” ({section}[{other}]).")
                other = seen[item["name"]]
                self.add(
                    (section, index, "name"),
                    message.format(label=label, name=item["name"], section=section, other=other),
                )
            seen.setdefault(item["name"], index)
        return set(seen)

    def known(self, path: PathSteps, value: str | None, names: set[str], label: str) -> None:
        if value is not None and value not in names:
            message = _("Unknown {label} “{name}”: it is not described in this file.")
            self.add(path, message.format(label=label, name=value))

    def choice(self, path: PathSteps, value: Any, choices: type) -> None:
        if value is not None and value not in choices.values:
            message = _("Unknown value “{value}”; choose one of: {choices}.")
            self.add(path, message.format(value=value, choices=", ".join(choices.values)))

    def email(self, path: PathSteps, value: str | None) -> None:
        if not value:
            return
        try:
            validate_email(value)
        except ValidationError:
            self.add(path, _("“{value}” is not a valid e-mail address.").format(value=value))

    # --- sections

    def _check_users(self) -> None:
        persons = {p["name"]: p for p in self.ds.section("persons")}
        usernames: set[str] = set()
        linked: dict[str, str] = {}
        for index, user in enumerate(self.ds.section("users")):
            path = ("users", index)
            if user["username"] in usernames:
                message = _("The username “{name}” is used twice.")
                self.add((*path, "username"), message.format(name=user["username"]))
            usernames.add(user["username"])
            for r_index, spec in enumerate(user["roles"]):
                role, subject = split_role(spec)
                self.choice((*path, "roles", r_index), role, Role)
                self.known((*path, "roles", r_index), subject, self.subjects, _("subject"))
            self.known((*path, "person"), user["person"], self.persons, _("person"))
            if user["person"] in linked:
                message = _("The person “{name}” already has the user account “{other}”.")
                other = linked[user["person"]]
                self.add((*path, "person"), message.format(name=user["person"], other=other))
            linked.setdefault(user["person"], user["username"])
            self._check_password(path, user, persons.get(user["person"], {}))

    def _check_password(self, path: PathSteps, user: dict, person: dict) -> None:
        first_name, last_name = split_name(person.get("name", ""))
        candidate = get_user_model()(
            username=user["username"],
            email=person.get("email", ""),
            first_name=first_name,
            last_name=last_name,
        )
        try:
            validate_password(self.ds.data["password"], user=candidate)
        except ValidationError as exc:
            message = _("The password is refused for the user “{username}”: {reasons}")
            reasons = " ".join(exc.messages)
            self.add(("password",), message.format(username=user["username"], reasons=reasons))

    def _check_teams_and_persons(self) -> None:
        for index, team in enumerate(self.ds.section("teams")):
            path = ("teams", index, "coordinator")
            self.known(path, team.get("coordinator"), self.persons, _("person"))
        for index, person in enumerate(self.ds.section("persons")):
            self.known(("persons", index, "team"), person.get("team"), self.teams, _("team"))
            self.email(("persons", index, "email"), person.get("email"))
            path = ("persons", index, "supplier")
            self.known(path, person.get("supplier"), self.suppliers, _("supplier"))

    def _check_suppliers_and_stakeholders(self) -> None:
        for index, supplier in enumerate(self.ds.section("suppliers")):
            self.email(("suppliers", index, "contact_email"), supplier.get("contact_email"))
        self._unique("stakeholders", _("stakeholder"))
        for index, stakeholder in enumerate(self.ds.section("stakeholders")):
            path = ("stakeholders", index)
            self.choice((*path, "category"), stakeholder["category"], ValueCategory)
            self.choice((*path, "interest"), stakeholder["interest"], Level)
            self.choice((*path, "influence"), stakeholder["influence"], Level)
            self.known((*path, "contact"), stakeholder.get("contact"), self.persons, _("person"))

    def _check_subjects(self) -> None:
        for index, subject in enumerate(self.ds.section("subjects")):
            path = ("subjects", index)
            self.choice((*path, "kind"), subject["kind"], SubjectKind)
            self.choice((*path, "status"), subject.get("status"), SubjectStatus)
            self.known((*path, "owner"), subject.get("owner"), self.persons, _("person"))
            for f_index, ref in enumerate(subject["frameworks"]):
                if ref not in self.ds.frameworks:
                    message = _(
                        "Unknown framework “{ref}”: no loaded framework has that reference."
                    )
                    self.add((*path, "frameworks", f_index), message.format(ref=ref))
            for e_index, element in enumerate(subject["elements"]):
                self._check_element(subject, element, (*path, "elements", e_index))

    def _check_element(self, subject: dict, element: dict, path: PathSteps) -> None:
        key = (subject["name"], element["name"])
        if key in self.elements:
            message = _("The subject “{subject}” already has an element “{name}”.")
            self.add((*path, "name"), message.format(subject=key[0], name=key[1]))
        self.elements.setdefault(key, (element, path))
        self.choice((*path, "type"), element["type"], ElementType)
        self.known((*path, "owner"), element.get("owner"), self.persons, _("person"))
        self.known((*path, "team"), element.get("team"), self.teams, _("team"))
        self.known((*path, "supplier"), element.get("supplier"), self.suppliers, _("supplier"))
        for p_index, ref in enumerate(element["parts"]):
            part = self.ds.parts.get(ref)
            if part is None:
                message = _(
                    "Unknown part “{ref}”: write <framework>:<part> with references of a "
                    "loaded framework."
                )
                self.add((*path, "parts", p_index), message.format(ref=ref))
            elif part.framework.ref_id not in subject["frameworks"]:
                message = _(
                    "The part “{ref}” belongs to “{framework}”, which is not one of the "
                    "frameworks of the subject “{subject}”."
                )
                text = message.format(
                    ref=ref, framework=part.framework.ref_id, subject=subject["name"]
                )
                self.add((*path, "parts", p_index), text)

    def _check_relations(self) -> None:
        seen: set[tuple] = set()
        for relation, subject, path in self.ds.relations():
            source = self._end(relation["source"], subject, (*path, "source"))
            target = self._end(relation["target"], subject, (*path, "target"))
            self.choice((*path, "type"), relation["type"], RelationType)
            if source is None or target is None:
                continue
            if source is target:
                self.add((*path, "target"), _("A relation cannot point at its own source."))
            key = (id(source), id(target), relation["type"])
            if key in seen:
                self.add(path, _("This relation is described twice."))
            seen.add(key)
            if relation.get("link_type"):
                self._check_link_type(relation, source, target, path)

    def _end(self, reference: str, subject: str | None, path: PathSteps) -> dict | None:
        key = element_key(reference, subject)
        found = self.elements.get(key) if key[0] is not None else None
        if found is None:
            if key[0] is None:
                message = _("Unknown element “{ref}”: write “<subject> :: <element>”.")
            else:
                message = _("Unknown element “{ref}”: no element of that name in that subject.")
            self.add(path, message.format(ref=reference))
            return None
        return found[0]

    def _check_link_type(self, relation: dict, source: dict, target: dict, path: PathSteps):
        link = self.ds.link_types.get(relation["link_type"])
        at = (*path, "link_type")
        if link is None:
            message = _("Unknown link type “{ref}”: write <framework>:<link type>.")
            self.add(at, message.format(ref=relation["link_type"]))
            return
        if relation["type"] != link.relation_type:
            message = _(
                "The link type “{ref}” is realised by a “{expected}” relation, not “{found}”."
            )
            self.add(
                (*path, "type"),
                message.format(
                    ref=relation["link_type"], expected=link.relation_type, found=relation["type"]
                ),
            )
        for end, element, part in (
            ("source", source, link.source_part),
            ("target", target, link.target_part),
        ):
            if not self._answers(element, part):
                message = _(
                    "The {end} “{name}” does not answer “{part}”, which the link type "
                    "“{ref}” expects there."
                )
                text = message.format(
                    end=end, name=element["name"], part=part.ref_id, ref=relation["link_type"]
                )
                self.add((*path, end), text)

    def _answers(self, element: dict, part: FrameworkPart) -> bool:
        """Whether the element is classified by ``part`` or by a part inside it."""
        for ref in element["parts"]:
            found = self.ds.parts.get(ref)
            if found is not None and part.pk in self.lineage.get(found.pk, ()):
                return True
        return False


def _lineage(parts: Iterable[FrameworkPart]) -> dict[int, set[int]]:
    """part pk → the pks of the part itself and of all its ancestors."""
    parents = {part.pk: part.parent_id for part in parts}
    lineage: dict[int, set[int]] = {}
    for pk in parents:
        chain, current = set(), pk
        while current is not None and current not in chain:
            chain.add(current)
            current = parents.get(current)
        lineage[pk] = chain
    return lineage
