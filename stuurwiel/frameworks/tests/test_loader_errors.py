"""Phase 1: every kind of problem is reported with its file and path, nothing written."""

from __future__ import annotations

import copy

import pytest
from django.utils import translation

from stuurwiel.frameworks.checks import library_errors
from stuurwiel.frameworks.errors import LibraryError, LibraryInvalid
from stuurwiel.frameworks.loader import Library, LibrarySource, validate_libraries
from stuurwiel.frameworks.services import framework_library_load
from stuurwiel.frameworks.tests.samples import alpha, beta, row_counts

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def errors_of(*sources) -> list[LibraryError]:
    with pytest.raises(LibraryInvalid) as caught:
        validate_libraries(sources)
    return caught.value.errors


def only_error(data, write_library, name="alpha.yaml") -> LibraryError:
    path = write_library(data, name)
    errors = errors_of(path)
    assert len(errors) == 1, errors
    assert errors[0].file == str(path)
    return errors[0]


def changed(change) -> dict:
    data = alpha()
    change(data)
    return data


def _set(path, value):
    """A change that sets ``data[path…] = value`` (a missing last key is added)."""

    def change(data):
        target = data
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value

    return change


def _link_rule(params):
    """A change that adds a third rule, of kind ``link_expected``, with ``params``."""

    def change(data):
        data["coherence_rules"].append(
            {
                "ref_id": "linked",
                "kind": "link_expected",
                "severity": "info",
                "message": {"nl": "Verbind ze.", "en": "Link them."},
                "params": params,
            }
        )

    return change


def _rule(kind, params):
    """A change that adds a third rule of ``kind`` with ``params``."""

    def change(data):
        data["coherence_rules"].append(
            {
                "ref_id": "third",
                "kind": kind,
                "severity": "warning",
                "message": {"nl": "Regel.", "en": "Rule."},
                "params": params,
            }
        )

    return change


def _drop(path):
    def change(data):
        target = data
        for step in path[:-1]:
            target = target[step]
        del target[path[-1]]

    return change


