"""The forms in a real browser (Debian's chromium through Playwright, headless): the
combobox used by keyboard only, the element form opened to answer a part, and an
edit conflict resolved both ways. Screenshots land in ``screenshots/``."""

from __future__ import annotations

import pytest

from stuurwiel.core.tests.test_browser import CHROMIUM, SHOTS, page  # noqa: F401 (fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not __import__("os").path.exists(CHROMIUM), reason="no chromium"),
]


def _demo_login(page, live_server, username):  # noqa: F811
    from stuurwiel.demo.services import demo_load

    demo_load(history=False)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill("Stuurwiel-demo-2026")
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{live_server.url}/o/middenstad/")


def _choose_by_keyboard(page, label, typed, wanted):  # noqa: F811
    box = page.get_by_role("combobox", name=label)
    box.focus()
    page.keyboard.type(typed)
    listbox = page.locator(f"#{box.get_attribute('aria-controls')}")
    listbox.get_by_role("option", name=wanted).first.wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    for _ in range(listbox.get_by_role("option").count()):
        page.keyboard.press("ArrowDown")
        active = box.get_attribute("aria-activedescendant")
        if wanted in page.locator(f"#{active}").inner_text():
            break
    assert page.locator(f"#{active}").get_attribute("aria-selected") == "true"
    page.screenshot(path=SHOTS / f"combobox-open-{label.lower()}.png", full_page=True)
    page.keyboard.press("Enter")
    assert box.get_attribute("aria-expanded") == "false" and listbox.is_hidden()
    return box


@pytest.mark.django_db(transaction=True)
def test_relation_ends_are_chosen_by_keyboard_in_the_combobox(page, live_server):  # noqa: F811
    from stuurwiel.graph.models import Element, Relation

    _demo_login(page, live_server, "architect")
    page.goto(f"{live_server.url}/o/middenstad/model/relations/add/")
    source = _choose_by_keyboard(page, "Van", "applicatiereg", "Applicatieregister")
    assert source.input_value() == "Applicatieregister"
    hidden = page.locator("input[type=hidden][name=source]")
    chosen = Element.objects.get(organisation__slug="middenstad", name="Applicatieregister")
    assert hidden.input_value() == str(chosen.pk)
    assert str(chosen.pk) not in page.locator("#id_source_lookup").inner_text()

    # Escape closes the list without choosing; typing again clears the earlier choice.
    target = page.get_by_role("combobox", name="Naar")
    target.focus()
    page.keyboard.type("architectuurbo")
    page.get_by_role("option", name="Architectuurboard").first.wait_for()
    page.keyboard.press("Escape")
    assert target.get_attribute("aria-expanded") == "false"
    page.keyboard.press("Control+a")
    page.keyboard.press("Backspace")
    _choose_by_keyboard(page, "Naar", "architectuurbo", "Architectuurboard")
    # With both ends chosen, the types ArchiMate allows between them come first.
    allowed = page.locator("#id_relation_type optgroup").first
    allowed.wait_for(state="attached")
    assert (
        allowed.get_attribute("label") == "Toegestaan door ArchiMate 3.2 van Dataobject naar Actor"
    )
    page.get_by_label("Type").select_option(label="Dienstverlening")
    page.screenshot(path=SHOTS / "relation-form-combobox.png", full_page=True)
    page.get_by_role("button", name="Opslaan").click()
    # A data object does not serve an actor in ArchiMate: refused, and why.
    page.get_by_text("ArchiMate 3.2 staat geen Dienstverlening-relatie toe").wait_for()
    assert page.get_by_role("combobox", name="Van").input_value() == "Applicatieregister"
    page.screenshot(path=SHOTS / "relation-form-archimate-refusal.png", full_page=True)
    page.get_by_label("Type").select_option(label="Associatie")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("is opgeslagen").wait_for()
    assert Relation.objects.filter(source=chosen, target__name="Architectuurboard").exists()


