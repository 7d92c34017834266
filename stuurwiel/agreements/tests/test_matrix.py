"""The priority matrices: the USM library's default until the organisation edits
them, lookups for the call register, editing, resetting and concurrent edits."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from stuurwiel.agreements import services
from stuurwiel.agreements.library import priority_library
from stuurwiel.agreements.models import PriorityCell
from stuurwiel.agreements.selectors import (
    organisation_priorities,
    priority_for,
    priority_grid,
    risk_priority_for,
)
from stuurwiel.changelog.models import ChangeLogEntry

pytestmark = pytest.mark.django_db


def test_without_rows_the_library_default_applies(org_a):
    assert PriorityCell.objects.count() == 0
    assert priority_for(org_a, "high", "high") == 1
    assert priority_for(org_a, "none", "low") == 5
    assert risk_priority_for(org_a, "medium", "low") == 4
    assert priority_for(org_a, "enormous", "high") is None
    assert organisation_priorities(org_a) == (1, 2, 3, 4, 5)


def test_the_default_says_it_is_stuurwiels_own_reading():
    library = priority_library()
    assert library.provenance == "reading"
    assert "voorbeeld van Stuurwiel" in library.provenance_ref
    assert library.call.rows == ("high", "medium", "low", "none")
    assert library.call.row_label("none") == "none"


def test_reset_copies_the_default_and_an_edit_changes_the_lookup(org_a, manager_a):
    cells = services.priority_matrix_reset(organisation=org_a, by=manager_a)
    assert len(cells) == 12 + 9
    cell = PriorityCell.objects.get(organisation=org_a, matrix="call", row="low", column="high")
    services.priority_cell_update(instance=cell, by=manager_a, data={"priority": 2}, version=1)
    assert priority_for(org_a, "low", "high") == 2
    assert priority_grid(org_a, "call").cells[("low", "high")].differs
    # Reset again: only the changed cell is written back (and logged).
    before = ChangeLogEntry.objects.count()
    services.priority_matrix_reset(organisation=org_a, by=manager_a, matrix="call")
    assert priority_for(org_a, "low", "high") == 3
    assert ChangeLogEntry.objects.count() == before + 1


def test_a_priority_outside_the_library_is_refused_on_the_field(org_a, manager_a):
    services.priority_matrix_reset(organisation=org_a, by=manager_a, matrix="call")
    cell = PriorityCell.objects.filter(organisation=org_a).first()
    with pytest.raises(ValidationError) as caught:
        services.priority_cell_update(instance=cell, by=manager_a, data={"priority": 7}, version=1)
    assert caught.value.message_dict == {"priority": ["Choose a priority from 1 to 5."]}


def test_an_operator_may_not_change_the_matrix(org_a, operator_a):
    from stuurwiel.organisations.access import AccessDenied

    with pytest.raises(AccessDenied):
        services.priority_matrix_reset(organisation=org_a, by=operator_a)


def test_the_matrix_page_shows_the_default_and_its_source(manager_client):
    response = manager_client.get(reverse("agreements:priority_matrix", kwargs={"org": "alfa"}))
    page = response.content.decode()
    assert response.status_code == 200
    assert "The USM library's default" in page and "Our reading" in page
    assert "voorbeeld van Stuurwiel" in page
    assert "Calls: impact × urgency" in page and "Risks: effect × likelihood" in page


def test_the_matrix_page_in_dutch_names_the_source(client, manager_a):
    client.force_login(manager_a)
    response = client.get(
        reverse("agreements:priority_matrix", kwargs={"org": "alfa"}), HTTP_ACCEPT_LANGUAGE="nl"
    )
    page = response.content.decode()
    assert "Onze lezing" in page and "Meldingen: impact × urgentie" in page


def _edit_url(kind="call"):
    return reverse("agreements:priority_matrix_edit", kwargs={"org": "alfa"}) + f"?matrix={kind}"


def _form_data(client, kind="call"):
    form = client.get(_edit_url(kind)).context["form"]
    data = {name: str(form[name].value()) for name in form.fields if "__" in name}
    data["started_from"] = form["started_from"].value()
    data["matrix"] = kind
    return data


def test_editing_one_cell_stores_the_matrix_and_changes_that_cell(manager_client, org_a):
    data = _form_data(manager_client)
    data["low__high"] = "2"
    response = manager_client.post(_edit_url(), data)
    assert response.status_code == 302
    assert priority_for(org_a, "low", "high") == 2
    assert PriorityCell.objects.filter(organisation=org_a, matrix="call").count() == 12


def test_a_concurrent_edit_of_the_same_cell_shows_both_and_loses_nothing(
    manager_client, org_a, manager_a
):
    mine = _form_data(manager_client)
    theirs = _form_data(manager_client)
    theirs["low__high"] = "1"
    theirs["none__low"] = "4"
    assert manager_client.post(_edit_url(), theirs).status_code == 302
    mine["low__high"] = "2"
    response = manager_client.post(_edit_url(), mine)
    assert response.status_code == 409
    assert [(c["theirs"], c["yours"]) for c in response.context["conflict_cells"]] == [(1, 2)]
    retry = response.context["form"]
    assert retry["low__high"].value() == "2"  # mine kept
    assert retry["none__low"].value() == "4"  # theirs kept where only they changed
    again = {name: str(retry[name].value()) for name in retry.fields if "__" in name}
    again.update(matrix="call", started_from=retry["started_from"].value())
    assert manager_client.post(_edit_url(), again).status_code == 302
    assert priority_for(org_a, "low", "high") == 2 and priority_for(org_a, "none", "low") == 4
    assert json.loads(again["started_from"])["low__high"] == 1


def test_the_reset_button_returns_to_the_default(manager_client, org_a, manager_a):
    services.priority_matrix_reset(organisation=org_a, by=manager_a, matrix="risk")
    PriorityCell.objects.filter(organisation=org_a, matrix="risk").update(priority=1)
    response = manager_client.post(_edit_url("risk"), {"reset": "1", "matrix": "risk"})
    assert response.status_code == 302
    assert risk_priority_for(org_a, "low", "low") == 5


def test_an_operator_gets_403_on_the_edit_page(client, operator_a):
    client.force_login(operator_a)
    assert client.get(_edit_url()).status_code == 403
    assert client.post(_edit_url(), {"reset": "1"}).status_code == 403


def test_api_lists_edits_and_resets_cells(api_client, manager_a, org_a):
    api = api_client(manager_a)
    reset = api.post("/api/o/alfa/agreements/priority-cells/reset/", {"matrix": "call"})
    assert reset.status_code == 200 and len(reset.json()) == 12
    cell = PriorityCell.objects.get(organisation=org_a, row="high", column="low", matrix="call")
    url = f"/api/o/alfa/agreements/priority-cells/{cell.pk}/"
    bad = api.patch(url, {"priority": 0, "version": 1}, format="json")
    assert bad.status_code == 400 and "priority" in bad.json()
    ok = api.patch(url, {"priority": 1, "version": 1}, format="json")
    assert ok.status_code == 200 and priority_for(org_a, "high", "low") == 1
    stale = api.patch(url, {"priority": 2, "version": 1}, format="json")
    assert stale.status_code == 409
