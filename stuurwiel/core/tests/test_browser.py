"""End-to-end in a real browser: Debian's chromium driven by Playwright, headless.

Screenshots land in ``screenshots/`` (ignored by git) for people to look at.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from stuurwiel.organisations.choices import Role
from stuurwiel.parties.models import Team

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = Path("screenshots")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed"),
]


@pytest.fixture
def page(tmp_path):
    # Playwright's sync API runs an event loop; the ORM calls in the test are synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        # A new, empty profile per test: Playwright takes it as user_data_dir.
        context = pw.chromium.launch_persistent_context(
            tmp_path / "profile",
            executable_path=CHROMIUM,
            args=FLAGS,
            viewport={"width": 1280, "height": 800},
            locale="nl-NL",
        )
        yield context.pages[0] if context.pages else context.new_page()
        context.close()


def _login(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill("pw-Test-123!")
    page.get_by_role("button", name="Inloggen").click()


@pytest.mark.django_db(transaction=True)
def test_manager_adds_a_team_and_sees_it_in_the_history(page, live_server, org_a, make_member):
    make_member(org_a, Role.ORGANISATION_ADMIN, username="beheerder")
    _login(page, live_server, "beheerder")
    page.wait_for_url(f"{live_server.url}/o/alfa/")
    page.screenshot(path=SHOTS / "dashboard-nl.png", full_page=True)

    page.get_by_role("link", name="Teams", exact=True).click()
    page.get_by_role("link", name="Team toevoegen").click()
    page.get_by_label("Naam").fill("Team Burgerzaken")
    page.get_by_label("Domein").fill("Publieksdiensten")
    page.get_by_label("Reden van deze wijziging").fill("Nieuwe teamindeling")
    page.screenshot(path=SHOTS / "team-form-nl.png", full_page=True)
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("is opgeslagen").wait_for()
    assert Team.objects.filter(name="Team Burgerzaken", organisation=org_a).exists()

    page.get_by_role("link", name="Geschiedenis").click()
    page.get_by_text("Nieuwe teamindeling").wait_for()
    page.screenshot(path=SHOTS / "team-history-nl.png", full_page=True)


@pytest.mark.django_db(transaction=True)
def test_interface_switches_to_english(page, live_server, org_a, make_member):
    make_member(org_a, Role.AUDITOR, username="auditor")
    Team.objects.create(organisation=org_a, name="Team Vergunningen")
    _login(page, live_server, "auditor")
    page.wait_for_url(f"{live_server.url}/o/alfa/")
    page.get_by_role("button", name="EN", exact=True).click()
    page.get_by_role("link", name="Teams", exact=True).click()
    page.get_by_role("heading", name="Teams").wait_for()
    assert page.get_by_role("link", name="Add team").count() == 0  # auditor: read-only
    page.get_by_role("columnheader", name="Team coordinator").wait_for()
    page.screenshot(path=SHOTS / "team-list-en.png", full_page=True)


@pytest.mark.django_db(transaction=True)
def test_list_filter_narrows_rows_without_reload(page, live_server, org_a, make_member):
    make_member(org_a, Role.MANAGER, username="manager")
    for name in ("Team Wmo", "Team Jeugd", "Team Belastingen"):
        Team.objects.create(organisation=org_a, name=name)
    _login(page, live_server, "manager")
    page.goto(f"{live_server.url}/o/alfa/parties/teams/")
    page.get_by_label("Zoeken").fill("jeugd")
    page.wait_for_url("**q=jeugd**")
    rows = page.locator("#object-table tbody tr")
    rows.first.wait_for()
    page.wait_for_function("document.querySelectorAll('#object-table tbody tr').length === 1")
    assert "Team Jeugd" in rows.first.inner_text()


WIDER_THAN_PAGE = """() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll("body *")]
    .filter((el) => el.getBoundingClientRect().right > width + 1)
    .slice(0, 5)
    .map((el) => `${el.tagName}.${el.className}: ${el.textContent.trim().slice(0, 40)}`);
}"""

ACCESSIBILITY_PROBLEMS = r"""() => {
  const problems = [];
  const visible = (el) => el.getClientRects().length > 0;
  const named = (el) => (el.getAttribute("aria-label") || el.getAttribute("aria-labelledby")
    || el.getAttribute("title") || el.textContent || el.value || "").trim() !== ""
    || [...el.querySelectorAll("img[alt]")].some((img) => img.alt.trim() !== "");
  if (!document.documentElement.lang) problems.push("html without lang");
  if (document.querySelectorAll("h1").length !== 1) problems.push("not exactly one h1");
  for (const el of document.querySelectorAll("input, select, textarea")) {
    if (["hidden", "submit", "button"].includes(el.type) || !visible(el)) continue;
    if (!el.labels.length && !el.getAttribute("aria-label") && !el.getAttribute("aria-labelledby"))
      problems.push(`unlabelled ${el.tagName.toLowerCase()} ${el.name}`);
  }
  for (const el of document.querySelectorAll("a[href], button")) {
    if (visible(el) && !named(el)) problems.push(`nameless ${el.outerHTML.slice(0, 60)}`);
  }
  const rgb = (c) => c.match(/[\d.]+/g).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map((v) => {
    v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  }).reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  const background = (el) => {
    for (; el; el = el.parentElement) {
      const c = rgb(getComputedStyle(el).backgroundColor);
      if (c.length < 4 || c[3] > 0) return c;
    }
    return [255, 255, 255];
  };
  for (const el of document.querySelectorAll("body *")) {
    const text = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!text || !visible(el)) continue;
    const style = getComputedStyle(el);
    const [a, b] = [lum(rgb(style.color)), lum(background(el))];
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5)) {
      problems.push(`contrast ${ratio.toFixed(2)} for "${el.textContent.trim().slice(0, 30)}"`);
    }
  }
  for (const img of document.querySelectorAll("img:not([alt])")) {
    problems.push(`img without alt ${img.src}`);
  }
  return problems;
}"""

DEMO_FORMS = [
    "/o/middenstad/parties/teams/add/",
    "/o/middenstad/parties/stakeholders/add/",
    "/o/middenstad/model/subjects/add/",
    "/o/middenstad/model/elements/add/",
    "/o/middenstad/model/relations/add/",
    "/o/middenstad/members/add/",
    "/o/middenstad/settings/",
]

DEMO_PAGES = [
    "/",
    "/organisations/add/",
    "/o/middenstad/",
    "/o/middenstad/model/subjects/",
    "/o/middenstad/model/elements/",
    "/o/middenstad/model/relations/",
    "/o/middenstad/parties/stakeholders/",
    "/o/middenstad/members/",
    "/o/middenstad/changes/",
    "/o/middenstad/frameworks/",
    "/o/middenstad/frameworks/usm/",
    "/o/middenstad/frameworks/load/",
]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1280, 768], ids=["laptop", "tablet"])
def test_demo_pages_fit_laptop_and_tablet(page, live_server, width):
    """The main pages and forms of the Middenstad demo render without errors, pass
    basic accessibility checks (language, one h1, labelled fields, named links and
    buttons, alt texts, WCAG AA text contrast) and do not scroll sideways (wide
    tables scroll in their own box)."""
    from stuurwiel.demo.services import demo_load
    from stuurwiel.graph.models import Subject

    demo_load(history=False)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Gebruikersnaam").fill("organisation_admin")
    page.get_by_label("Wachtwoord").fill("Stuurwiel-demo-2026")
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{live_server.url}/")  # a platform admin lands on the list
    from stuurwiel.parties.models import Person

    service = Subject.objects.get(organisation__slug="middenstad", name="Verhuizing doorgeven")
    coordinator = Person.objects.get(organisation__slug="middenstad", name="Anouk van Dijk")
    delete_page = f"{coordinator.get_absolute_url()}delete/"
    for path in [*DEMO_PAGES, service.get_absolute_url(), *DEMO_FORMS, delete_page]:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        assert page.evaluate(ACCESSIBILITY_PROBLEMS) == [], path
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        wide = page.evaluate(WIDER_THAN_PAGE) if overflow > 0 else []
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {width}px: {wide}"
    page.screenshot(path=SHOTS / f"person-delete-{width}.png", full_page=True)


@pytest.mark.django_db(transaction=True)
def test_keyboard_reaches_the_content_first(page, live_server, org_a, make_member):
    make_member(org_a, Role.MANAGER, username="toetsenbord")
    _login(page, live_server, "toetsenbord")
    page.wait_for_url(f"{live_server.url}/o/alfa/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Direct naar de inhoud"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


@pytest.mark.django_db(transaction=True)
def test_choosing_a_subject_narrows_the_parts_an_element_can_answer(page, live_server):
    from stuurwiel.demo.services import demo_load

    demo_load(history=False)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Gebruikersnaam").fill("architect")
    page.get_by_label("Wachtwoord").fill("Stuurwiel-demo-2026")
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{live_server.url}/o/middenstad/")
    page.goto(f"{live_server.url}/o/middenstad/model/elements/add/")
    parts = page.locator("#id_parts")
    assert parts.get_by_label("Nalatenschap").count() == 1  # every framework
    page.get_by_placeholder("Typ om op naam te zoeken…").fill("Enterprise")
    page.get_by_role("option", name="Enterprise-architectuur").click()
    page.wait_for_function(
        "![...document.querySelectorAll('#id_parts label')]"
        ".some((o) => o.textContent.includes('Nalatenschap'))"
    )
    assert parts.get_by_label("Organisatie").count() >= 1  # Optimum's aspect
    page.screenshot(path=SHOTS / "element-form-parts-narrowed.png", full_page=True)
