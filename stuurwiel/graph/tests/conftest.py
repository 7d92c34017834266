"""Fixtures for the graph tests: a tiny two-level framework made directly in the
database (no library files), a second framework, and builders for the model."""

from types import SimpleNamespace

import pytest

from stuurwiel.frameworks.models import Framework, FrameworkPart, GuidingQuestion, LinkType
from stuurwiel.graph import services
from stuurwiel.graph.models import Subject


def _part(framework, ref_id, order, nl, en, *, parent=None, question=("", "")):
    return FrameworkPart.objects.create(
        framework=framework,
        parent=parent,
        urn=f"{framework.urn}:{ref_id}",
        ref_id=ref_id,
        kind="aspect" if parent is None else "step",
        order=order,
        name_nl=nl,
        name_en=en,
        short_question_nl=question[0],
        short_question_en=question[1],
    )


@pytest.fixture
def compass(db):
    """Kompas / Compass: Motivatie, Resultaat (with the step Meten), and the link
    "Motivatie rechtvaardigt Resultaat" realised by an influence relation."""
    framework = Framework.objects.create(
        urn="urn:test:framework:kompas",
        ref_id="kompas",
        version=1,
        name_nl="Kompas",
        name_en="Compass",
        content_hash="x",
    )
    why = _part(framework, "motivatie", 1, "Motivatie", "Motivation", question=("Waarom?", "Why?"))
    what = _part(framework, "resultaat", 2, "Resultaat", "Result", question=("Wat?", "What?"))
    measure = _part(framework, "meten", 3, "Meten", "Measuring", parent=what)
    GuidingQuestion.objects.create(
        part=why,
        urn=f"{why.urn}:q1",
        ref_id="q1",
        order=1,
        text_nl="Welk probleem lossen we op?",
        text_en="Which problem do we solve?",
    )
    link = LinkType.objects.create(
        framework=framework,
        urn=f"{framework.urn}:motivatie-resultaat",
        ref_id="motivatie-resultaat",
        name_nl="Motivatie rechtvaardigt Resultaat",
        name_en="Motivation justifies Result",
        source_part=why,
        target_part=what,
        relation_type="influence",
    )
    return SimpleNamespace(framework=framework, why=why, what=what, measure=measure, link=link)


@pytest.fixture
def other_framework(db):
    framework = Framework.objects.create(
        urn="urn:test:framework:ander",
        ref_id="ander",
        version=1,
        name_nl="Ander model",
        name_en="Other model",
        content_hash="y",
    )
    part = _part(framework, "iets", 1, "Iets", "Something")
    return SimpleNamespace(framework=framework, part=part)


@pytest.fixture
def service_subject(org_a, admin_a, compass) -> Subject:
    return services.subject_create(
        organisation=org_a,
        by=admin_a,
        data={"name": "Verhuizing", "kind": "service", "frameworks": [compass.framework]},
    )


@pytest.fixture
def make_element(org_a, admin_a, service_subject):
    """``make_element(name, *parts, subject=…, organisation=…)`` through the service."""

    def make(name, *parts, subject=service_subject, organisation=org_a, element_type="goal"):
        return services.element_create(
            organisation=organisation,
            by=admin_a,
            data={
                "name": name,
                "element_type": element_type,
                "subject": subject,
                "parts": list(parts),
            },
        )

    return make
