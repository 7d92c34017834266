"""The libraries shipped with Stuurwiel, and the schema they are held to."""

import json

import pytest
from jsonschema import Draft202012Validator

from stuurwiel.frameworks.choices import RuleKind, RuleSeverity
from stuurwiel.frameworks.loader import SCHEMA_PATH, validate_libraries
from stuurwiel.frameworks.models import Framework
from stuurwiel.frameworks.services import (
    LIBRARIES_DIR,
    bundled_library_paths,
    framework_defaults_load,
    framework_library_load,
)
from stuurwiel.frameworks.tests.samples import row_counts
from stuurwiel.graph.choices import ElementType, RelationType
from stuurwiel.organisations.choices import Role

pytestmark = pytest.mark.django_db

SCHEMA = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
BUNDLED = sorted(LIBRARIES_DIR.glob("*.yaml"))


def test_the_schema_is_a_valid_draft_2020_12_schema():
    Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize(
    "definition,choices",
    [
        ("elementType", ElementType),
        ("relationType", RelationType),
        ("role", Role),
        ("ruleKind", RuleKind),
        ("ruleSeverity", RuleSeverity),
    ],
)
def test_the_schema_enums_equal_the_python_choices(definition, choices):
    assert SCHEMA["$defs"][definition]["enum"] == list(choices.values)


def test_the_four_models_are_bundled():
    names = {path.stem for path in bundled_library_paths()}
    assert {"optimum", "idm", "usm", "missiegedreven"} <= names


@pytest.mark.parametrize("path", BUNDLED, ids=[path.name for path in BUNDLED])
def test_a_bundled_library_validates_and_loads(path):
    [library] = validate_libraries([path])
    assert library.ref_id == path.stem
    report = framework_library_load(paths=[path], by=None)
    framework = report.created[0]
    assert framework.parts.exists()
    assert all(part.name_nl and part.name_en for part in framework.parts.all())


def test_the_bundled_libraries_load_together_and_a_second_load_changes_nothing():
    first = framework_defaults_load()
    assert len(first.created) == len(BUNDLED) == Framework.objects.count()
    before = row_counts()
    second = framework_defaults_load()
    assert len(second.unchanged) == len(BUNDLED)
    assert row_counts() == before
