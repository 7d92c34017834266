"""Demo data files: YAML in, checked :class:`DemoDataset`\\ s out (phase 1 of the demo load).

Model
    A data file (format: ``stuurwiel/demo/README.md``) describes one organisation:
    users with their roles, teams, persons, suppliers, stakeholders, and subjects
    with typed elements classified by framework parts and relations between them.
    :func:`parse_dataset` reads one file and checks YAML syntax and the JSON Schema
    in ``schema/demo.schema.json``; :func:`stuurwiel.demo.checks.validate_datasets`
    adds the cross-references and raises
    :class:`~stuurwiel.demo.errors.DemoDataInvalid` with every problem of every file
    before anything is written.

Limits
    - A file with schema errors gets no cross-reference checks: its structure cannot
      be trusted. Fix the reported problems and load again to see the rest.
    - Parts and link types are looked up in the database: load the frameworks first.
    - Names are natural keys within the file (elements: within their subject), so
      renaming something in a file makes the loader create it anew.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator, ValidationError

from stuurwiel.demo.errors import DemoProblem
from stuurwiel.frameworks.errors import format_path, line_of
from stuurwiel.frameworks.models import Framework, FrameworkPart, LinkType

DATA_DIR = Path(__file__).resolve().parent / "data"
SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / "demo.schema.json"
# Joins a subject name and an element name in a relation that crosses subjects.
SEPARATOR = " :: "

PathSteps = tuple[str | int, ...]


def bundled_dataset_paths() -> list[Path]:
    """The demo organisations shipped with Stuurwiel, in name order."""
    return sorted(DATA_DIR.glob("*.yaml"))


@cache
def demo_schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@dataclass
class DemoDataset:
    """A data file that passed phase 1, with the framework rows it refers to."""

    source: str
    data: dict[str, Any]
    lines: dict[tuple, int] = field(default_factory=dict, repr=False)
    frameworks: dict[str, Framework] = field(default_factory=dict, repr=False)
    parts: dict[str, FrameworkPart] = field(default_factory=dict, repr=False)
    link_types: dict[str, LinkType] = field(default_factory=dict, repr=False)

    @property
    def slug(self) -> str:
        return self.data["organisation"]["slug"]

    @property
    def name(self) -> str:
        return self.data["organisation"]["name"]

    def section(self, name: str) -> list[dict[str, Any]]:
        return self.data.get(name) or []

    def problem(self, path: PathSteps, message: str) -> DemoProblem:
        return DemoProblem(self.source, format_path(path), message, line_of(self.lines, path))

    def relations(self) -> list[tuple[dict[str, Any], str | None, PathSteps]]:
        """Every relation with the subject it is written under (None: top level)."""
        found = []
        for s_index, subject in enumerate(self.section("subjects")):
            for r_index, relation in enumerate(subject.get("relations") or []):
                found.append(
                    (relation, subject["name"], ("subjects", s_index, "relations", r_index))
                )
        for r_index, relation in enumerate(self.section("relations")):
            found.append((relation, None, ("relations", r_index)))
        return found

    def services(self) -> list[tuple[dict[str, Any], dict[str, Any], PathSteps]]:
        """Every subject with a service design: (subject, its ``service``, the path)."""
        return [
            (subject, subject["service"], ("subjects", index, "service"))
            for index, subject in enumerate(self.section("subjects"))
            if subject.get("service") is not None
        ]


def element_key(reference: str, subject: str | None) -> tuple[str | None, str]:
    """``"Subject :: Element"`` or, under a subject, a bare ``"Element"`` →
    ``(subject name, element name)``; the subject is None when it cannot be told."""
    if SEPARATOR in reference:
        subject_name, element_name = reference.split(SEPARATOR, 1)
        return subject_name.strip(), element_name.strip()
    return subject, reference.strip()


def split_role(spec: str) -> tuple[str, str | None]:
    """``"operator"`` → ``("operator", None)`` (organisation-wide);
    ``"service_owner@Verhuizing doorgeven"`` → the role scoped to that subject."""
    role, _at, subject = spec.partition("@")
    return role.strip(), (subject.strip() or None)


#: Weekdays as the data files write them (Dutch), to ISO numbers.
WEEKDAYS = {"ma": 1, "di": 2, "wo": 3, "do": 4, "vr": 5, "za": 6, "zo": 7}
#: The customer end of an interface (any other end names a link's team or supplier).
CUSTOMER_END = "customer"


def parse_hours(text: str) -> tuple[int, int] | None:
    """``"08:30-12:30"`` → minutes since midnight ``(510, 750)``; 24:00 may end a
    window. None when the text is no valid window."""
    start_text, _dash, end_text = text.partition("-")
    try:
        bounds = [tuple(int(part) for part in t.split(":")) for t in (start_text, end_text)]
    except ValueError:
        return None
    minutes = []
    for hours, mins in bounds:
        if not (0 <= mins < 60 and 0 <= hours <= 24) or (hours == 24 and mins):
            return None
        minutes.append(hours * 60 + mins)
    start, end = minutes
    if start >= 24 * 60 or end <= start:
        return None
    return start, end


def link_name(link: dict[str, Any]) -> str:
    """The name a link goes by in a data file: its team's or its supplier's."""
    return link.get("team") or link.get("supplier") or ""


def split_name(name: str) -> tuple[str, str]:
    """``"Sanne de Vries"`` → ``("Sanne", "de Vries")``: first name and the rest."""
    first, _space, rest = name.strip().partition(" ")
    return first, rest


# --- Reading and the schema ----------------------------------------------------


def _map_lines(node, path: PathSteps, lines: dict[tuple, int], seen: set[int]) -> None:
    if id(node) in seen:  # an alias: its lines are those of the anchor
        return
    seen.add(id(node))
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            child = (*path, key_node.value)
            lines[child] = key_node.start_mark.line + 1
            _map_lines(value_node, child, lines, seen)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _map_lines(item, (*path, index), lines, seen)


def _read(source: str | Path) -> tuple[Any, dict[tuple, int], list[DemoProblem]]:
    name = str(source)
    try:
        text = Path(source).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        message = _("The file cannot be read: {reason}.").format(reason=exc)
        return None, {}, [DemoProblem(name, "", message)]
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        message = _("YAML syntax error: {problem}.").format(problem=getattr(exc, "problem", exc))
        return None, {}, [DemoProblem(name, "", message, mark.line + 1 if mark else None)]
    if node is None:
        return None, {}, [DemoProblem(name, "", _("The file is empty."))]
    lines: dict[tuple, int] = {}
    _map_lines(node, (), lines, set())
    return data, lines, []


def _schema_problems(name: str, error: ValidationError, lines: dict) -> list[DemoProblem]:
    """One schema error in words; missing and unknown fields get one problem each."""
    path = tuple(error.absolute_path)

    def at(steps: PathSteps, message: str) -> DemoProblem:
        return DemoProblem(name, format_path(steps), message, line_of(lines, steps))

    if error.validator == "required":
        missing = [key for key in error.validator_value if key not in error.instance]
        return [at((*path, key), _("This field is required.")) for key in missing]
    if error.validator == "additionalProperties":
        known = set(error.schema.get("properties", {}))
        unknown = [key for key in error.instance if key not in known]
        return [at((*path, key), _("Unknown field “{name}”.").format(name=key)) for key in unknown]
    if error.validator == "pattern" and error.validator_value == "\\S":
        return [at(path, _("Give a non-empty text."))]
    return [at(path, error.message)]


def parse_dataset(source: str | Path) -> tuple[DemoDataset | None, list[DemoProblem]]:
    """Read one file and check it against the schema (no cross-references yet)."""
    data, lines, problems = _read(source)
    if problems:
        return None, problems
    validator = Draft202012Validator(demo_schema())
    # jsonschema reports "required" once per missing field, each carrying the whole
    # list; keep every (place, message) once.
    problems = list(
        {
            (problem.path, problem.message): problem
            for error in validator.iter_errors(data)
            for problem in _schema_problems(str(source), error, lines)
        }.values()
    )
    if problems:
        return None, sorted(problems, key=lambda p: (p.line or 0, p.path))
    return DemoDataset(source=str(source), data=data, lines=lines), []