CASES = {
    "missing required field": (
        _drop(("parts", 0, "questions", 0, "text", "en")),
        "parts[0].questions[0].text.en",
        "This field is required",
    ),
    "empty text": (
        _set(("parts", 1, "name", "nl"), "  "),
        "parts[1].name.nl",
        "non-empty text",
    ),
    "unknown field": (_set(("parts", 1, "colour"), "red"), "parts[1].colour", "Unknown field"),
    "bad reference": (
        _set(("parts", 0, "children", 0, "ref_id"), "Besluiten!"),
        "parts[0].children[0].ref_id",
        "not a valid reference",
    ),
    "reserved framework reference": (_set(("ref_id",), "load"), "ref_id", "reserved"),
    "bad urn": (_set(("urn",), "optimum"), "urn", "not a valid URN"),
    "wrong type": (_set(("version",), "one"), "version", "whole number"),
    "version below one": (_set(("version",), 0), "version", "at least 1"),
    "unknown element type": (
        _set(("parts", 0, "element_types", 1), "wizard"),
        "parts[0].element_types[1]",
        "Unknown value “wizard”",
    ),
    "unknown relation type": (
        _set(("link_types", 0, "relation"), "hugs"),
        "link_types[0].relation",
        "Unknown value “hugs”",
    ),
    "unknown role": (
        _set(("coherence_rules", 1, "params", "roles", 0), "wizard"),
        "coherence_rules[1].params.roles[0]",
        "Unknown value “wizard”",
    ),
    "unknown rule kind": (
        _set(("coherence_rules", 0, "kind"), "vibes"),
        "coherence_rules[0].kind",
        "Unknown value “vibes”",
    ),
    "role separation without roles": (
        _drop(("coherence_rules", 1, "params", "roles")),
        "coherence_rules[1].params.roles",
        "needs the parameter “roles”",
    ),
    "duplicate part reference": (
        lambda data: data["parts"].append(
            {**copy.deepcopy(data["parts"][1]), "ref_id": "besluiten"}
        ),
        "parts[2].ref_id",
        "used twice (also at parts[0].children[0].ref_id)",
    ),
    "duplicate question reference in a part": (
        _set(("parts", 0, "questions", 1, "ref_id"), "q1"),
        "parts[0].questions[1].ref_id",
        "used twice",
    ),
    "duplicate link type reference": (
        lambda data: data["link_types"].append(copy.deepcopy(data["link_types"][0])),
        "link_types[1].ref_id",
        "used twice",
    ),
    "duplicate rule reference": (
        _set(("coherence_rules", 1, "ref_id"), "all-answered"),
        "coherence_rules[1].ref_id",
        "used twice",
    ),
    "cited source without a reference": (
        _set(("parts", 1, "source"), {"kind": "cited"}),
        "parts[1].source.ref",
        "required",
    ),
    "unknown source kind": (
        _set(("link_types", 0, "source"), {"kind": "rumour", "ref": "x"}),
        "link_types[0].source.kind",
        "Unknown value “rumour”",
    ),
    "assessable that is not a yes or no": (
        _set(("parts", 1, "assessable"), "sometimes"),
        "parts[1].assessable",
        "",
    ),
    "answered rule asking a part that is not assessable": (
        _set(("parts", 1, "assessable"), False),
        "coherence_rules[0].params.parts[1]",
        "not assessable",
    ),
    "unresolved refs": (
        _set(("parts", 1, "refs", "depends_on", 0), "ghost"),
        "parts[1].refs.depends_on[0]",
        "Unknown part “ghost”",
    ),
    "unresolved link source": (
        _set(("link_types", 0, "from"), "ghost"),
        "link_types[0].from",
        "Unknown part “ghost”",
    ),
    "unresolved link target": (
        _set(("link_types", 0, "to"), "ghost"),
        "link_types[0].to",
        "Unknown part “ghost”",
    ),
    "unresolved rule parts": (
        _set(("coherence_rules", 0, "params", "parts", 1), "ghost"),
        "coherence_rules[0].params.parts[1]",
        "Unknown part “ghost”",
    ),
    "unresolved rule link type": (
        _link_rule({"link_type": "ghost-link"}),
        "coherence_rules[2].params.link_type",
        "Unknown link type “ghost-link”",
    ),
    "unresolved rule source": (
        _link_rule({"link_type": "sturing-resultaat", "source": "ghost"}),
        "coherence_rules[2].params.source",
        "Unknown part “ghost”",
    ),
    "unresolved rule target": (
        _link_rule({"link_type": "sturing-resultaat", "target": "ghost"}),
        "coherence_rules[2].params.target",
        "Unknown part “ghost”",
    ),
    "parameter the rule kind does not take": (
        _set(("coherence_rules", 0, "params", "link_type"), "sturing-resultaat"),
        "coherence_rules[0].params.link_type",
        "takes no parameter “link_type”",
    ),
    "parameter of the wrong shape": (
        _link_rule({"link_type": "sturing-resultaat", "each": "both"}),
        "coherence_rules[2].params.each",
        "Unknown value “both”",
    ),
    "order of thinking with one step": (
        _rule("parts_in_order", {"parts": ["sturing"]}),
        "coherence_rules[2].params.parts",
        "at least 2 entries",
    ),
    "order of thinking naming an unknown step": (
        _rule("parts_in_order", {"parts": ["sturing", "ghost"]}),
        "coherence_rules[2].params.parts[1]",
        "Unknown part “ghost”",
    ),
    "order of thinking with a parameter it does not take": (
        _rule("parts_in_order", {"parts": ["sturing", "resultaat"], "within": ["sturing"]}),
        "coherence_rules[2].params.within",
        "takes no parameter “within”",
    ),
    "answers within without where": (
        _rule("answers_within", {"element_types": ["process"]}),
        "coherence_rules[2].params.within",
        "needs the parameter “within”",
    ),
    "answers within an unknown part": (
        _rule("answers_within", {"element_types": ["process"], "within": ["ghost"]}),
        "coherence_rules[2].params.within[0]",
        "Unknown part “ghost”",
    ),
    "answers within of an unknown element type": (
        _rule("answers_within", {"element_types": ["wizard"], "within": ["sturing"]}),
        "coherence_rules[2].params.element_types[0]",
        "“wizard”",
    ),
    "list parameter given as one value": (
        _set(("coherence_rules", 0, "params", "parts"), "sturing"),
        "coherence_rules[0].params.parts",
        "Expected a list",
    ),
}


