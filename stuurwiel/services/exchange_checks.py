"""The groundwork of checking a service design file: reading typed values out
of its objects while collecting every problem with its JSON pointer (RFC 6901),
and the file's ``references`` — the persons, teams, suppliers, stakeholders,
business calendars and model elements the design names — resolved against the
organisation: an existing object of that name, or one to create from its
description (if the member may create such objects). Used by
:mod:`stuurwiel.services.exchange_validation`; reads, never writes."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from stuurwiel.calendars.choices import ClosedDayKind, Weekday
from stuurwiel.calendars.models import BusinessCalendar, ClosedDay, validate_time_zone
from stuurwiel.core.text import text_problem
from stuurwiel.graph.choices import ElementType
from stuurwiel.graph.models import Element
from stuurwiel.organisations import access as access_layer
from stuurwiel.parties.choices import Level, ValueCategory
from stuurwiel.parties.models import Person, Stakeholder, Supplier, Team
from stuurwiel.services.exchange_format import Problem

#: The largest value of a positive integer field on every database.
MAX_INT = 2_147_483_647

#: What the design names, per kind: the model and the fields a reference may describe.
KINDS: dict[str, type] = {
    "persons": Person,
    "teams": Team,
    "suppliers": Supplier,
    "stakeholders": Stakeholder,
    "calendars": BusinessCalendar,
    "elements": Element,
}


@dataclass
class Ref:
    """One name the design uses: the organisation's object, or what to create."""

    existing: Any = None
    spec: dict[str, Any] | None = None
    path: str = ""  # where the file describes it


def pointer(path: str, key: Any) -> str:
    token = str(key).replace("~", "~0").replace("/", "~1")
    return f"{path}/{token}"


def max_length(model, name: str) -> int | None:
    return model._meta.get_field(name).max_length


