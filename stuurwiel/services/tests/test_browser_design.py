"""A service designed from empty to live through the pages, in Debian's chromium:
definition, canvas, chain, interfaces, a business calendar with its service hours,
the SA, OLA and UC with their norms, the refused self-approval, the approval by
someone else and going live through the gate. Nothing is written behind the
browser's back: the test only prepares the organisation's people and parties.

Screenshots land in ``screenshots/`` (ignored by git)."""

from __future__ import annotations

import pytest

from stuurwiel.core.tests.test_browser import CHROMIUM, SHOTS, _login, page  # noqa: F401
from stuurwiel.organisations.choices import Role
from stuurwiel.parties.models import Person, Stakeholder, Supplier, Team
from stuurwiel.services.models import Service

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not __import__("os").path.exists(CHROMIUM), reason="no chromium"),
]


def _save(tab):
    tab.get_by_role("button", name="Opslaan", exact=True).click()
    tab.get_by_text("is opgeslagen").first.wait_for()


@pytest.mark.django_db(transaction=True)
def test_a_service_is_designed_from_empty_to_live(page, live_server, org_a, make_member):  # noqa: F811
    make_member(org_a, Role.ARCHITECT, Role.MANAGER, username="ontwerper")
    make_member(org_a, Role.MANAGER, username="goedkeurder")
    Person.objects.create(organisation=org_a, name="Esther Koster")
    Stakeholder.objects.create(
        organisation=org_a, name="Inwoners", category="people", interest="high", influence="low"
    )
    Team.objects.create(organisation=org_a, name="Burgerzaken")
    Supplier.objects.create(organisation=org_a, name="Dossierlijn B.V.")
    base = f"{live_server.url}/o/alfa"

    _login(page, live_server, "ontwerper")
    page.wait_for_url(f"{base}/")
    # 1. The definition.
    page.get_by_role("link", name="Servicecatalogus").click()
    page.get_by_role("link", name="Service toevoegen").click()
    page.get_by_label("Naam").fill("Verhuizing doorgeven")
    page.get_by_label("Waarde voor de afnemer").fill("Eén keer doorgeven, alles geregeld.")
    page.get_by_label("Beschrijving voor aanvragers").fill("Geef uw verhuizing door.")
    page.get_by_label("Eigenaar van de ketenprestatie").select_option(label="Esther Koster")
    page.get_by_label("Inwoners").check()
    _save(page)
    service = Service.objects.get(organisation=org_a)
    page.get_by_role("button", name="Beginnen met ontwerpen").click()
    page.get_by_text("is nu in ontwerp").wait_for()

    # 2. The canvas: one facility and the support, every cell filled.
    for section in ("Voorziening", "Ondersteuning"):
        page.goto(f"{base}/services/canvas-items/add/?service={service.pk}")
        page.locator("#id_section").select_option(label=section)
        page.get_by_label("Naam").fill(f"{section} verhuizing")
        for area in page.locator(f"textarea[data-section='{section.lower()}']").all():
            area.fill("Ingevuld door de ontwerper.")
        _save(page)
    page.goto(f"{base}/services/{service.pk}/canvas/")
    page.screenshot(path=SHOTS / "service-canvas-nl.png", full_page=True)

    # 3. The chain: a team and a supplier, connected by interfaces.
    for kind, name in (("Team", "Burgerzaken"), ("Leverancier", "Dossierlijn B.V.")):
        page.goto(f"{base}/services/links/add/?service={service.pk}")
        page.get_by_label(kind, exact=True).select_option(label=name)
        _save(page)
    for name, source, target in (
        ("Verhuismelding", None, "Burgerzaken"),
        ("Zaak aanmaken", "Burgerzaken", "Dossierlijn B.V."),
    ):
        page.goto(f"{base}/services/interfaces/add/?service={service.pk}")
        page.get_by_label("Naam").fill(name)
        if source is None:
            page.locator("#id_source_kind").select_option("customer")
        else:
            page.get_by_label("Van schakel").select_option(label=source)
        page.get_by_label("Naar schakel").select_option(label=target)
        page.get_by_label("Wat er wordt overgedragen").fill("De verhuisgegevens")
        _save(page)
    page.goto(f"{base}/services/{service.pk}/gate/")
    page.screenshot(path=SHOTS / "service-gate-open-nl.png", full_page=True)
    assert page.locator("[data-code='approval_missing']").count() == 1

    # 4. Service hours: a calendar with a window on the working days, on its pages.
    page.get_by_role("link", name="Servicetijden", exact=True).click()
    page.get_by_role("link", name="Werkkalender toevoegen").click()
    page.get_by_label("Naam").fill("Kantoortijden")
    _save(page)
    for day in ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag"):
        page.get_by_label(day, exact=True).check()
    page.get_by_label("Van", exact=True).fill("08:30")
    page.get_by_label("Tot", exact=True).fill("17:00")
    page.get_by_role("button", name="Toevoegen", exact=True).click()
    page.get_by_text("5 tijdvakken toegevoegd").wait_for()
    page.screenshot(path=SHOTS / "service-calendar-nl.png", full_page=True)
    page.goto(f"{base}/services/{service.pk}/edit/")
    page.get_by_label("Servicetijden").select_option(label="Kantoortijden")
    _save(page)

    # 5. The agreements, from the service's agreements page: the SA and the link's
    # OLA and UC, each with a norm per priority, put in force.
    resolutions = {"SA": 8, "OLA": 3, "UC": 2}  # hours per priority step
    for kind in ("SA", "OLA", "UC"):
        page.goto(f"{base}/services/{service.pk}/")
        page.get_by_role("navigation", name="Weergaven van deze service").get_by_role(
            "link", name="Overeenkomsten"
        ).click()
        page.get_by_role("link", name=f"{kind} toevoegen").click()
        _save(page)
        page.get_by_role("link", name="Conceptversie 1 bewerken").click()
        page.get_by_label("Beschikbaarheid (%)").fill("99.5")
        for priority in range(1, 6):
            page.get_by_label(f"Prioriteit {priority}: reactie binnen").fill("0:30")
            hours = resolutions[kind] * priority
            page.get_by_label(f"Prioriteit {priority}: opgelost binnen").fill(f"{hours}:00")
        if kind == "OLA":
            page.screenshot(path=SHOTS / "service-agreement-norms-nl.png", full_page=True)
        _save(page)
        page.get_by_role("link", name="Van kracht maken").click()
        page.get_by_role("button", name="Van kracht maken").click()
        page.get_by_text("is vanaf vandaag van kracht").wait_for()
    page.goto(f"{base}/agreements/service/{service.pk}/")
    page.screenshot(path=SHOTS / "service-agreements-nl.png", full_page=True)
    assert service.agreements.filter(versions__status="active").count() == 3

    # 6. The designer may not approve the own design: refused, with the reason.
    page.goto(f"{base}/services/{service.pk}/gate/")
    page.get_by_text("Je hebt aan dit ontwerp gewerkt").wait_for()
    page.get_by_role("button", name="Ontwerp goedkeuren").click()
    page.get_by_text("Niemand keurt zijn eigen ontwerp goed").first.wait_for()
    page.screenshot(path=SHOTS / "service-gate-self-approval-refused-nl.png", full_page=True)
    service.refresh_from_db()
    assert service.status == "in_design" and not service.approvals.exists()

    # 7. Someone else approves; then the service goes live through the gate.
    page.context.clear_cookies()
    _login(page, live_server, "goedkeurder")
    page.goto(f"{base}/services/{service.pk}/gate/")
    page.get_by_role("button", name="Ontwerp goedkeuren").click()
    page.get_by_text("Je besluit over het ontwerp is vastgelegd").wait_for()
    page.get_by_role("button", name="Live zetten").click()
    page.get_by_text("is nu live").wait_for()
    page.screenshot(path=SHOTS / "service-live-nl.png", full_page=True)
    service.refresh_from_db()
    assert service.status == "live"
    page.goto(f"{base}/services/")
    page.screenshot(path=SHOTS / "service-catalogue-nl.png", full_page=True)
    page.goto(f"{base}/services/{service.pk}/chain/diagram/")
    page.screenshot(path=SHOTS / "service-chain-diagram-nl.png", full_page=True)