@pytest.mark.django_db(transaction=True)
def test_element_form_for_a_part_offers_its_types_and_all_others_in_one_click(
    page,  # noqa: F811
    live_server,
):
    from stuurwiel.frameworks.models import FrameworkPart
    from stuurwiel.graph.models import Subject

    _demo_login(page, live_server, "architect")
    subject = Subject.objects.get(organisation__slug="middenstad", name="Enterprise-architectuur")
    part = FrameworkPart.objects.get(framework__ref_id="optimum", ref_id="middelen")
    page.goto(f"{live_server.url}{subject.get_absolute_url()}")
    link = page.locator(f"a[href*='part={part.urn.replace(':', '%3A')}']").first
    link.click()
    page.get_by_role("heading", name="Element toevoegen").wait_for()
    fits = page.get_by_role("group", name="Typen die “Middelen” beantwoorden")
    assert fits.get_by_role("radio").count() == len(part.element_types)
    assert page.get_by_role("checkbox", name="Middelen", exact=True).is_checked()
    page.locator("#id_name").fill("Archi-licenties")
    fits.get_by_label("Applicatie").check()
    page.screenshot(path=SHOTS / "element-form-for-a-part.png", full_page=True)
    page.get_by_text("Toon alle typen").click()
    page.get_by_role("radio", name="Werkpakket").check()
    page.screenshot(path=SHOTS / "element-form-all-types.png", full_page=True)
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("is opgeslagen").wait_for()


@pytest.mark.django_db(transaction=True)
def test_edit_conflict_shows_their_change_and_saves_mine_then_takes_theirs(
    page,  # noqa: F811
    live_server,
):
    from stuurwiel.organisations.models import Organisation
    from stuurwiel.parties import services
    from stuurwiel.parties.models import Team

    _demo_login(page, live_server, "manager")
    team = Team.objects.filter(organisation__slug="middenstad").order_by("name").first()
    page.goto(f"{live_server.url}{team.get_absolute_url()}edit/")
    stored_name = team.name
    page.locator("#id_name").fill(f"{stored_name} (nieuw)")
    # Someone who may change teams too: the demo's organisation admin.
    other = (
        Organisation.objects.get(slug="middenstad")
        .memberships.get(user__username="organisation_admin")
        .user
    )
    services.team_update(
        instance=team,
        by=other,
        data={"name": f"{stored_name} en Jeugd", "domain": "Sociaal domein"},
        version=team.version,
        reason="Teams samengevoegd",
    )
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_role("heading", name="Iemand anders heeft dit opgeslagen").wait_for()
    assert f"{stored_name} en Jeugd" in page.get_by_role("heading", level=1).inner_text()
    table = page.get_by_role("table", name="Wat er veranderde sinds u begon met bewerken")
    assert "Sociaal domein" in table.inner_text() and "(nieuw)" in table.inner_text()
    assert page.locator("#id_name").input_value() == f"{stored_name} (nieuw)"
    page.screenshot(path=SHOTS / "edit-conflict.png", full_page=True)
    page.get_by_role("button", name="Mijn versie opslaan").click()
    page.get_by_text("is opgeslagen").wait_for()
    team.refresh_from_db()
    assert (team.name, team.domain) == (f"{stored_name} (nieuw)", "Sociaal domein")

    # A second conflict, resolved the other way: their version, mine listed to copy.
    page.goto(f"{live_server.url}{team.get_absolute_url()}edit/")
    page.locator("#id_name").fill("Mijn naam")
    services.team_update(instance=team, by=other, data={"name": "Hun naam"}, version=team.version)
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_role("button", name="Hun versie nemen").click()
    page.get_by_role("heading", name="Het formulier toont nu hun versie").wait_for()
    assert page.locator("#id_name").input_value() == "Hun naam"
    assert "Mijn naam" in page.get_by_role("table", name="Uw niet-opgeslagen waarden").inner_text()
    page.screenshot(path=SHOTS / "edit-conflict-took-theirs.png", full_page=True)
