"""Middenstad's findings tell a story a manager recognises: per framework a
handful of telling gaps (a digitalisation initiative no principle bounds, a
result without a measure of when it is good, a mechanism no intervention
elicits, a live service whose chain runs on case meetings, a draft service
without an owner), not pages of noise. Read from the findings the engine
leaves after the demo is loaded and evaluated in full."""

from __future__ import annotations

from collections import Counter

import pytest

from stuurwiel.coherence.choices import FindingStatus
from stuurwiel.coherence.models import Finding
from stuurwiel.coherence.services import coherence_evaluate
from stuurwiel.graph.models import Element, Relation, Subject
from stuurwiel.services.choices import ServiceStatus
from stuurwiel.services.models import Service

#: Per subject, fewer open findings than this: a manager reads them in one sitting.
HANDFUL = 12


@pytest.fixture
def findings(middenstad):
    coherence_evaluate(organisation=middenstad)
    return list(
        Finding.objects.filter(organisation=middenstad, status=FindingStatus.OPEN).select_related(
            "rule", "rule__framework", "subject", "element", "part"
        )
    )


def _of(findings, subject: str, rule: str) -> list[Finding]:
    return [f for f in findings if f.subject.name.startswith(subject) and f.rule.ref_id == rule]


def test_every_framework_has_a_handful_of_findings_per_subject(findings, middenstad):
    # A draft service's findings are its to-do list before the design gate, not noise.
    drafts = set(
        Service.objects.filter(organisation=middenstad, status=ServiceStatus.DRAFT).values_list(
            "subject__name", flat=True
        )
    )
    assert drafts == {"Parkeervergunning aanvragen"}
    per_subject = Counter(f.subject.name for f in findings if f.subject.name not in drafts)
    per_framework = Counter(f.framework.ref_id for f in findings)
    assert set(per_framework) == {"optimum", "idm", "missiegedreven", "usm"}
    assert max(per_subject.values()) < HANDFUL, per_subject
    assert sum(per_subject.values()) < 3 * HANDFUL, per_subject
    # The service shown as the example of a coherent chain has none at all.
    assert per_subject["Verhuizing doorgeven"] == 0
    # Every subject of the demo is evaluated: one with no findings is coherent, not skipped.
    assert Subject.objects.filter(organisation=middenstad).count() == 7


def test_a_digitalisation_initiative_runs_without_a_principle_bounding_it(findings):
    (finding,) = _of(findings, "Digitaliseringsagenda", "principes-begrenzen-domeinen")
    assert finding.part.ref_id == "verrichten"
    # Read from the model: the zaaksysteem answers Verrichten, and no principle relates to it.
    zaaksysteem = Element.objects.get(subject=finding.subject, name="Dossierlijn Zaken")
    assert zaaksysteem.classifications.filter(part__parent=finding.part).exists()
    assert not Relation.objects.filter(
        target=zaaksysteem, source__classifications__part__parent__ref_id="principes"
    ).exists()


def test_a_result_has_no_measure_of_when_it_is_good(findings):
    (finding,) = _of(findings, "Enterprise-architectuur", "resultaat-criterium-goed")
    assert finding.element.name == "Herleidbare architectuurbesluiten"
    assert finding.element.element_type == "outcome"
    # The other results do have one: the finding singles out the gap, not the whole aspect.
    others = Element.objects.filter(
        subject=finding.subject, classifications__part__ref_id="resultaat"
    ).exclude(pk=finding.element_id)
    assert others.count() >= 3
    for result in others:
        ends = Element.objects.filter(
            pk__in=Relation.objects.filter(source=result).values("target")
        ) | Element.objects.filter(pk__in=Relation.objects.filter(target=result).values("source"))
        assert ends.filter(element_type__in=["measure", "requirement"]).exists(), result.name


def test_a_mechanism_is_elicited_by_no_intervention(findings):
    (finding,) = _of(findings, "Lokale energietransitie", "mechanisme-uitgelokt")
    assert finding.element.element_type == "mechanism"
    assert finding.element.name == "Eén keukentafelgesprek voor alles"
    # An intervention that solves no problem in context is the other CIMO gap.
    (orphan,) = _of(findings, "Lokale energietransitie", "link-context-interventie")
    assert orphan.element.element_type == "intervention"


def test_a_live_service_runs_on_case_meetings_and_a_draft_has_no_owner(findings):
    wmo = {f.part.ref_id for f in _of(findings, "Wmo-aanvraag", "ontwerp-voor-live-werk")}
    assert wmo == {"sma-interfaces", "sma-beslispunten"}
    (misfit,) = _of(findings, "Wmo-aanvraag", "elementtype-past")
    assert misfit.element.name.startswith("Casusoverleggen")
    (owner,) = _of(findings, "Parkeervergunning", "een-eigenaar-per-service")
    assert owner.severity == "error"
    # The live services' canvases are filled in: no canvas noise next to the story.
    assert not _of(findings, "Wmo-aanvraag", "canvas-beantwoord")
    assert not _of(findings, "Omgevingsvergunning", "canvas-beantwoord")


def test_a_live_service_designed_its_process_logic_before_its_interfaces(findings):
    # USM §11.5: the order of thinking. The Wmo's chain runs on case meetings, not on
    # recorded interfaces, yet its process logic is worked out already.
    (order,) = _of(findings, "Wmo-aanvraag", "volgorde-van-denken")
    assert order.part.ref_id == "sma-interfaces"
    # USM §12.7: exceptions live inside the workflows; the case meeting is a route beside them.
    (outside,) = _of(findings, "Wmo-aanvraag", "uitzonderingen-binnen-workflows")
    assert outside.element.name.startswith("Wekelijks casusoverleg")
    # Elsewhere the procedures and decision points sit inside a process or pattern.
    assert [f.subject.name for f in findings if f.rule.ref_id == outside.rule.ref_id] == [
        "Wmo-aanvraag"
    ]
