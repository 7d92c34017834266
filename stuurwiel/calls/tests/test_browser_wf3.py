"""Workflow pattern 3 through the pages, in Debian's chromium, to closure: a
requester reports an incident in the portal; the workflow coordinator takes it,
the team coordinator assigns the specialist; Herstellen forks to Wijzigen, which
forks to Uitvoeren, where the supplier does its steps; each forked process is
fulfilled and its parent resumes where it left off; the requester confirms;
the workflow manager evaluates and closes. Every step is a click on the call
page by the person whose step it is (who that is follows from the chain, as in
the pattern tests). Screenshots land in ``screenshots/`` (ignored by git)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from stuurwiel.calls.choices import CallStatus
from stuurwiel.calls.models import Call
from stuurwiel.calls.tests.test_patterns import performer
from stuurwiel.core.tests.test_browser import CHROMIUM, SHOTS, _login, page  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not __import__("os").path.exists(CHROMIUM), reason="no chromium"),
]

FORKS = {"herstellen-herstellen": "Wijzigen", "wijzigen-implementeren": "Uitvoeren"}


class Session:
    """One browser, logged in as one member at a time."""

    def __init__(self, browser_page, live_server):
        self.page, self.live_server, self.user = browser_page, live_server, None

    def as_(self, user):
        if self.user != user.username:
            self.page.context.clear_cookies()
            _login(self.page, self.live_server, user.username)
            self.page.wait_for_url(re.compile(r"/o/alfa/$"))
            self.user = user.username


@pytest.mark.django_db(transaction=True)
def test_an_incident_goes_through_herstellen_wijzigen_uitvoeren_to_closure(
    page,  # noqa: F811
    live_server,
    world,
):
    base = f"{live_server.url}/o/alfa"
    browser = Session(page, live_server)

    # The requester reports it in the portal.
    browser.as_(world.requester)
    page.goto(f"{base}/calls/report/?service={world.service.pk}")
    page.get_by_label("Incident (verstoring)").check()
    page.get_by_label("In één regel").fill("Parkeerautomaat Stationsplein geeft geen bonnen")
    page.get_by_label("Beschrijf het").fill("Het scherm werkt, maar er komt geen bon uit.")
    page.screenshot(path=SHOTS / "wf3-01-portal-report-nl.png", full_page=True)
    page.get_by_role("button", name="Melding versturen").click()
    page.get_by_text("Je melding is geregistreerd als").wait_for()
    call = Call.objects.get()
    call_url = f"{base}/calls/{call.pk}/"

    # The workflow coordinator takes it; the team coordinator's worklist shows it later.
    browser.as_(world.coordinator)
    page.goto(call_url)
    page.get_by_role("button", name="Deze melding coördineren").click()
    page.get_by_text("Je coördineert deze melding nu.").wait_for()

    processes_seen = []
    assigned = False
    for _ in range(60):
        call.refresh_from_db()
        if call.status == CallStatus.CLOSED:
            break
        if call.process not in processes_seen:
            processes_seen.append(call.process)
        if call.status == CallStatus.PROCESS_FULFILLED:
            # The requester is asked, in the portal, whether it is resolved.
            browser.as_(world.requester)
            page.goto(call_url)
            page.screenshot(path=SHOTS / "wf3-05-requester-confirms-nl.png", full_page=True)
            page.get_by_role("button", name="Ja, het is opgelost").click()
            continue
        if (
            not assigned
            and call.current_link == world.links.specialists
            and call.step == "herstellen-analyseren"
        ):
            # The team coordinator of the specialists assigns the work from their worklist.
            browser.as_(world.team_coordinator)
            worklist = reverse("calls:worklist", kwargs={"org": world.org.slug})
            page.goto(f"{live_server.url}{worklist}?list=links")
            page.get_by_role("link", name=call.number).wait_for()
            page.screenshot(path=SHOTS / "wf3-02-team-worklist-nl.png", full_page=True)
            page.get_by_role("link", name=call.number).click()
            page.get_by_label("Uitvoerder").select_option(str(world.specialist.pk))
            page.get_by_role("button", name="Toewijzen").last.click()
            page.get_by_text("De toewijzing is opgeslagen.").wait_for()
            assigned = True
            continue
        actor = performer(world, call)
        browser.as_(actor)
        page.goto(call_url)
        if call.step in FORKS:
            button = page.get_by_role("button", name=f"Verder in {FORKS[call.step]}")
        else:
            button = page.locator(".transition-buttons button").first
        if call.step == "uitvoeren-uitvoeren":
            page.screenshot(path=SHOTS / "wf3-04-supplier-call-page-nl.png", full_page=True)
        button.click()
        page.get_by_text("Gedaan.").first.wait_for()

    call.refresh_from_db()
    assert call.status == CallStatus.CLOSED
    assert call.pattern == 3
    assert processes_seen[:3] == ["herstellen", "wijzigen", "uitvoeren"]

    # The call page draws the path taken: three lanes, every station done.
    browser.as_(world.coordinator)
    page.goto(call_url)
    path = page.locator(".path-diagram svg")
    path.wait_for()
    drawn = path.text_content()
    for process in ("Herstellen", "Wijzigen", "Uitvoeren"):
        assert process in drawn
    assert "WF3" in page.locator(".call-head").inner_text()
    page.screenshot(path=SHOTS / "wf3-06-call-page-closed-path-nl.png", full_page=True)
