"""The trace order of a library (attribute ``trace_stage``): a whole number from 1,
the stages without a gap and at least two; loaded, the rulebook reads it and the
children take their parent's stage."""

from __future__ import annotations

import pytest
from django.utils import translation

from stuurwiel.coherence import rulebook
from stuurwiel.frameworks.errors import LibraryInvalid
from stuurwiel.frameworks.loader import validate_libraries
from stuurwiel.frameworks.services import framework_library_load
from stuurwiel.frameworks.tests.samples import alpha

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _staged(sturing, resultaat) -> dict:
    data = alpha()
    for part, stage in zip(data["parts"], (sturing, resultaat), strict=True):
        if stage is not None:
            part.setdefault("attributes", {})["trace_stage"] = stage
    return data


def _errors(data, write_library) -> list[str]:
    with pytest.raises(LibraryInvalid) as caught:
        validate_libraries([write_library(data)])
    return [f"{e.path}: {e.message}" for e in caught.value.errors]


def test_a_stage_that_is_not_a_whole_number_from_one_is_refused(write_library):
    errors = _errors(_staged(0, "twee"), write_library)
    assert len(errors) == 2
    assert all("trace_stage" in error for error in errors)


def test_one_stage_alone_is_not_a_trace(write_library):
    (error,) = _errors(_staged(1, None), write_library)
    assert error == "parts[0].attributes.trace_stage: " + (
        "A trace needs at least two stages (reasons and results); only one is set."
    )


def test_the_stages_run_from_one_without_a_gap(write_library):
    (error,) = _errors(_staged(1, 3), write_library)
    assert error.endswith("no part has stage 2.")


def test_loaded_stages_reach_the_rulebook_and_children_inherit_them(write_library):
    framework_library_load(paths=[write_library(_staged(1, 2))], by=None)
    rulebook.forget()
    book = rulebook.rulebook()
    framework_id = book.framework_of_urn["urn:test:framework:alpha"]
    assert book.part(framework_id, "sturing").trace_stage == 1
    assert book.part(framework_id, "besluiten").trace_stage == 1  # a child of Sturing
    assert book.part(framework_id, "resultaat").trace_stage == 2
    assert [p.ref_id for p in book.stages(framework_id)[1]] == ["sturing"]


def test_the_bundled_libraries_declare_their_trace():
    from pathlib import Path

    import yaml

    folder = Path(__file__).resolve().parents[1] / "libraries"
    stages = {}
    for name in ("optimum", "idm", "missiegedreven"):
        data = yaml.safe_load((folder / f"{name}.yaml").read_text(encoding="utf-8"))
        stages[name] = {
            p["ref_id"]: p["attributes"]["trace_stage"]
            for p in data["parts"]
            if "trace_stage" in p.get("attributes", {})
        }
    assert stages["optimum"] == {
        "motivatie": 1,
        "organisatie": 2,
        "middelen": 3,
        "methode": 4,
        "resultaat": 5,
    }
    assert stages["idm"]["nalatenschap"] == 1 and stages["idm"]["resultaten"] == 5
    assert [
        stages["missiegedreven"][p] for p in ("context", "interventie", "mechanismen", "outcomes")
    ] == [1, 2, 3, 4]


def test_every_link_type_of_the_bundled_libraries_but_the_feedback_rises_on_the_trace():
    """The trace order agrees with the libraries' own links: each runs from a lower
    stage to a higher one, except the links that feed results back (IDM's cyclic
    steering, CIMO's outcomes → context) and those to parts off the path."""
    from pathlib import Path

    import yaml

    folder = Path(__file__).resolve().parents[1] / "libraries"
    falling = []
    for name in ("optimum", "idm", "missiegedreven"):
        data = yaml.safe_load((folder / f"{name}.yaml").read_text(encoding="utf-8"))
        stage: dict[str, int | None] = {}
        todo = [(part, None) for part in data["parts"]]
        while todo:
            part, inherited = todo.pop()
            own = part.get("attributes", {}).get("trace_stage", inherited)
            stage[part["ref_id"]] = own
            todo += [(child, own) for child in part.get("children", [])]
        for link in data.get("link_types", []):
            low, high = stage.get(link["from"]), stage.get(link["to"])
            if low is not None and high is not None and low >= high:
                falling.append(f"{name}:{link['ref_id']}")
    assert sorted(falling) == [
        "idm:resultaten-belanghebbenden",
        "idm:resultaten-inrichten",
        "idm:resultaten-richten",
        "missiegedreven:outcomes-context",
    ]
