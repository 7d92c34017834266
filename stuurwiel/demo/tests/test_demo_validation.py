"""A demo data file is checked completely before anything is written."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from stuurwiel.changelog.models import ChangeLogEntry
from stuurwiel.demo.checks import validate_datasets
from stuurwiel.demo.dataset import bundled_dataset_paths
from stuurwiel.demo.errors import DemoDataInvalid
from stuurwiel.demo.services import demo_load
from stuurwiel.frameworks.models import LinkType
from stuurwiel.frameworks.services import framework_defaults_load
from stuurwiel.organisations.models import Organisation
from stuurwiel.parties.models import Person, Team

BAD_FILE = """\
organisation: {slug: foutdorp, name: Gemeente Foutdorp}
password: Stuurwiel-demo-2026
users:
  - username: foutdorp_admin
    person: Niemand Bekend
    roles: [organisation_admin, koning, "architect@Nergens"]
teams:
  - {name: Team A, domain: IT, coordinator: Piet Puk}
persons:
  - {name: Ans Appel, team: Team A}
  - {name: Ans Appel, team: Team Z}
subjects:
  - name: Onderwerp
    kind: capability
    frameworks: [optimum]
    elements:
      - {name: Doel, type: goal, parts: ["optimum:bestaat-niet"]}
      - {name: Middel, type: means, parts: ["idm:richten"], owner: Jan Onbekend}
      - {name: Raar, type: kabouter, parts: []}
    relations:
      - {source: Doel, target: Middel, type: wenst}
      - {source: Doel, target: Verdwenen element, type: influence}
      - {source: Doel, target: Middel, type: influence, link_type: "optimum:bestaat-ook-niet"}
"""


@pytest.fixture
def frameworks(db):
    framework_defaults_load()


@pytest.fixture
def bad_file(tmp_path: Path) -> Path:
    path = tmp_path / "foutdorp.yaml"
    path.write_text(BAD_FILE, encoding="utf-8")
    return path


def test_bundled_data_files_are_valid(frameworks):
    datasets = validate_datasets(bundled_dataset_paths())
    assert [d.slug for d in datasets] == ["middenstad", "nieuwdorp"]


def test_invalid_file_is_refused_with_every_problem_and_writes_nothing(frameworks, bad_file):
    logged = ChangeLogEntry.objects.count()
    with pytest.raises(DemoDataInvalid) as caught:
        demo_load(paths=[bad_file])
    problems = {problem.path: problem.message for problem in caught.value.problems}
    expected_paths = {
        "users[0].person",  # unknown person
        "users[0].roles[1]",  # unknown role
        "users[0].roles[2]",  # role scoped to an unknown subject
        "teams[0].coordinator",  # unknown person
        "persons[1].name",  # duplicate name
        "persons[1].team",  # unknown team
        "subjects[0].elements[0].parts[0]",  # unknown part
        "subjects[0].elements[1].parts[0]",  # part of a framework the subject does not use
        "subjects[0].elements[1].owner",  # unknown person
        "subjects[0].elements[2].type",  # unknown element type
        "subjects[0].relations[0].type",  # unknown relation type
        "subjects[0].relations[1].target",  # dangling element name
        "subjects[0].relations[2].link_type",  # unknown link type
    }
    assert expected_paths <= set(problems), sorted(problems)
    assert all(problem.file == str(bad_file) for problem in caught.value.problems)
    assert "bestaat-niet" in problems["subjects[0].elements[0].parts[0]"]
    assert "Verdwenen element" in problems["subjects[0].relations[1].target"]
    assert not Organisation.objects.filter(slug="foutdorp").exists()
    assert not Team.objects.exists() and not Person.objects.exists()
    assert ChangeLogEntry.objects.count() == logged


def test_schema_problems_name_the_field(frameworks, tmp_path):
    path = tmp_path / "leeg.yaml"
    path.write_text("organisation: {slug: Fout Dorp}\nteams: []\nonbekend: 1\n", encoding="utf-8")
    with pytest.raises(DemoDataInvalid) as caught:
        validate_datasets([path])
    found = [problem.path for problem in caught.value.problems]
    paths = set(found)
    assert {"organisation.slug", "organisation.name", "password", "users", "onbekend"} <= paths
    assert len(found) == len(paths), f"a problem is reported more than once: {found}"
    assert all(problem.line for problem in caught.value.problems if problem.path != "users")


def test_a_relation_must_respect_its_link_type(frameworks, tmp_path):
    link = LinkType.objects.select_related("framework", "source_part", "target_part").first()
    assert link is not None, "the bundled libraries declare link types"
    wrong_type = "association" if link.relation_type != "association" else "flow"
    ref = f"{link.framework.ref_id}:{link.ref_id}"
    path = tmp_path / "link.yaml"
    path.write_text(
        f"""\
organisation: {{slug: linkdorp, name: Linkdorp}}
password: Stuurwiel-demo-2026
users: []
teams: []
persons: []
subjects:
  - name: S
    kind: capability
    frameworks: [{link.framework.ref_id}]
    elements:
      - {{name: Bron, type: goal, parts: ["{link.framework.ref_id}:{link.target_part.ref_id}"]}}
      - {{name: Doel, type: goal, parts: ["{link.framework.ref_id}:{link.source_part.ref_id}"]}}
    relations:
      - {{source: Bron, target: Doel, type: {wrong_type}, link_type: "{ref}"}}
