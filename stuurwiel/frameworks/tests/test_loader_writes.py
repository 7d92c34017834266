"""Phase 2: one transaction, idempotent, upserts by ref_id, logged."""

import json

import pytest

from stuurwiel.changelog.models import ChangeLogEntry
from stuurwiel.frameworks.errors import LibraryInvalid
from stuurwiel.frameworks.models import Framework, FrameworkPart, GuidingQuestion
from stuurwiel.frameworks.services import framework_library_load
from stuurwiel.frameworks.tests.samples import alpha, beta, row_counts
from stuurwiel.graph.models import Classification, Element

pytestmark = pytest.mark.django_db


def load(*paths, by=None):
    return framework_library_load(paths=paths, by=by)


def test_loading_a_library_creates_every_row_with_derived_urns(write_library):
    report = load(write_library(alpha()))
    framework = Framework.objects.get(ref_id="alpha")
    assert report.created == [framework] and not report.updated and not report.unchanged
    assert (framework.version, framework.name_en, framework.source_url) == (
        1,
        "Alpha model",
        "https://example.org/alfa",
    )
    child = FrameworkPart.objects.get(ref_id="besluiten")
    assert child.urn == "urn:test:framework:alpha:besluiten"
    assert child.parent.ref_id == "sturing"
    assert list(framework.parts.values_list("ref_id", flat=True)) == [
        "sturing",
        "besluiten",
        "resultaat",
    ]
    question = GuidingQuestion.objects.get(part__ref_id="sturing", ref_id="q2")
    assert (question.urn, question.source) == ("urn:test:framework:alpha:sturing:q2", "seed 000")
    assert framework.link_types.get().urn == "urn:test:framework:alpha:link:sturing-resultaat"
    assert framework.rules.get(ref_id="separate").urn == "urn:test:framework:alpha:rule:separate"


def test_assessable_is_inherited_by_sub_parts_unless_they_say_otherwise(write_library):
    data = alpha()
    data["parts"][0]["assessable"] = False
    data["coherence_rules"][0]["params"]["parts"] = ["resultaat"]
    load(write_library(data))
    flags = dict(FrameworkPart.objects.values_list("ref_id", "assessable"))
    assert flags == {"sturing": False, "besluiten": False, "resultaat": True}
    data["parts"][0]["children"][0]["assessable"] = True
    load(write_library(data))
    assert FrameworkPart.objects.get(ref_id="besluiten").assessable


def test_sources_of_parts_link_types_and_rules_are_stored(write_library):
    data = alpha()
    data["parts"][1]["source"] = {"kind": "seed", "ref": "§2.1"}
    data["link_types"][0]["source"] = {"kind": "reading"}
    data["coherence_rules"][0]["source"] = {"kind": "cited", "ref": "Ander boek (2020)"}
    load(write_library(data))
    framework = Framework.objects.get(ref_id="alpha")
    part = framework.parts.get(ref_id="resultaat")
    assert (part.provenance, part.provenance_ref) == ("seed", "§2.1")
    assert framework.parts.get(ref_id="sturing").provenance == ""
    assert framework.link_types.get().is_reading
    rule = framework.rules.get(ref_id="all-answered")
    assert (rule.provenance, rule.provenance_ref) == ("cited", "Ander boek (2020)")


def test_invalid_file_among_valid_ones_writes_nothing(write_library):
    load(write_library(alpha(), "alpha.yaml"))
    before = row_counts()
    broken = beta()
    broken["urn"] = "urn:test:framework:broken"
    broken["ref_id"] = "broken"
    broken["link_types"][0]["from"] = "ghost"
    files = [
        write_library(alpha(version=2, publisher="Nieuw bureau"), "alpha.yaml"),
        write_library(beta(), "beta.yaml"),
        write_library(broken, "broken.yaml"),
    ]
    with pytest.raises(LibraryInvalid) as caught:
        load(*files)
    assert [e.path for e in caught.value.errors] == ["link_types[0].from"]
    assert row_counts() == before
    assert Framework.objects.get(ref_id="alpha").publisher == "Testbureau"


def test_loading_twice_is_idempotent(write_library):
    path = write_library(alpha())
    load(path)
    framework = Framework.objects.get()
    before = row_counts()
    report = load(path)
    assert report.unchanged == [framework] and not report.created and not report.updated
    assert row_counts() == before
    assert Framework.objects.get().loaded_at == framework.loaded_at


