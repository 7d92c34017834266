"""A call through the pages, in Debian's chromium: a requester reports an
incident in the portal and finds it under "Mijn meldingen"; the desk operator
opens it from the worklist of their link and completes the first step.

Screenshots land in ``screenshots/`` (ignored by git)."""

from __future__ import annotations

import re

import pytest

from stuurwiel.calls.models import Call
from stuurwiel.core.tests.test_browser import CHROMIUM, SHOTS, _login, page  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not __import__("os").path.exists(CHROMIUM), reason="no chromium"),
]


@pytest.mark.django_db(transaction=True)
def test_a_reported_incident_reaches_the_desk_and_its_first_step_is_done(
    page,  # noqa: F811
    live_server,
    world,
):
    base = f"{live_server.url}/o/alfa"
    world.service.customer_description = "Meld een kapotte parkeerautomaat of een vraag."
    world.service.save()

    # 1. The requester, from the catalogue: "Melding doen" for the service.
    _login(page, live_server, "burger")
    page.wait_for_url(f"{base}/")
    page.get_by_role("link", name="Wat je ons kunt vragen").click()
    page.screenshot(path=SHOTS / "calls-catalogue-nl.png", full_page=True)
    page.get_by_role("link", name="Melding doen over Parkeren").click()
    page.get_by_text("klacht → wens").wait_for()
    assert page.locator("#id_service").input_value() == str(world.service.pk)
    page.get_by_label("Incident (verstoring)").check()
    page.get_by_label("In één regel").fill("Parkeerautomaat Marktplein weigert pinpassen")
    page.get_by_label("Beschrijf het").fill("Sinds vanochtend geeft hij 'storing' bij elke pinpas.")
    page.screenshot(path=SHOTS / "calls-report-nl.png", full_page=True)
    page.get_by_role("button", name="Melding versturen").click()
    page.get_by_text("Je melding is geregistreerd als").wait_for()
    call = Call.objects.get()
    assert call.requester == world.requester and call.process == "herstellen"
    page.screenshot(path=SHOTS / "calls-requester-call-nl.png", full_page=True)

    # 2. "Mijn meldingen" lists it with its status.
    page.get_by_role("navigation", name="Hoofdnavigatie").get_by_role(
        "link", name="Mijn meldingen"
    ).click()
    page.get_by_role("link", name=re.compile(call.number)).wait_for()
    assert page.get_by_text("open", exact=True).first.is_visible()
    page.screenshot(path=SHOTS / "calls-my-calls-nl.png", full_page=True)

    # 3. The desk operator opens it from the worklist of their link.
    page.context.clear_cookies()
    _login(page, live_server, "desk")
    page.wait_for_url(f"{base}/")
    page.get_by_role("link", name="Mijn werk").click()
    page.get_by_role("link", name="Bij mijn schakel").click()
    page.get_by_role("link", name=call.number).wait_for()
    page.screenshot(path=SHOTS / "calls-worklist-nl.png", full_page=True)
    page.get_by_role("link", name=call.number).click()
    page.get_by_role("button", name="“Aannemen” afronden").wait_for()
    page.screenshot(path=SHOTS / "calls-call-page-nl.png", full_page=True)
    page.get_by_label("Notitie").first.fill("Aangenomen, monteur ingelicht")
    page.get_by_role("button", name="“Aannemen” afronden").click()
    page.get_by_text("De melding staat nu bij stap “Classificeren” van Herstellen.").wait_for()
    page.get_by_role("button", name="“Classificeren” afronden").wait_for()
    call.refresh_from_db()
    assert call.step == "herstellen-classificeren"
    page.screenshot(path=SHOTS / "calls-call-page-after-step-nl.png", full_page=True)

    # 4. Someone of another link is told why the step is not theirs.
    page.context.clear_cookies()
    _login(page, live_server, "specialist")
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/calls/{call.pk}/")
    page.get_by_text("Deze stap ligt bij een andere schakel van de keten.").wait_for()
    page.screenshot(path=SHOTS / "calls-call-page-blocked-nl.png", full_page=True)