@pytest.mark.parametrize("change,path,message", CASES.values(), ids=CASES.keys())
def test_each_error_kind_is_reported_with_file_and_path(write_library, change, path, message):
    error = only_error(changed(change), write_library)
    assert error.path == path
    assert message in error.message
    assert error.line is not None


def test_yaml_syntax_error_is_reported_with_its_line(write_library):
    error = only_error("urn: urn:test:framework:alpha\nref_id: [alpha\nversion: 1\n", write_library)
    assert error.path == "" and error.line == 3
    assert error.message.startswith("YAML syntax error")


def test_duplicate_yaml_key_is_refused_with_its_line(write_library):
    error = only_error("urn: urn:test:framework:a\nversion: 1\nversion: 2\n", write_library)
    assert error.line == 3 and "“version” appears twice" in error.message


def test_yaml_aliases_are_refused(write_library):
    text = "urn: &u urn:test:framework:a\nref_id: *u\n"
    error = only_error(text, write_library)
    assert "aliases" in error.message


def test_empty_file_is_reported(write_library):
    assert only_error("# nothing yet\n", write_library).message == "The file is empty."


def test_missing_file_and_non_utf8_upload_are_reported(tmp_path):
    errors = errors_of(
        tmp_path / "missing.yaml", LibrarySource("latin.yaml", "é".encode("latin-1"))
    )
    assert [(e.file, e.path) for e in errors] == [
        (str(tmp_path / "missing.yaml"), ""),
        ("latin.yaml", ""),
    ]
    assert "cannot be read" in errors[0].message and "not UTF-8" in errors[1].message


def test_schema_error_points_at_the_line_of_the_field(write_library):
    text = (
        "urn: urn:test:framework:a\nref_id: a\nversion: 1\nname: {nl: A, en: A}\n"
        "description: {nl: A, en: A}\npublisher: P\nsource: {title: T}\nparts:\n"
        "  - ref_id: p\n    kind: aspect\n    name:\n      nl: P\n      en: ''\n"
    )
    error = only_error(text, write_library)
    assert (error.path, error.line) == ("parts[0].name.en", 13)
    assert str(error).endswith(":parts[0].name.en: Give a non-empty text.")


def test_several_missing_fields_are_each_reported_once(write_library):
    library = alpha()
    for field in ("name", "source", "description"):
        library.pop(field, None)
    paths = [error.path for error in errors_of(write_library(library))]
    assert [paths.count(field) for field in ("name", "source", "description")] == [1, 1, 1]


def test_every_error_of_every_file_is_reported(write_library):
    first = changed(_set(("version",), "one"))
    first["parts"][0]["questions"][0]["text"]["nl"] = ""
    second = beta()
    second["link_types"][0]["to"] = "ghost"
    second["coherence_rules"][0]["params"]["parts"] = ["ghost", "sturing", "phantom"]
    errors = errors_of(write_library(first, "first.yaml"), write_library(second, "second.yaml"))
    found = sorted((e.file.rsplit("/", 1)[-1], e.path) for e in errors)
    assert found == [
        ("first.yaml", "parts[0].questions[0].text.nl"),
        ("first.yaml", "version"),
        ("second.yaml", "coherence_rules[0].params.parts[0]"),
        ("second.yaml", "coherence_rules[0].params.parts[2]"),
        ("second.yaml", "link_types[0].to"),
    ]


