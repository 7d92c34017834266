"""The bundled libraries hold the structure their sources describe
(``shared/DOMAIN.md`` summarises seeds 000–003): names in the sources' Dutch, in
the sources' order, with an English translation for every text users read."""

import pytest

from stuurwiel.frameworks.models import Framework, GuidingQuestion
from stuurwiel.frameworks.services import framework_defaults_load

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(db):
    framework_defaults_load()


def _parts(ref_id, kind):
    framework = Framework.objects.get(ref_id=ref_id)
    return list(framework.parts.filter(kind=kind).order_by("order"))


def _names(ref_id, kind):
    return [part.name_nl for part in _parts(ref_id, kind)]


def test_optimum_has_five_aspects_on_two_lines(loaded):
    assert _names("optimum", "aspect") == [
        "Organisatie",
        "Motivatie",
        "Methode",
        "Middelen",
        "Resultaat",
    ]
    lines = {part.ref_id: part.refs["members"] for part in _parts("optimum", "line")}
    assert lines == {
        "governance": ["organisatie", "methode", "middelen"],
        "waardecreatie": ["motivatie", "methode", "resultaat"],
    }


def test_idm_has_seven_domains_each_with_w_question_and_cadence(loaded):
    domains = _parts("idm", "domain")
    assert [d.name_nl for d in domains] == [
        "Nalatenschap",
        "Belanghebbenden",
        "Richten",
        "Inrichten",
        "Verrichten",
        "Resultaten",
        "Principes",
    ]
    assert all(d.short_question_nl and d.short_question_en for d in domains)
    assert all(d.cadence_nl and d.cadence_en for d in domains)
    assert domains[0].short_question_nl == "Waarom?"
    assert domains[-1].short_question_nl == "Waarbinnen?"


def test_usm_has_five_processes_and_eight_workflow_patterns(loaded):
    assert _names("usm", "process") == [
        "Afspreken",
        "Wijzigen",
        "Herstellen",
        "Uitvoeren",
        "Verbeteren",
    ]
    patterns = _parts("usm", "workflow_pattern")
    assert [p.ref_id for p in patterns] == [f"wf{n}" for n in range(1, 9)]
    assert len(_parts("usm", "service_definition")) == 1
    for process in _parts("usm", "process"):
        assert process.children.filter(kind="step").exists(), process.name_nl


def test_missiegedreven_has_cimo_lines_mechanisms_and_reach(loaded):
    assert _names("missiegedreven", "intervention_line") == [
        "Inhoudelijk",
        "Sociaal",
        "Ruimtelijk",
        "Instrumenteel",
        "Temporeel",
    ]
    assert len(_parts("missiegedreven", "boundary_crossing")) == 4
    assert len(_parts("missiegedreven", "development_process")) == 4
    assert len(_parts("missiegedreven", "reach_level")) == 3
    assert len(_parts("missiegedreven", "learning_agenda")) == 1


def test_every_guiding_question_is_in_dutch_and_english(loaded):
    questions = GuidingQuestion.objects.all()
    assert questions.count() > 200
    assert not questions.filter(text_nl="").exists()
    assert not questions.filter(text_en="").exists()