""",
        encoding="utf-8",
    )
    with pytest.raises(DemoDataInvalid) as caught:
        validate_datasets([path])
    paths = {problem.path for problem in caught.value.problems}
    assert "subjects[0].relations[0].type" in paths
    if link.source_part_id != link.target_part_id:
        assert {"subjects[0].relations[0].source", "subjects[0].relations[0].target"} <= paths


def test_command_lists_every_problem_and_fails(frameworks, bad_file):
    err = StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("demo_load", str(bad_file), stderr=err)
    assert caught.value.returncode == 1
    assert "optimum:bestaat-niet" in err.getvalue()
    assert "Verdwenen element" in err.getvalue()
    assert not Organisation.objects.filter(slug="foutdorp").exists()


SERVICE_FILE = """\
organisation: {{slug: dienstdorp, name: Gemeente Dienstdorp}}
password: Stuurwiel-demo-2026
users:
  - {{username: dd_architect, person: Ans Appel, roles: [architect]}}
  - {{username: dd_manager, person: Bert Bos, roles: [manager]}}
  - {{username: dd_owner, person: Cor Dijk, roles: ["service_owner@Andere dienst"]}}
teams:
  - {{name: Loket, domain: Dienstverlening, coordinator: Cor Dijk}}
persons:
  - {{name: Ans Appel, email: ans@dienstdorp.example}}
  - {{name: Bert Bos, email: bert@dienstdorp.example}}
  - {{name: Cor Dijk, team: Loket, email: cor@dienstdorp.example}}
calendars:
  - name: Kantoor
    windows:
      - {{days: [ma, di, xx], hours: ["09:00-17:00", "12:00-13:00", "18:00-17:00"]}}
subjects:
  - name: Andere dienst
    kind: service
    frameworks: [usm]
    elements: []
  - name: Dienst
    kind: service
    frameworks: [usm]
    elements: []
    service:
      status: {status}
      designer: {designer}
      approval: {{by: {approver}}}
      canvas:
        - {{section: voorziening, name: V, values: {{voorziening-goederen: Iets, kleur: rood}}}}
      links:
        - {{team: Loket, steps: [uitvoeren-aannemen, bestaat-niet], canvas: [V, W]}}
      interfaces:
        - {{name: Vraag, from: customer, to: Nergens}}
      agreements:
        - kind: ola
          name: OLA
          link: Loket
          version: {{norms: [[1, 60, 30]]}}
"""


def _service_file(tmp_path: Path, **values: str) -> Path:
    path = tmp_path / "dienstdorp.yaml"
    defaults = {"status": "live", "designer": "dd_architect", "approver": "dd_manager"}
    path.write_text(SERVICE_FILE.format(**{**defaults, **values}), encoding="utf-8")
    return path


def test_a_service_design_is_checked_against_the_file_and_the_usm_library(frameworks, tmp_path):
    with pytest.raises(DemoDataInvalid) as caught:
        validate_datasets([_service_file(tmp_path, approver="dd_architect")])
    problems = {problem.path: problem.message for problem in caught.value.problems}
    design = "subjects[1].service"
    assert {
        "calendars[0].windows[0].days[2]",  # unknown day
        "calendars[0].windows[0].hours[1]",  # overlaps 09:00-17:00
        "calendars[0].windows[0].hours[2]",  # ends before it starts
        f"{design}.approval.by",  # the designer approves their own design
        f"{design}.canvas[0].values.kleur",  # not a cell of the facility
        f"{design}.links[0].steps[1]",  # not a step of the five processes
        f"{design}.links[0].canvas[1]",  # not a canvas item of this service
        f"{design}.interfaces[0].to",  # not a link of this chain
        f"{design}.agreements[0].version.norms[0]",  # resolved before the response
        f"{design}.agreements[0].version.norms",  # in force without norms for 2 to 5
    } <= set(problems), sorted(problems)
    assert "dd_architect" in problems[f"{design}.approval.by"]


def test_a_designer_needs_a_role_that_reaches_the_service(frameworks, tmp_path):
    with pytest.raises(DemoDataInvalid) as caught:
        validate_datasets([_service_file(tmp_path, designer="dd_owner")])
    messages = [
        p.message for p in caught.value.problems if p.path == "subjects[1].service.designer"
    ]
    # Scoped to another service: may neither design this one nor draft its agreements.
    assert len(messages) == 2
    assert "services.change" in messages[0] and "agreements.change" in messages[1]


def test_a_live_service_that_fails_the_gate_stops_the_load_and_leaves_nothing(frameworks, tmp_path):
    path = tmp_path / "poortdorp.yaml"
    path.write_text(
        """\
organisation: {slug: poortdorp, name: Gemeente Poortdorp}
password: Stuurwiel-demo-2026
users:
  - {username: pd_architect, person: Ans Appel, roles: [architect]}
  - {username: pd_manager, person: Bert Bos, roles: [manager]}
teams: []
persons:
  - {name: Ans Appel, email: ans@poortdorp.example}
  - {name: Bert Bos, email: bert@poortdorp.example}
subjects:
  - name: Halve dienst
    kind: service
    frameworks: [usm]
    elements: []
    service:
      status: live
      designer: pd_architect
      approval: {by: pd_manager}
      customer_value: Iets wat ik wil.
""",
        encoding="utf-8",
    )
    logged = ChangeLogEntry.objects.count()
    with pytest.raises(DemoDataInvalid) as caught:
        demo_load(paths=[path])
    problems = caught.value.problems
    assert {problem.path for problem in problems} == {"subjects[0].service.status"}
    assert len(problems) > 3  # one per gap: owner, calendar, canvas, chain, SA, ...
    assert all("Halve dienst" in problem.message for problem in problems)
    assert not Organisation.objects.filter(slug="poortdorp").exists()
    assert ChangeLogEntry.objects.count() == logged