class FileCheck:
    """Collects problems while reading values out of a file's objects, and
    the names the design uses (to resolve them at the end)."""

    def __init__(self, organisation, by) -> None:
        self.problems: list[Problem] = []
        self.organisation = organisation
        self.by = by
        self.specs: dict[str, dict[str, tuple[str, dict]]] = {kind: {} for kind in KINDS}
        self.wanted: dict[str, dict[str, list[str]]] = {kind: {} for kind in KINDS}

    def want(self, kind: str, name: str | None, path: str) -> None:
        if name is not None:
            self.wanted[kind].setdefault(name, []).append(path)

    def add(self, path: str, message: Any) -> None:
        self.problems.append(Problem(path, str(message)))

    def obj(self, value: Any, path: str, *, required=(), optional=()) -> dict | None:
        if not isinstance(value, dict):
            self.add(path, _("Give an object here."))
            return None
        for key in required:
            if key not in value:
                self.add(pointer(path, key), _("This is required."))
        for key in sorted(set(value) - set(required) - set(optional), key=str):
            self.add(pointer(path, key), _("Unknown key: this format does not have it."))
        return value

    def text(self, d: dict, key: str, path: str, *, max_length=None, required=False) -> str:
        where = pointer(path, key)
        value = d.get(key, "")
        if not isinstance(value, str):
            self.add(where, _("Give text here."))
            return ""
        problem = text_problem(value)
        if problem:
            self.add(where, problem)
            return ""
        if max_length is not None and len(value) > max_length:
            self.add(
                where,
                _("At most {limit} characters ({count} given).").format(
                    limit=max_length, count=len(value)
                ),
            )
        if required and not value.strip():
            self.add(where, _("This cannot be empty."))
        return value

    def name(self, d: dict, key: str, path: str, *, max_length=200) -> str | None:
        """A reference by name: ``null`` or a non-empty text."""
        if d.get(key) is None:
            return None
        value = self.text(d, key, path, max_length=max_length, required=True)
        return value or None

    def integer(self, d: dict, key: str, path: str, *, minimum=0, maximum=MAX_INT, null=False):
        where = pointer(path, key)
        value = d.get(key, None if null else minimum)
        if value is None and null:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(where, _("Give a whole number here."))
            return None
        if not minimum <= value <= maximum:
            self.add(
                where,
                _("Give a number from {low} to {high}.").format(low=minimum, high=maximum),
            )
            return None
        return value

    def boolean(self, d: dict, key: str, path: str, *, default: bool) -> bool:
        value = d.get(key, default)
        if not isinstance(value, bool):
            self.add(pointer(path, key), _("Give true or false here."))
            return default
        return value

    def choice(self, d: dict, key: str, path: str, choices, *, default=None) -> str | None:
        value = d.get(key, default)
        if value not in choices.values:
            self.add(
                pointer(path, key),
                _("Choose one of: {choices}.").format(choices=", ".join(map(str, choices.values))),
            )
            return None
        return value

    def array(self, d: dict, key: str, path: str) -> list:
        value = d.get(key, [])
        if not isinstance(value, list):
            self.add(pointer(path, key), _("Give a list here."))
            return []
        return value

    # --- references: what the design names -------------------------------------------

    def references(self, value: Any) -> None:
        refs = self.obj(value, "/references", optional=tuple(KINDS))
        if refs is None:
            return
        readers = {
            "persons": self.person,
            "teams": self.team,
            "suppliers": self.supplier,
            "stakeholders": self.stakeholder,
            "calendars": self.calendar,
            "elements": self.element,
        }
        for kind, read in readers.items():
            for index, item in enumerate(self.array(refs, kind, "/references")):
                path = f"/references/{kind}/{index}"
                spec = read(item, path)
                if spec is None or not spec.get("name"):
                    continue
                if spec["name"] in self.specs[kind]:
                    message = _("“{name}” is described twice.")
                    self.add(pointer(path, "name"), message.format(name=spec["name"]))
                self.specs[kind][spec["name"]] = (path, spec)

    def _spec(self, value, path, model, texts: tuple[str, ...], required=("name",), **extra):
        d = self.obj(value, path, required=required, optional=(*texts, *extra))
        if d is None:
            return None
        spec = {
            key: self.text(d, key, path, max_length=max_length(model, key), required=key == "name")
            for key in ("name", *texts)
        }
        for key, read in extra.items():
            spec[key] = read(d, path)
        return spec

    def person(self, value, path):
        return self._spec(value, path, Person, ("job_title",))

    def team(self, value, path):
        return self._spec(value, path, Team, ("code", "domain", "description"))

    def supplier(self, value, path):
        return self._spec(value, path, Supplier, ("description", "interface_description"))

    def stakeholder(self, value, path):
        return self._spec(
            value,
            path,
            Stakeholder,
            ("description",),
            required=("name", "category", "interest", "influence"),
            category=lambda d, p: self.choice(d, "category", p, ValueCategory),
            interest=lambda d, p: self.choice(d, "interest", p, Level),
            influence=lambda d, p: self.choice(d, "influence", p, Level),
            is_internal=lambda d, p: self.boolean(d, "is_internal", p, default=False),
        )

    def element(self, value, path):
        return self._spec(
            value,
            path,
            Element,
            ("description",),
            required=("name", "element_type"),
            element_type=lambda d, p: self.choice(d, "element_type", p, ElementType),
        )

    def calendar(self, value, path):
        return self._spec(
            value,
            path,
            BusinessCalendar,
            ("description",),
            time_zone=self.time_zone,
            windows=self.windows,
            closed_days=self.closed_days,
        )

    def time_zone(self, d: dict, path: str) -> str:
        value = self.text(
            d, "time_zone", path, max_length=max_length(BusinessCalendar, "time_zone")
        )
        value = value or BusinessCalendar._meta.get_field("time_zone").default
        try:
            validate_time_zone(value)
        except ValidationError as error:
            self.add(pointer(path, "time_zone"), error.messages[0])
        return value

    def windows(self, d: dict, path: str) -> list[dict]:
        found: list[dict] = []
        for index, value in enumerate(self.array(d, "windows", path)):
            where = f"{path}/windows/{index}"
            w = self.obj(value, where, required=("weekday", "start", "end"))
            if w is None:
                continue
            weekday = self.integer(w, "weekday", where, minimum=1, maximum=7)
            start = self.clock(w, "start", where, end=False)
            end = self.clock(w, "end", where, end=True)
            if start is None or end is None or weekday is None:
                continue
            if end <= start:
                self.add(pointer(where, "end"), _("A window ends after it starts."))
                continue
            if any(
                o["weekday"] == weekday and o["start"] < end and start < o["end"] for o in found
            ):
                message = _("This window overlaps another on {day}.")
                self.add(where, message.format(day=Weekday(weekday).label))
            found.append({"weekday": weekday, "start": start, "end": end})
        return found

    def clock(self, d: dict, key: str, path: str, *, end: bool) -> int | None:
        value = d.get(key)
        match = (
            re.fullmatch(r"([01]\d|2[0-4]):([0-5]\d)", value) if isinstance(value, str) else None
        )
        minutes = int(match[1]) * 60 + int(match[2]) if match else None
        if minutes is None or minutes > 1440 or (minutes == 1440 and not end):
            self.add(pointer(path, key), _("Give a time as HH:MM (24:00 only as an end)."))
            return None
        return minutes

    def closed_days(self, d: dict, path: str) -> list[dict]:
        found: list[dict] = []
        for index, value in enumerate(self.array(d, "closed_days", path)):
            where = f"{path}/closed_days/{index}"
            c = self.obj(value, where, required=("date", "name"), optional=("kind", "active"))
            if c is None:
                continue
            try:
                date = datetime.date.fromisoformat(c.get("date"))
            except (TypeError, ValueError):
                self.add(pointer(where, "date"), _("Give a date as YYYY-MM-DD."))
                date = None
            if date is not None and any(day["date"] == date for day in found):
                message = _("This calendar has {date} twice.")
                self.add(pointer(where, "date"), message.format(date=date.isoformat()))
            found.append(
                {
                    "date": date,
                    "name": self.text(
                        c, "name", where, max_length=max_length(ClosedDay, "name"), required=True
                    ),
                    "kind": self.choice(c, "kind", where, ClosedDayKind, default="closing"),
                    "active": self.boolean(c, "active", where, default=True),
                }
            )
        return found

    # --- names: existing, or created from the references -------------------------------

    def resolve(self) -> dict[str, dict[str, Ref]]:
        refs: dict[str, dict[str, Ref]] = {}
        for kind, model in KINDS.items():
            wanted = self.wanted[kind]
            existing: dict[str, list] = {}
            for obj in model.objects.filter(organisation=self.organisation, name__in=list(wanted)):
                existing.setdefault(obj.name, []).append(obj)
            refs[kind] = {}
            may_create: bool | None = None
            for name, paths in wanted.items():
                found = existing.get(name, [])
                path, spec = self.specs[kind].get(name, ("", None))
                if kind == "elements" and len(found) > 1 and spec and spec.get("element_type"):
                    found = [obj for obj in found if obj.element_type == spec["element_type"]]
                plural = model._meta.verbose_name_plural
                if len(found) == 1:
                    refs[kind][name] = Ref(existing=found[0])
                elif found:
                    message = _("Several {kind} here are called “{name}”: rename all but one.")
                    self.add(paths[0], message.format(kind=plural, name=name))
                elif spec is None:
                    message = _(
                        "“{name}” is not in this organisation and the file's references "
                        "do not describe it."
                    )
                    self.add(paths[0], message.format(name=name))
                else:
                    if may_create is None:
                        may_create = self.may_create(model)
                    if not may_create:
                        message = _(
                            "“{name}” is not in this organisation, and your roles do not "
                            "allow adding {kind}."
                        )
                        self.add(paths[0], message.format(name=name, kind=plural))
                    refs[kind][name] = Ref(spec=spec, path=path)
        return refs

    def may_create(self, model) -> bool:
        try:
            access_layer.require(
                by=self.by,
                organisation=self.organisation,
                action="change",
                obj=model(organisation=self.organisation),
            )
        except access_layer.AccessDenied:
            return False
        return True
