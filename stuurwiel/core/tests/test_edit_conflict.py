"""An HTML edit that meets someone else's save in between: the page says what they
changed beside what you typed, keeps your input under the new version, and lets you
save yours or take theirs without losing anything."""

import re

import pytest
from django.urls import reverse

from stuurwiel.parties import services

pytestmark = pytest.mark.django_db


def _html(response) -> str:
    return response.content.decode()


def _hidden(page: str, name: str) -> str:
    match = re.search(rf'<input type="hidden" name="{name}" value="([^"]*)"', page)
    assert match, name
    return match.group(1).replace("&quot;", '"')


@pytest.fixture
def team(org_a, admin_a):
    return services.team_create(
        organisation=org_a, by=admin_a, data={"name": "Team Wmo", "domain": "Zorg"}
    )


@pytest.fixture
def opened(client_a, team):
    """The edit form as you opened it: its version and the values you started from."""
    url = reverse("parties:team_edit", kwargs={"org": "alfa", "pk": team.pk})
    page = _html(client_a.get(url))
    return url, {"version": _hidden(page, "version"), "started_from": _hidden(page, "started_from")}


@pytest.fixture
def they_saved(team, admin_a):
    """Someone else renames the team and changes its domain after you opened it."""
    return services.team_update(
        instance=team,
        by=admin_a,
        data={"name": "Team Wmo en Jeugd", "domain": "Sociaal domein"},
        version=team.version,
        reason="Samengevoegd",
    )


def _post_mine(client, url, opened, **changes):
    data = {"name": "Team Wmo-loket", "domain": "Zorg", **opened, **changes}
    return client.post(url, data)


def test_conflict_heading_names_the_stored_object_not_the_unsaved_name(
    client_a, opened, they_saved
):
    url, hidden = opened
    page = _html(_post_mine(client_a, url, hidden))
    heading = re.search(r"<h1>(.*?)</h1>", page).group(1)
    assert "Team Wmo en Jeugd" in heading and "Team Wmo-loket" not in heading


def test_conflict_page_shows_their_value_yours_and_the_start_field_by_field(
    client_a, opened, they_saved
):
    url, hidden = opened
    response = _post_mine(client_a, url, hidden)
    assert response.status_code == 409
    rows = re.findall(
        r"<tr>\s*<th scope=\"row\">(.*?)</th>\s*<td>(.*?)</td><td>(.*?)</td><td>(.*?)</td>",
        _html(response),
        re.S,
    )
    by_label = {re.sub(r"<.*", "", label).strip(): cells for label, *cells in rows}
    assert by_label["Naam"] == ["Team Wmo en Jeugd", "Team Wmo-loket", "Team Wmo"]
    assert by_label["Domein"] == [
        "Sociaal domein",
        '<span class="muted">niet door u gewijzigd</span>',
        "Zorg",
    ]
    assert "Samengevoegd" in _html(response)


def test_conflict_keeps_your_input_and_takes_what_only_they_changed(client_a, opened, they_saved):
    url, hidden = opened
    page = _html(_post_mine(client_a, url, hidden))
    assert 'value="Team Wmo-loket"' in page  # yours, where you changed it
    assert 'value="Sociaal domein"' in page  # theirs, where only they changed it
    assert _hidden(page, "version") == str(they_saved.version)


def test_save_my_version_after_a_conflict_succeeds_and_keeps_their_other_change(
    client_a, team, opened, they_saved
):
    url, hidden = opened
    page = _html(_post_mine(client_a, url, hidden))
    again = {"version": _hidden(page, "version"), "started_from": _hidden(page, "started_from")}
    saved = client_a.post(url, {"name": "Team Wmo-loket", "domain": "Sociaal domein", **again})
    assert saved.status_code == 302
    team.refresh_from_db()
    assert (team.name, team.domain, team.version) == ("Team Wmo-loket", "Sociaal domein", 3)
    # and the next edit from the saved page works too
    page = _html(client_a.get(url))
    hidden = {"version": _hidden(page, "version"), "started_from": _hidden(page, "started_from")}
    assert client_a.post(url, {"name": "Team Wmo", "domain": "Zorg", **hidden}).status_code == 302


def test_take_their_version_loads_the_stored_one_and_lists_your_unsaved_values(
    client_a, team, opened, they_saved
):
    url, hidden = opened
    page = _html(_post_mine(client_a, url, hidden))
    again = {"version": _hidden(page, "version"), "started_from": _hidden(page, "started_from")}
    response = client_a.post(
        url, {"name": "Team Wmo-loket", "domain": "Sociaal domein", "take_theirs": "1", **again}
    )
    assert response.status_code == 200
    page = _html(response)
    assert 'name="name" value="Team Wmo en Jeugd"' in page
    assert "Team Wmo-loket" in page  # your value, listed to copy
    team.refresh_from_db()
    assert team.name == "Team Wmo en Jeugd" and team.version == 2


def test_a_validation_error_keeps_the_stored_name_in_the_heading(client_a, team, opened):
    url, hidden = opened
    response = client_a.post(url, {"name": "", "domain": "Zorg", **hidden})
    assert response.status_code == 400
    assert "Team Wmo" in re.search(r"<h1>(.*?)</h1>", _html(response)).group(1)


def test_organisation_settings_conflict_keeps_your_input_and_saves_it_next(
    client_a, org_a, admin_a
):
    from stuurwiel.organisations import services as organisation_services

    url = reverse("organisations:organisation_edit", kwargs={"org": "alfa"})
    page = _html(client_a.get(url))
    hidden = {"version": _hidden(page, "version"), "started_from": _hidden(page, "started_from")}
    organisation_services.organisation_update(
        instance=org_a, by=admin_a, data={"description": "Hun omschrijving"}, version=1
    )
    mine = {"name": "Gemeente Alfa-Noord", "description": ""}
    response = client_a.post(url, {**mine, **hidden})
    assert response.status_code == 409
    page = _html(response)
    assert 'value="Gemeente Alfa-Noord"' in page and "Hun omschrijving" in page
    assert "heeft het opgeslagen op" in page
    again = {"version": _hidden(page, "version"), "started_from": _hidden(page, "started_from")}
    saved = client_a.post(
        url, {"name": "Gemeente Alfa-Noord", "description": "Hun omschrijving", **again}
    )
    assert saved.status_code == 302
    org_a.refresh_from_db()
    assert (org_a.name, org_a.description) == ("Gemeente Alfa-Noord", "Hun omschrijving")
