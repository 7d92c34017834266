"""The Service Model Canvas page: one page per service, laid out from the USM
library, edited inline one cell at a time; a save that meets someone else's
save shows both texts and loses nothing."""

from __future__ import annotations

import dataclasses
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stuurwiel.organisations.choices import Role
from stuurwiel.services import design, services
from stuurwiel.services.models import CanvasItem
from stuurwiel.services.views import canvas as canvas_views

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}
GOODS, ACTIONS = "voorziening-goederen", "voorziening-handelingen"


@pytest.fixture
def architect(make_member, org_a):
    return make_member(org_a, Role.ARCHITECT, username="architect")


@pytest.fixture
def colleague(make_member, org_a):
    return make_member(org_a, Role.MANAGER, username="collega")


@pytest.fixture
def service(org_a, architect):
    return services.service_create(
        organisation=org_a,
        by=architect,
        data={"name": "Verhuizing doorgeven", "customer_value": "Snel op het nieuwe adres"},
    )


def _item(org, by, service, section="voorziening", name="Adreswijziging online", values=None):
    return services.canvas_item_create(
        organisation=org,
        by=by,
        data={"service": service, "section": section, "name": name, "values": values or {}},
    )


@pytest.fixture
def facility(org_a, architect, service):
    return _item(org_a, architect, service, values={GOODS: "Webformulier"})


@pytest.fixture
def as_architect(client, architect):
    client.force_login(architect)
    return client


def _page(client, service) -> str:
    url = reverse("services:service_canvas", kwargs={"org": "alfa", "pk": service.pk})
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _cell_url(item) -> str:
    return reverse("services:canvasitem_cell", kwargs={"org": "alfa", "pk": item.pk})


def _hidden(html: str, name: str) -> str:
    match = re.search(rf'<input type="hidden" name="{name}" value="([^"]*)"', html)
    assert match, name
    return match.group(1)


