"""Checks of one library file beyond YAML syntax, used by :mod:`stuurwiel.frameworks.loader`.

:func:`schema_errors` turns a JSON-Schema error into translated :class:`LibraryError`\\ s
that name the exact field; :func:`library_errors` checks what a schema cannot:
unique references and that every reference points at something in the library.
The allowed element types, relation types, roles and rule kinds come from the
Python choices; the schema's enums must equal them (a test keeps them in sync),
so these checks also guard a schema that drifted.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from jsonschema import ValidationError

from stuurwiel.core.vocabulary import ElementType, RelationType
from stuurwiel.frameworks.choices import RuleKind, RuleSeverity
from stuurwiel.frameworks.errors import LibraryError, format_path, line_of
from stuurwiel.frameworks.rulekinds import Shape, params_of
from stuurwiel.organisations.choices import Role, SeparationPrinciple

if TYPE_CHECKING:
    from stuurwiel.frameworks.loader import Library

Path = tuple[str | int, ...]


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _ref(value: Any) -> str | None:
    """A reference if ``value`` is one (a string); what else it is, the schema reports."""
    return value if isinstance(value, str) else None


def walk_parts(data: dict[str, Any]) -> Iterator[tuple[dict[str, Any], Path, str | None]]:
    """Every part of the tree in file (pre-)order: ``(part, path, parent ref_id)``.
    Entries that are not mappings are skipped (the schema reports them)."""

    def visit(items: Any, base: Path, parent: str | None):
        for index, part in enumerate(_list(items)):
            if isinstance(part, dict):
                path = (*base, index)
                yield part, path, parent
                yield from visit(
                    part.get("children"), (*path, "children"), _ref(part.get("ref_id"))
                )

    yield from visit(_dict(data).get("parts"), ("parts",), None)


# --- JSON Schema errors, in words --------------------------------------------

_TYPE_WORDS = {
    "object": lambda: _("a mapping (key: value)"),
    "array": lambda: _("a list"),
    "string": lambda: _("a text"),
    "integer": lambda: _("a whole number"),
    "number": lambda: _("a number"),
    "boolean": lambda: _("true or false"),
    "null": lambda: _("nothing"),
}


def _type_word(value: Any) -> str:
    for name, python in (
        ("boolean", bool),
        ("integer", int),
        ("number", float),
        ("string", str),
        ("array", list),
        ("object", dict),
    ):
        if isinstance(value, python):
            return _TYPE_WORDS[name]()
    return _TYPE_WORDS["null"]() if value is None else type(value).__name__


def _pattern_message(pattern: str, value: Any) -> str:
    if pattern == "\\S":
        return _("Give a non-empty text.")
    if pattern.startswith("^urn:"):
        message = _("“{value}” is not a valid URN; write it like urn:stuurwiel:framework:name.")
        return message.format(value=value)
    if pattern.startswith("^https?"):
        return _("Give an address that starts with http:// or https://.")
    if pattern == "^[a-z][a-z0-9_]*$":
        return _(
            "“{value}” is not a valid kind: lowercase letters, digits and “_”, "
            "starting with a letter."
        ).format(value=value)
    return _(
        "“{value}” is not a valid reference: use lowercase letters, digits, “-” and “_”."
    ).format(value=value)


def _message(error: ValidationError) -> str:
    kind, limit, value = error.validator, error.validator_value, error.instance
    if kind == "type":
        expected = limit if isinstance(limit, list) else [limit]
        words = " / ".join(_TYPE_WORDS[t]() for t in expected)
        return _("Expected {expected}, found {found}.").format(
            expected=words, found=_type_word(value)
        )
    if kind == "enum":
        return _("Unknown value “{value}”; choose one of: {choices}.").format(
            value=value, choices=", ".join(str(choice) for choice in limit)
        )
    if kind == "pattern":
        return _pattern_message(limit, value)
    if kind == "maxLength":
        return _("Too long: at most {limit} characters.").format(limit=limit)
    if kind == "minimum":
        return _("Must be at least {limit}.").format(limit=limit)
    if kind == "minItems":
        return ngettext(
            "Give at least {limit} item.", "Give at least {limit} items.", limit
        ).format(limit=limit)
    if kind == "uniqueItems":
        return _("A value appears more than once in this list.")
    if kind == "not":
        return _("“{value}” is reserved; choose another reference.").format(value=value)
    if kind == "anyOf":
        return _("Give a value, a list of values or a text with “nl” and “en”.")
    return error.message


def schema_errors(file: str, error: ValidationError, lines: dict[tuple, int]) -> list[LibraryError]:
    """One schema error as library errors; missing and unknown fields get one each,
    with the field itself in the path (``parts[2].questions[0].text.en``)."""
    path = tuple(error.absolute_path)

    def at(steps: Path, message: str) -> LibraryError:
        return LibraryError(file, format_path(steps), message, line_of(lines, steps))

    if error.validator == "required":
        return [
            at((*path, name), _("This field is required."))
            for name in error.validator_value
            if name not in error.instance
        ]
    if error.validator == "additionalProperties":
        known = set(error.schema.get("properties", {}))
        return [
            at((*path, name), _("Unknown field “{name}”.").format(name=name))
            for name in error.instance
            if name not in known
        ]
    return [at(path, _message(error))]


# --- Cross-references within one library ---------------------------------------


def library_errors(library: Library) -> list[LibraryError]:
    """Duplicate references, unresolved references and unknown types in one library.
    Written to run on any mapping, so that a file with schema errors gets these
    checks too: what is malformed is skipped here, the schema reports it."""
    errors: list[LibraryError] = []
    part_refs = _part_errors(library, errors)
    link_refs = _link_type_errors(library, part_refs, errors)
    _rule_errors(library, part_refs, link_refs, errors)
    _not_assessable_asked(library, errors)
    _trace_stage_errors(library, errors)
    return errors


def _unique(library: Library, entries: list[tuple[Any, Path]], message: str, errors: list):
    """The ref_ids of ``entries`` (item, path); an error for each one used again.
    ``message`` has ``{ref}`` and ``{other}`` (where it was first used)."""
    seen: dict[str, Path] = {}
    for item, path in entries:
        ref, at = _ref(_dict(item).get("ref_id")), (*path, "ref_id")
        if ref is None:
            continue
        if ref in seen:
            errors.append(library.error(at, message.format(ref=ref, other=format_path(seen[ref]))))
        else:
            seen[ref] = at
    return set(seen)


def _listed(items: Any, base: Path) -> list[tuple[Any, Path]]:
    return [(item, (*base, index)) for index, item in enumerate(_list(items))]


def _unknown_part(library: Library, path: Path, ref: Any, part_refs: set[str], errors: list):
    if _ref(ref) is not None and ref not in part_refs:
        message = _("Unknown part “{ref}”: no part in this library has that reference.")
        errors.append(library.error(path, message.format(ref=ref)))


def _unknown_choice(library: Library, path: Path, value: Any, choices, message: str, errors):
    if isinstance(value, str) and value not in choices.values:
        errors.append(library.error(path, message.format(value=value)))


def _part_errors(library: Library, errors: list) -> set[str]:
    parts = list(walk_parts(library.data))
    part_refs = _unique(
        library,
        [(part, path) for part, path, _parent in parts],
        _("The part reference “{ref}” is used twice (also at {other})."),
        errors,
    )
    for part, path, _parent in parts:
        _unique(
            library,
            _listed(part.get("questions"), (*path, "questions")),
            _("The question reference “{ref}” is used twice in this part (also at {other})."),
            errors,
        )
        for index, value in enumerate(_list(part.get("element_types"))):
            at = (*path, "element_types", index)
            message = _("Unknown element type “{value}”.")
            _unknown_choice(library, at, value, ElementType, message, errors)
        for name, targets in _dict(part.get("refs")).items():
            for index, target in enumerate(_list(targets)):
                _unknown_part(library, (*path, "refs", name, index), target, part_refs, errors)
    return part_refs


def _link_type_errors(library: Library, part_refs: set[str], errors: list) -> set[str]:
    links = _listed(_dict(library.data).get("link_types"), ("link_types",))
    link_refs = _unique(
        library,
        links,
        _("The link type reference “{ref}” is used twice (also at {other})."),
        errors,
    )
    for link, path in links:
        link = _dict(link)
        _unknown_part(library, (*path, "from"), link.get("from"), part_refs, errors)
        _unknown_part(library, (*path, "to"), link.get("to"), part_refs, errors)
        message = _("Unknown relation type “{value}”.")
        _unknown_choice(
            library, (*path, "relation"), link.get("relation"), RelationType, message, errors
        )
    return link_refs


def _rule_errors(library: Library, part_refs: set[str], link_refs: set[str], errors: list):
    rules = _listed(_dict(library.data).get("coherence_rules"), ("coherence_rules",))
    _unique(
        library,
        rules,
        _("The rule reference “{ref}” is used twice (also at {other})."),
        errors,
    )
    refs = {Shape.PART: part_refs, Shape.LINK_TYPE: link_refs}
    for rule, path in rules:
        rule = _dict(rule)
        message = _("Unknown rule kind “{value}”.")
        _unknown_choice(library, (*path, "kind"), rule.get("kind"), RuleKind, message, errors)
        message = _("Unknown severity “{value}”.")
        _unknown_choice(
            library, (*path, "severity"), rule.get("severity"), RuleSeverity, message, errors
        )
        if isinstance(rule.get("kind"), str) and rule["kind"] in RuleKind.values:
            _param_errors(library, rule, (*path, "params"), refs, errors)
        if rule.get("kind") == RuleKind.ROLE_SEPARATION:
            _check_separation(library, rule, _dict(rule.get("params")), (*path, "params"), errors)


def _param_errors(library: Library, rule: dict, at: Path, refs: dict, errors: list) -> None:
    """The rule's parameters against its kind's declaration (``rulekinds.RULE_PARAMS``):
    none unknown, the required ones there, each of the declared shape."""
    declared = params_of(rule["kind"])
    params = rule.get("params", {})
    if params is None:
        params = {}
    if not isinstance(params, dict):
        return  # the schema reports it
    for name in params:
        if name not in declared:
            message = _("The rule kind “{kind}” takes no parameter “{name}” (it takes: {known}).")
            known = ", ".join(declared) or "—"
            errors.append(
                library.error(
                    (*at, name), message.format(kind=rule["kind"], name=name, known=known)
                )
            )
    for param in declared.values():
        if param.name not in params:
            if param.required:
                message = _("The rule kind “{kind}” needs the parameter “{name}”.")
                message = message.format(kind=rule["kind"], name=param.name)
                errors.append(library.error((*at, param.name), message))
            continue
        _param_value_errors(library, param, params[param.name], (*at, param.name), refs, errors)


def _param_value_errors(library, param, value: Any, at: Path, refs: dict, errors: list) -> None:
    if param.shape in (Shape.PARTS, Shape.ROLES, Shape.ELEMENT_TYPES, Shape.TEXTS):
        if not isinstance(value, list) or len(value) < param.at_least:
            message = ngettext(
                "Give a list of at least {count} entry.",
                "Give a list of at least {count} entries.",
                param.at_least,
            ).format(count=param.at_least)
            errors.append(library.error(at, message))
            return
        single = {
            Shape.PARTS: Shape.PART,
            Shape.ROLES: Shape.ROLE,
            Shape.ELEMENT_TYPES: "element_type",
            Shape.TEXTS: Shape.TEXT,
        }[param.shape]
        for number, item in enumerate(value):
            _one_value_errors(library, single, param, item, (*at, number), refs, errors)
        return
    _one_value_errors(library, param.shape, param, value, at, refs, errors)


def _one_value_errors(library, shape: str, param, value: Any, at: Path, refs, errors) -> None:
    if shape == Shape.COUNT:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            errors.append(library.error(at, _("Give a whole number of at least 1.")))
        return
    if not isinstance(value, str):
        errors.append(library.error(at, _("Give a text.")))
        return
    if shape == Shape.PART:
        _unknown_part(library, at, value, refs[Shape.PART], errors)
    elif shape == Shape.LINK_TYPE and value not in refs[Shape.LINK_TYPE]:
        message = _("Unknown link type “{ref}”: no link type in this library has that reference.")
        errors.append(library.error(at, message.format(ref=value)))
    elif shape == Shape.ROLE:
        _unknown_choice(library, at, value, Role, _("Unknown role “{value}”."), errors)
    elif shape == "element_type":
        message = _("Unknown element type “{value}”.")
        _unknown_choice(library, at, value, ElementType, message, errors)
    elif shape == Shape.CHOICE and value not in param.choices:
        message = _("Unknown value “{value}”: choose one of {choices}.")
        errors.append(
            library.error(at, message.format(value=value, choices=", ".join(param.choices)))
        )


def _check_separation(library: Library, rule: dict, params: dict, at: tuple, errors: list) -> None:
    """A separation rule names one of the principles function separation knows
    (§14.6–14.7); that it names two roles or more, the parameter checks say."""
    message = _("Unknown separation principle “{value}”.")
    _unknown_choice(
        library, (*at, "principle"), params.get("principle"), SeparationPrinciple, message, errors
    )


def _not_assessable_asked(library: Library, errors: list) -> None:
    """A ``part_answered`` rule may only ask for parts a subject is asked to answer."""
    closed = {
        part.get("ref_id")
        for part, _path, _parent in walk_parts(library.data)
        if part.get("assessable") is False
    }
    rules = _listed(_dict(library.data).get("coherence_rules"), ("coherence_rules",))
    for rule, path in rules:
        rule = _dict(rule)
        if rule.get("kind") != RuleKind.PART_ANSWERED:
            continue
        for number, ref in enumerate(_list(_dict(rule.get("params")).get("parts"))):
            if isinstance(ref, str) and ref in closed:
                message = _(
                    "The part “{ref}” is not assessable, so a subject is never asked to "
                    "answer it; an “answered” rule cannot require it."
                ).format(ref=ref)
                errors.append(library.error((*path, "params", "parts", number), message))


def _trace_stage_errors(library: Library, errors: list) -> None:
    """The trace stages (attribute ``trace_stage``) run 1, 2, … without a gap, and
    a library that declares them declares at least two: a path needs both ends."""
    stages: dict[int, Path] = {}
    for part, path, _parent in walk_parts(library.data):
        stage = _dict(part.get("attributes")).get("trace_stage")
        if isinstance(stage, int) and not isinstance(stage, bool) and stage >= 1:
            stages.setdefault(stage, (*path, "attributes", "trace_stage"))
    if not stages:
        return
    first = stages[min(stages)]
    if len(stages) < 2:
        message = _("A trace needs at least two stages (reasons and results); only one is set.")
        errors.append(library.error(first, message))
        return
    missing = sorted(set(range(1, max(stages) + 1)) - set(stages))
    if missing:
        message = _("The trace stages run from 1 without a gap; no part has stage {stages}.")
        errors.append(
            library.error(first, message.format(stages=", ".join(str(n) for n in missing)))
        )