def test_layout_and_comments_do_not_count_as_a_change(write_library):
    load(write_library(alpha()))
    before = row_counts()
    report = load(write_library("# the same, as JSON\n" + json.dumps(alpha()), "alpha.yaml"))
    assert len(report.unchanged) == 1 and row_counts() == before


def test_a_version_bump_updates_texts_and_removes_a_dropped_part(write_library, admin_a):
    load(write_library(alpha()))
    kept_pk = FrameworkPart.objects.get(ref_id="sturing").pk
    newer = alpha(version=2)
    newer["parts"][0]["name"] = {"nl": "Besturing", "en": "Governance"}
    newer["parts"][0]["questions"][0]["text"]["en"] = "Who decides, and how?"
    newer["parts"][0]["children"] = []  # drops "besluiten" and its question
    newer["parts"].append(
        {"ref_id": "middelen", "kind": "aspect", "name": {"nl": "Middelen", "en": "Means"}}
    )

    report = load(write_library(newer, "alpha-v2.yaml"), by=admin_a)

    framework = Framework.objects.get()
    assert report.updated == [framework] and report.outcomes[0].previous_version == 1
    sturing = FrameworkPart.objects.get(ref_id="sturing")
    assert sturing.pk == kept_pk  # upserted by ref_id, so classifications survive
    assert (sturing.name_nl, sturing.name_en) == ("Besturing", "Governance")
    assert sturing.questions.get(ref_id="q1").text_en == "Who decides, and how?"
    assert not FrameworkPart.objects.filter(ref_id="besluiten").exists()
    assert GuidingQuestion.objects.count() == 2
    entry = ChangeLogEntry.objects.filter(action="update").get()
    assert (entry.actor, entry.organisation) == (admin_a, None)
    assert (entry.before["version"], entry.after["version"]) == (1, 2)
    assert entry.after["parts_removed"] == ["besluiten"]
    assert entry.after["parts_added"] == ["middelen"]


def test_a_part_can_move_to_another_parent_and_keep_its_row(write_library):
    load(write_library(alpha()))
    moved_pk = FrameworkPart.objects.get(ref_id="besluiten").pk
    newer = alpha(version=2)
    newer["parts"][1]["children"] = newer["parts"][0].pop("children")
    load(write_library(newer))
    moved = FrameworkPart.objects.get(ref_id="besluiten")
    assert (moved.pk, moved.parent.ref_id) == (moved_pk, "resultaat")


def test_a_dropped_part_still_classified_is_refused(write_library, org_a):
    load(write_library(alpha()))
    element = Element.objects.create(
        organisation=org_a, name="Besluitenlijst", element_type="decision"
    )
    Classification.objects.create(
        element=element, part=FrameworkPart.objects.get(ref_id="besluiten")
    )
    before = row_counts()
    newer = alpha(version=2)
    newer["parts"][0]["children"] = []
    newer["publisher"] = "Nieuw bureau"

    with pytest.raises(LibraryInvalid) as caught:
        load(write_library(newer, "alpha-v2.yaml"))

    [error] = caught.value.errors
    assert error.path == "parts" and "besluiten" in error.message
    assert row_counts() == before
    assert Framework.objects.get().version == 1


def test_a_dropped_link_type_and_rule_are_removed(write_library):
    load(write_library(alpha()))
    newer = alpha(version=2, link_types=[], coherence_rules=[])
    load(write_library(newer))
    framework = Framework.objects.get()
    assert not framework.link_types.exists() and not framework.rules.exists()


def test_every_load_that_writes_records_one_change_per_framework(write_library, admin_a):
    report = framework_library_load(
        paths=[write_library(alpha(), "a.yaml"), write_library(beta(), "b.yaml")],
        by=admin_a,
        reason="Eerste inrichting",
    )
    entries = ChangeLogEntry.objects.order_by("id")
    assert [e.object_repr for e in entries] == [str(f) for f in report.created]
    entry = entries[0]
    assert (entry.action, entry.actor, entry.reason, entry.organisation) == (
        "create",
        admin_a,
        "Eerste inrichting",
        None,
    )
    assert entry.after == {
        "version": 1,
        "content_hash": report.created[0].content_hash,
        "parts": 3,
        "questions": 3,
        "link_types": 1,
        "rules": 2,
    }