def _open(client, item, cell=ACTIONS) -> dict:
    """Open a cell's inline editor: what the save posts along with the text."""
    response = client.get(_cell_url(item), {"cell": cell}, **HX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<textarea" in html and "<html" not in html
    return {"cell": cell, "version": _hidden(html, "version"), "started": _hidden(html, "started")}


def _save(client, item, opened: dict, text: str, **extra):
    return client.post(_cell_url(item), {**opened, "text": text, **extra}, **HX)


# --- The page ------------------------------------------------------------------------


def test_the_canvas_shows_every_section_and_cell_of_the_library(as_architect, service):
    html = _page(as_architect, service)
    for section in design.canvas_sections():
        assert section.name in html
        if not section.optional:  # an empty section shows the cells an entry has
            for cell in section.entry_cells:
                assert cell.name in html, cell.ref_id


def test_every_item_shows_its_cells_with_their_text(
    as_architect, org_a, architect, service, facility
):
    _item(org_a, architect, service, "ondersteuning", "Klantcontactcentrum")
    _item(org_a, architect, service, "beleving", "Geholpen voelen", {"beleving": "Rapportcijfer 8"})
    html = _page(as_architect, service)
    assert "Adreswijziging online" in html and "Webformulier" in html
    assert "Klantcontactcentrum" in html and "Rapportcijfer 8" in html
    for ref in (GOODS, ACTIONS, "voorziening-functionaliteit", "voorziening-functioneren"):
        assert f'id="cell-{facility.pk}-{ref}"' in html


def test_a_cell_added_to_the_library_appears_and_can_be_filled(
    monkeypatch, as_architect, service, facility
):
    library = design.canvas_sections()
    extra = design.CanvasCell("voorziening-prijs", "Prijs", "Price", "Wat het kost.", "")
    changed = tuple(
        dataclasses.replace(s, cells=(*s.cells, extra)) if s.ref_id == "voorziening" else s
        for s in library
    )
    monkeypatch.setattr(design, "canvas_sections", lambda: changed)
    html = _page(as_architect, service)
    assert f'id="cell-{facility.pk}-voorziening-prijs"' in html and "Prijs" in html
    opened = _open(as_architect, facility, "voorziening-prijs")
    response = _save(as_architect, facility, opened, "€ 0")
    assert response.status_code == 200
    facility.refresh_from_db()
    assert facility.values["voorziening-prijs"] == "€ 0"


def test_the_canvas_says_what_it_is_built_on_and_where_the_labels_come_from(as_architect, service):
    html = _page(as_architect, service)
    assert "officiële" in html and "niet openbaar" in html
    assert "usm-portal.com" in html  # the library's source of the parts, in small print
    assert "Serviceovereenkomst" in html and "Servicecatalogus" in html


def test_the_agreements_link_appears_once_the_agreements_page_exists(
    monkeypatch, as_architect, service
):
    real = canvas_views.reverse

    def reverse_with_agreements(name, *args, **kwargs):
        if name == "agreements:service_agreements":
            return "/agreements-of-the-service/"
        return real(name, *args, **kwargs)

    assert "/agreements-of-the-service/" not in _page(as_architect, service)
    monkeypatch.setattr(canvas_views, "reverse", reverse_with_agreements)
    assert 'href="/agreements-of-the-service/"' in _page(as_architect, service)


def test_a_read_only_member_sees_the_canvas_without_editors(
    client, make_member, org_a, service, facility
):
    client.force_login(make_member(org_a, Role.OPERATOR, username="operator"))
    html = _page(client, service)
    assert "Webformulier" in html
    assert _cell_url(facility) not in html and "canvas-add" not in html


def test_the_canvas_page_query_count_does_not_grow_with_items(
    as_architect, org_a, architect, service
):
    url = reverse("services:service_canvas", kwargs={"org": "alfa", "pk": service.pk})
    _item(org_a, architect, service, name="Eerste")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert as_architect.get(url).status_code == 200
        return len(captured)

    queries()  # warm caches (content types, session)
    one = queries()
    for n in range(19):
        _item(org_a, architect, service, "ondersteuning" if n % 2 else "voorziening", f"Item {n}")
    assert queries() == one


# --- Inline editing ----------------------------------------------------------------------


def test_an_inline_save_changes_that_cell_only_and_answers_with_the_cell(as_architect, facility):
    opened = _open(as_architect, facility)
    assert opened["version"] == str(facility.version) and opened["started"] == ""
    response = _save(as_architect, facility, opened, "Adres controleren\r\nen doorzetten")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Adres controleren<br>en doorzetten" in html and "<textarea" not in html
    facility.refresh_from_db()
    assert facility.values == {GOODS: "Webformulier", ACTIONS: "Adres controleren\nen doorzetten"}
    assert facility.version == int(opened["version"]) + 1


def test_cancel_shows_the_cell_as_stored(as_architect, facility):
    response = as_architect.get(_cell_url(facility), {"cell": GOODS, "mode": "show"}, **HX)
    assert response.status_code == 200
    assert "Webformulier" in response.content.decode()


def test_an_unknown_cell_is_refused_with_a_field_error(as_architect, facility):
    opened = {"cell": "bestaat-niet", "version": facility.version, "started": ""}
    response = _save(as_architect, facility, opened, "Iets")
    assert response.status_code == 400
    html = response.content.decode()
    assert "bestaat-niet" in html and 'class="error"' in html and "Iets" in html
    facility.refresh_from_db()
    assert "bestaat-niet" not in facility.values


def test_a_conflict_shows_their_text_and_yours_and_keep_mine_saves_mine(
    as_architect, colleague, facility
):
    opened = _open(as_architect, facility)
    services.canvas_cell_update(
        instance=facility, by=colleague, cell=ACTIONS, text="Hun tekst", version=facility.version
    )
    response = _save(as_architect, facility, opened, "Mijn tekst")
    assert response.status_code == 409
    html = response.content.decode()
    assert "Hun tekst" in html and "Mijn tekst" in html
    assert "Mijn versie houden" in html and "Hun versie nemen" in html
    facility.refresh_from_db()
    assert facility.values[ACTIONS] == "Hun tekst"  # nothing saved of mine yet
    again = {"cell": ACTIONS, "version": _hidden(html, "version"), "started": "Hun tekst"}
    response = _save(as_architect, facility, again, "Mijn tekst", keep="mine")
    assert response.status_code == 200
    facility.refresh_from_db()
    assert facility.values[ACTIONS] == "Mijn tekst" and facility.values[GOODS] == "Webformulier"


def test_take_theirs_keeps_their_text_and_shows_mine_to_copy(as_architect, colleague, facility):
    opened = _open(as_architect, facility)
    services.canvas_cell_update(
        instance=facility, by=colleague, cell=ACTIONS, text="Hun tekst", version=facility.version
    )
    _save(as_architect, facility, opened, "Mijn tekst")
    response = _save(as_architect, facility, opened, "Mijn tekst", take_theirs="1")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Hun tekst" in html and "Mijn tekst" in html and "niet opgeslagen" in html
    facility.refresh_from_db()
    assert facility.values[ACTIONS] == "Hun tekst"


def test_someone_else_saving_another_cell_in_between_is_no_conflict(
    as_architect, colleague, facility
):
    opened = _open(as_architect, facility)
    services.canvas_cell_update(
        instance=facility, by=colleague, cell=GOODS, text="Papieren formulier", version=1
    )
    response = _save(as_architect, facility, opened, "Doorzetten naar BRP")
    assert response.status_code == 200
    facility.refresh_from_db()
    assert facility.values == {GOODS: "Papieren formulier", ACTIONS: "Doorzetten naar BRP"}


def test_a_second_conflict_on_keep_mine_is_caught_again(as_architect, colleague, facility):
    opened = _open(as_architect, facility)
    services.canvas_cell_update(
        instance=facility, by=colleague, cell=ACTIONS, text="Eerste", version=facility.version
    )
    html = _save(as_architect, facility, opened, "Mijn tekst").content.decode()
    facility.refresh_from_db()
    services.canvas_cell_update(
        instance=facility, by=colleague, cell=ACTIONS, text="Tweede", version=facility.version
    )
    again = {"cell": ACTIONS, "version": _hidden(html, "version"), "started": "Eerste"}
    response = _save(as_architect, facility, again, "Mijn tekst", keep="mine")
    assert response.status_code == 409 and "Tweede" in response.content.decode()


def test_the_experience_has_no_cells_of_its_own_and_is_written_in_one_text(
    as_architect, org_a, architect, service
):
    experience = _item(org_a, architect, service, "beleving", "Serieus genomen")
    response = _save(as_architect, experience, _open(as_architect, experience, "beleving"), "8+")
    assert response.status_code == 200
    experience.refresh_from_db()
    assert experience.values == {"beleving": "8+"}


def test_rename_inline_and_a_rename_conflict_shows_both_names(as_architect, colleague, facility):
    url = reverse("services:canvasitem_rename", kwargs={"org": "alfa", "pk": facility.pk})
    html = as_architect.get(url, **HX).content.decode()
    opened = {"version": _hidden(html, "version"), "started": _hidden(html, "started")}
    response = as_architect.post(url, {**opened, "text": "Verhuizing online"}, **HX)
    assert response.status_code == 200 and "Verhuizing online" in response.content.decode()
    services.canvas_item_rename(
        instance=facility, by=colleague, name="Verhuizing via de app", version=facility.version + 1
    )
    response = as_architect.post(url, {**opened, "text": "Mijn naam"}, **HX)
    assert response.status_code == 409
    assert "Verhuizing via de app" in response.content.decode()


def test_an_empty_name_is_refused_with_a_field_error(as_architect, facility):
    url = reverse("services:canvasitem_rename", kwargs={"org": "alfa", "pk": facility.pk})
    response = as_architect.post(
        url, {"version": facility.version, "started": facility.name, "text": "  "}, **HX
    )
    assert response.status_code == 400 and 'class="error"' in response.content.decode()


def test_add_an_item_inline_puts_it_last_in_its_section(as_architect, service, facility):
    url = reverse("services:service_canvas_add", kwargs={"org": "alfa", "pk": service.pk})
    form = as_architect.get(url, {"section": "voorziening"}, **HX)
    assert form.status_code == 200 and 'name="name"' in form.content.decode()
    response = as_architect.post(url, {"section": "voorziening", "name": "Verhuizing balie"}, **HX)
    assert response.status_code == 200
    item = CanvasItem.objects.get(name="Verhuizing balie")
    assert item.service == service and item.position == facility.position + 1
    html = response.content.decode()
    assert f'id="item-{item.pk}"' in html and "canvas-add-button" in html


def test_add_to_an_unknown_section_is_refused(as_architect, service):
    url = reverse("services:service_canvas_add", kwargs={"org": "alfa", "pk": service.pk})
    response = as_architect.post(url, {"section": "prijzen", "name": "Tarief"}, **HX)
    assert response.status_code == 400 and 'class="error"' in response.content.decode()
    assert not CanvasItem.objects.filter(name="Tarief").exists()


def test_delete_inline_asks_first_and_refuses_a_stale_version(as_architect, colleague, facility):
    url = reverse("services:canvasitem_remove", kwargs={"org": "alfa", "pk": facility.pk})
    html = as_architect.get(url, **HX).content.decode()
    assert "Adreswijziging online" in html and 'name="version"' in html
    services.canvas_cell_update(
        instance=facility, by=colleague, cell=ACTIONS, text="Nieuw", version=facility.version
    )
    response = as_architect.post(url, {"version": _hidden(html, "version")}, **HX)
    assert response.status_code == 409 and "Nieuw" in response.content.decode()
    facility.refresh_from_db()
    response = as_architect.post(url, {"version": facility.version}, **HX)
    assert response.status_code == 200 and response.content == b""
    assert not CanvasItem.objects.filter(pk=facility.pk).exists()


# --- Without JavaScript -------------------------------------------------------------------


def test_without_javascript_the_editor_is_a_page_and_saving_returns_to_the_canvas(
    as_architect, facility
):
    page = as_architect.get(_cell_url(facility), {"cell": ACTIONS})
    html = page.content.decode()
    assert page.status_code == 200 and "<html" in html and "<textarea" in html
    opened = {"cell": ACTIONS, "version": _hidden(html, "version"), "started": ""}
    response = as_architect.post(_cell_url(facility), {**opened, "text": "Zonder script"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/canvas/#item-{facility.pk}")
    facility.refresh_from_db()
    assert facility.values[ACTIONS] == "Zonder script"


def test_the_full_form_of_an_item_shows_its_own_section_only(as_architect, facility):
    url = reverse("services:canvasitem_edit", kwargs={"org": "alfa", "pk": facility.pk})
    html = as_architect.get(url).content.decode()
    assert f'name="cell_{GOODS}"' in html and 'name="cell_ondersteuning-functioneren"' not in html


# --- Who may -----------------------------------------------------------------------------------


def test_an_operator_may_not_save_inline(client, make_member, org_a, facility):
    client.force_login(make_member(org_a, Role.OPERATOR, username="operator"))
    opened = {"cell": ACTIONS, "version": facility.version, "started": ""}
    assert _save(client, facility, opened, "Van de operator").status_code == 403
    assert client.get(_cell_url(facility), {"cell": ACTIONS}, **HX).status_code == 403
    facility.refresh_from_db()
    assert ACTIONS not in facility.values


def test_another_organisation_sees_nothing(client, make_member, org_b, service, facility):
    client.force_login(make_member(org_b, Role.ARCHITECT, username="architect-b"))
    opened = {"cell": ACTIONS, "version": facility.version, "started": ""}
    canvas_url = reverse("services:service_canvas", kwargs={"org": "alfa", "pk": service.pk})
    assert client.get(canvas_url).status_code == 404
    assert _save(client, facility, opened, "Van buiten").status_code == 404
    own_org = reverse("services:canvasitem_cell", kwargs={"org": "beta", "pk": facility.pk})
    assert client.post(own_org, {**opened, "text": "Van buiten"}, **HX).status_code == 404
    facility.refresh_from_db()
    assert ACTIONS not in facility.values


def test_a_character_the_database_cannot_store_is_a_field_error_not_a_500(architect, facility):
    # The page's middleware refuses NUL in a form already; the services refuse it
    # for every other way in (the API's JSON), before PostgreSQL's jsonb would.
    with pytest.raises(ValidationError) as refused:
        services.canvas_item_update(
            instance=facility,
            by=architect,
            data={"values": {GOODS: "Web\x00formulier"}},
            version=facility.version,
        )
    assert "values" in refused.value.message_dict
