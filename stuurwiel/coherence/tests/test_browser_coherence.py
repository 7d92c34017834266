"""Coherence as a manager who has never seen the product meets it, in Debian's
chromium (Playwright, headless): the demo's manager opens the management
overview, marks a review, reads a subject's findings and opens the four models'
diagrams for the demo subjects that apply them. Screenshots go to
``$STUURWIEL_SHOTS`` (default ``screenshots/``, ignored by git) for people to
look at."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from stuurwiel.core.tests.test_browser import CHROMIUM, page  # noqa: F401 (fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed"),
]

SHOTS = Path(os.environ.get("STUURWIEL_SHOTS", "screenshots"))

#: The demo subject per framework with a figure, and what its diagram must name.
OPTIMUM = ["Organisatie", "Motivatie", "Methode", "Middelen", "Resultaat"]
IDM = ["Nalatenschap", "Belanghebbenden", "Richten", "Inrichten", "Verrichten", "Resultaten"]
DIAGRAMS = {
    "optimum": ("Enterprise-architectuur", OPTIMUM),
    "idm": ("Digitaliseringsagenda 2026–2029", [*IDM, "Principes"]),
    "missiegedreven": ("Lokale energietransitie Middenstad", ["Context", "Interventie"]),
    "usm": ("Verhuizing doorgeven", ["Servicedefinitie", "Servicemanagementarchitectuur"]),
}


def _earlier_evaluations(organisation) -> None:
    """Two earlier days per subject × framework, as if the demo had been evaluated
    60 and 30 days ago with fewer checks holding, so the trend line has a course
    to draw (a fresh demo has one evaluation, today's)."""
    from datetime import timedelta

    from stuurwiel.coherence.models import FindingSnapshot

    for today in FindingSnapshot.objects.filter(organisation=organisation):
        for days, short in ((60, 0.3), (30, 0.15)):
            FindingSnapshot.objects.create(
                organisation=organisation,
                subject_id=today.subject_id,
                framework_id=today.framework_id,
                day=today.day - timedelta(days=days),
                checks=today.checks,
                passed=max(0, today.passed - round(short * today.checks)),
                warnings=today.warnings + round(short * today.checks),
            )


def _demo_as_manager(page, live_server):  # noqa: F811
    from stuurwiel.coherence.services import coherence_evaluate
    from stuurwiel.demo.services import demo_load
    from stuurwiel.organisations.models import Organisation

    demo_load(history=False)
    middenstad = Organisation.objects.get(slug="middenstad")
    coherence_evaluate(organisation=middenstad)
    _earlier_evaluations(middenstad)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Gebruikersnaam").fill("manager")
    page.get_by_label("Wachtwoord").fill("Stuurwiel-demo-2026")
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{live_server.url}/o/middenstad/")


@pytest.mark.django_db(transaction=True)
def test_a_manager_reads_the_overview_a_subject_and_the_four_diagrams(page, live_server):  # noqa: F811
    from stuurwiel.coherence.models import CoherenceReview
    from stuurwiel.graph.models import Subject

    SHOTS.mkdir(parents=True, exist_ok=True)
    _demo_as_manager(page, live_server)
    base = f"{live_server.url}/o/middenstad"

    # The overview: every subject with a score, the top findings, the review, the chains.
    page.goto(f"{base}/coherence/")
    main = page.locator("main")
    assert page.get_by_role("heading", name="Samenhang", level=1).is_visible()
    table = page.locator("table.coherence-scores")
    for name in ("Enterprise-architectuur", "Digitaliseringsagenda 2026–2029", "Wmo-aanvraag"):
        assert table.get_by_role("rowheader", name=name).is_visible()
    top = page.locator("section[aria-labelledby=top-h] .finding")
    assert top.count() >= 5
    # Errors come first: the draft service without an owner.
    assert "Parkeervergunning aanvragen" in top.first.inner_text()
    assert top.first.locator(".finding-reasoning").inner_text().strip()
    # The top findings span the organisation, not one draft service's to-do list.
    assert len({t.inner_text() for t in top.locator(".finding-subject").all()}) >= 3
    assert page.locator("svg.sparkline polyline").count() == table.locator("tbody tr").count()
    assert page.locator(".review-bar[data-review=none]").is_visible()
    page.screenshot(path=SHOTS / "coherence-01-overview-nl.png", full_page=True)

    # Marking a review moves "since" to now: nothing has changed since.
    page.locator("#review-note").fill("Managementteam")
    page.locator(".review-form button[type=submit]").click()
    page.locator(".review-bar[data-review=marked]").wait_for()
    assert CoherenceReview.objects.get().note == "Managementteam"
    assert "Managementteam" in page.locator(".review-bar").inner_text()
    assert "0 nieuwe bevindingen" in main.inner_text()
    page.screenshot(path=SHOTS / "coherence-02-overview-reviewed-nl.png", full_page=True)

    # A subject's findings: grouped per framework, each with its reasoning and a fix link.
    page.get_by_role("rowheader", name="Enterprise-architectuur").get_by_role("link").click()
    page.get_by_role("heading", name="Samenhang van Enterprise-architectuur").wait_for()
    findings = page.locator(".finding")
    assert findings.count() >= 3
    text = main.inner_text()
    assert "Herleidbare architectuurbesluiten" in text
    assert "Applicatieregister" in text
    assert findings.first.locator(".finding-fix").count() == 1
    page.screenshot(path=SHOTS / "coherence-03-subject-findings-nl.png", full_page=True)

    # The four models' own pictures, filled with the demo's content.
    for ref_id, (subject_name, parts) in DIAGRAMS.items():
        subject = Subject.objects.get(organisation__slug="middenstad", name=subject_name)
        page.goto(f"{base}/model/subjects/{subject.pk}/diagrams/{ref_id}/")
        svg = page.locator("svg.model-diagram")
        assert svg.is_visible()
        assert svg.locator("title").first.text_content().strip()
        labels = svg.text_content()
        for part in parts:
            assert part in labels, (ref_id, part)
        # The text alternative lists the parts too.
        assert page.locator("table.diagram-table tbody tr").count() >= len(parts)
        page.screenshot(path=SHOTS / f"coherence-04-diagram-{ref_id}-nl.png", full_page=True)
