"""A supplier is a black box behind its interface: its users and tokens see only
the calls handed to its link, and of those only what the interface passes — no
internal notes of the chain, nothing of the requester — in the API and on the
call page. Anyone else's call is a 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from stuurwiel.calls import services
from stuurwiel.calls.tests.test_patterns import register

pytestmark = pytest.mark.django_db

PRIVATE = ("Mevrouw Jansen", "06-12345678", "Intern: klant is lastig", "Lekkage bij Jansen")


def api(world, path=""):
    return f"/api/o/{world.org.slug}/calls/calls/{path}"


@pytest.fixture
def calls(world):
    """One call handed to the supplier (with a requester's description, contact
    and an internal note), and one that never left the chain's teams."""
    theirs = register(
        world,
        "incident",
        title="Lekkage bij Jansen",
        description="Mevrouw Jansen belt, 06-12345678",
        requester_contact="06-12345678",
        requester_name="Mevrouw Jansen",
    )
    services.call_comment(call=theirs, by=world.desk, text="Intern: klant is lastig")
    theirs.refresh_from_db()
    theirs = services.call_hand_over(
        call=theirs,
        to_link=world.links.specialists,
        by=world.desk,
        version=theirs.version,
        reason="a",
    )
    theirs = services.call_hand_over(
        call=theirs,
        to_link=world.links.supplier,
        by=world.specialist,
        version=theirs.version,
        reason="Graag vervangen",
    )
    services.call_comment(call=theirs, by=world.supplier, text="Monteur onderweg")
    other = register(world, "incident")
    return theirs, other


def test_the_api_list_holds_only_the_calls_handed_to_the_suppliers_link(world, api_client, calls):
    theirs, other = calls
    answer = api_client(world.supplier).get(api(world))
    assert answer.status_code == 200
    assert [row["id"] for row in answer.json()["results"]] == [theirs.pk]
    # Staff see both: the list is scoped for the supplier, not empty for all.
    staff = api_client(world.specialist).get(api(world)).json()["results"]
    assert {row["id"] for row in staff} == {theirs.pk, other.pk}


def test_another_call_is_404_in_every_way(world, api_client, calls, client):
    _, other = calls
    supplier = api_client(world.supplier)
    assert supplier.get(api(world, f"{other.pk}/")).status_code == 404
    assert supplier.get(api(world, f"{other.pk}/events/")).status_code == 404
    client.force_login(world.supplier)
    assert client.get(other.get_absolute_url()).status_code == 404


def test_the_detail_carries_no_requester_data(world, api_client, calls):
    theirs, _ = calls
    answer = api_client(world.supplier).get(api(world, f"{theirs.pk}/"))
    assert answer.status_code == 200
    body = answer.json()
    assert body["number"] == theirs.number
    assert body["requester"] is None and body["requester_name"] == ""
    assert body["description"] == "" and body["title"] == ""
    # What it gets instead: what the interface passes and why it was handed over.
    assert body["handed_over"] == {
        "passes": "Werkopdracht zonder persoonsgegevens",
        "reason": "Graag vervangen",
    }
    assert not any(text in answer.content.decode() for text in PRIVATE)
    # Staff still get the requester's data.
    staff = api_client(world.specialist).get(api(world, f"{theirs.pk}/")).json()
    assert staff["requester_name"] == "Mevrouw Jansen"
    assert staff["title"] == "Lekkage bij Jansen" and staff["handed_over"] is None


def test_the_api_list_and_search_reveal_no_title_to_the_supplier(world, api_client, calls):
    theirs, _ = calls
    supplier = api_client(world.supplier)
    rows = supplier.get(api(world)).json()["results"]
    assert rows[0]["title"] == "" and rows[0]["handed_over"]["reason"] == "Graag vervangen"
    # A search on the requester's words finds nothing for the supplier (it would
    # reveal them), the call number still finds the call; staff find it by title.
    assert supplier.get(api(world), {"q": "Lekkage"}).json()["results"] == []
    found = supplier.get(api(world), {"q": theirs.number}).json()["results"]
    assert [row["id"] for row in found] == [theirs.pk]
    staff = api_client(world.specialist).get(api(world), {"q": "Lekkage"}).json()["results"]
    assert [row["id"] for row in staff] == [theirs.pk]


def test_the_suppliers_worklist_shows_what_was_handed_over_not_the_title(world, client, calls):
    theirs, _ = calls
    client.force_login(world.supplier)
    page = client.get(reverse("calls:worklist", args=[world.org.slug]), {"list": "links"})
    assert page.status_code == 200
    html = page.content.decode()
    assert theirs.number in html and "Werkopdracht zonder persoonsgegevens" in html
    assert "Graag vervangen" in html
    assert not any(text in html for text in PRIVATE)


def test_the_events_are_the_work_on_its_own_stretch(world, api_client, calls):
    theirs, _ = calls
    answer = api_client(world.supplier).get(api(world, f"{theirs.pk}/events/"))
    assert answer.status_code == 200
    events = answer.json()
    kinds = [event["kind"] for event in events]
    assert kinds == ["handed_over", "commented"]
    assert events[0]["data"]["passes"] == "Werkopdracht zonder persoonsgegevens"
    assert events[1]["text"] == "Monteur onderweg"  # its own comment
    assert not any(text in answer.content.decode() for text in PRIVATE)
    staff = api_client(world.specialist).get(api(world, f"{theirs.pk}/events/")).json()
    assert "registered" in [event["kind"] for event in staff]


def test_the_call_page_shows_the_supplier_no_requester_nor_internal_notes(world, client, calls):
    theirs, _ = calls
    client.force_login(world.supplier)
    page = client.get(theirs.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert theirs.number in html and "Werkopdracht zonder persoonsgegevens" in html
    assert not any(text in html for text in PRIVATE)
    client.force_login(world.specialist)
    staff = client.get(theirs.get_absolute_url()).content.decode()
    assert "Mevrouw Jansen" in staff and "Intern: klant is lastig" in staff