def test_schema_and_cross_reference_errors_of_one_file_come_together(write_library):
    data = alpha()
    data["parts"][0]["name"]["en"] = ""
    data["parts"][1]["element_types"] = ["wizard"]
    data["link_types"][0]["from"] = "ghost"
    errors = errors_of(write_library(data))
    assert sorted(e.path for e in errors) == [
        "link_types[0].from",
        "parts[0].name.en",
        "parts[1].element_types[0]",  # reported once, by the schema
    ]


@pytest.mark.parametrize(
    "text",
    [
        "- just\n- a list\n",
        "urn: 7\nparts: nope\nlink_types: {a: 1}\ncoherence_rules: [1, {params: 3}]\n",
        "parts: [{ref_id: [x], children: 5, questions: [7], refs: [1]}]\n",
        "link_types: [{source: {a: 1}, relation: [2]}]\ncoherence_rules: [{params: {parts: 4}}]\n",
    ],
    ids=["a list", "wrong containers", "wrong part fields", "wrong link and rule fields"],
)
def test_a_malformed_document_gets_schema_errors_and_no_crash(write_library, text):
    errors = errors_of(write_library(text))
    assert errors and all(error.message for error in errors)


def test_the_same_urn_in_two_files_is_refused(write_library):
    other = alpha(ref_id="alpha-copy")
    errors = errors_of(write_library(alpha(), "a.yaml"), write_library(other, "b.yaml"))
    assert [(e.file.rsplit("/", 1)[-1], e.path) for e in errors] == [("b.yaml", "urn")]
    assert "a.yaml" in errors[0].message


def test_the_same_ref_id_in_two_files_is_refused(write_library):
    other = alpha(urn="urn:test:framework:other")
    errors = errors_of(write_library(alpha(), "a.yaml"), write_library(other, "b.yaml"))
    assert [(e.file.rsplit("/", 1)[-1], e.path) for e in errors] == [("b.yaml", "ref_id")]


def test_a_loaded_urn_under_another_ref_id_is_refused(write_library):
    framework_library_load(paths=[write_library(alpha())], by=None)
    error = only_error(alpha(ref_id="alfa"), write_library, "renamed.yaml")
    assert error.path == "ref_id" and "“alpha”" in error.message


def test_a_loaded_ref_id_under_another_urn_is_refused(write_library):
    framework_library_load(paths=[write_library(alpha())], by=None)
    error = only_error(alpha(urn="urn:test:framework:alfa"), write_library, "other.yaml")
    assert error.path == "urn" and "urn:test:framework:alpha" in error.message


def test_a_lower_version_than_the_loaded_one_is_refused(write_library):
    framework_library_load(paths=[write_library(alpha(version=3))], by=None)
    before = row_counts()
    error = only_error(alpha(version=2, publisher="Ander bureau"), write_library, "old.yaml")
    assert error.path == "version"
    assert error.message == "Version 2 is lower than the loaded version 3."
    assert row_counts() == before


@pytest.mark.parametrize(
    "where,value,path,message",
    [
        (("parts", 0, "element_types"), ["wizard"], "parts[0].element_types[0]", "element type"),
        (("link_types", 0, "relation"), "hugs", "link_types[0].relation", "relation type"),
        (("coherence_rules", 1, "params", "roles"), ["wizard", "operator"], "", "role"),
    ],
    ids=["element type", "relation type", "role"],
)
def test_cross_reference_checks_refuse_values_outside_the_python_choices(
    where, value, path, message
):
    """Behind the schema, the checks hold the values to the Python choices themselves."""
    data = changed(_set(where, value))
    errors = library_errors(Library(source="direct.yaml", data=data, content_hash="-"))
    assert len(errors) == 1
    assert errors[0].path == (path or "coherence_rules[1].params.roles[0]")
    assert f"Unknown {message} “" in errors[0].message
