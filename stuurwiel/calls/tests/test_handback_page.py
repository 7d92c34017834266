"""The supplier hands a call back on the call page (as through the API): the
form only for the staff of the supplier that holds the call, the version read,
the outcome on the timeline; and the page shows the supplier what passed its
interface, not the chain's title, description or internal notes."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from stuurwiel.calls import services
from stuurwiel.calls.choices import EventKind, HandBackOutcome
from stuurwiel.calls.models import Call, CallEvent
from stuurwiel.calls.tests.test_handback import other_supplier

pytestmark = pytest.mark.django_db

TITLE = "Automaat hal B kapot bij mevrouw Jansen"
DESCRIPTION = "Mevrouw Jansen belt: de automaat in hal B geeft geen kaartjes"
INTERNAL = "Intern: klant is lastig"
HAND_OVER_TEXT = "Graag de printer vervangen"
INTERFACE = "Werkopdracht zonder persoonsgegevens"


@pytest.fixture
def held(world) -> Call:
    """An incident with a title, description and internal note, handed from the
    KCC to the specialists and on to the supplier."""
    call = services.call_register(
        organisation=world.org,
        service=world.service,
        call_type="incident",
        title=TITLE,
        description=DESCRIPTION,
        by=world.requester,
        impact="medium",
        urgency="high",
    )
    services.call_comment(call=call, by=world.desk, text=INTERNAL)
    call.refresh_from_db()
    call = services.call_hand_over(
        call=call, to_link=world.links.specialists, by=world.desk, version=call.version, reason="a"
    )
    return services.call_hand_over(
        call=call,
        to_link=world.links.supplier,
        by=world.specialist,
        version=call.version,
        reason=HAND_OVER_TEXT,
    )


def page_as(user, call) -> tuple[Client, str]:
    client = Client()
    client.force_login(user)
    response = client.get(call.get_absolute_url())
    assert response.status_code == 200
    return client, response.content.decode()


def post_url(world, call) -> str:
    return reverse("calls:call_hand_back", kwargs={"org": world.org.slug, "pk": call.pk})


def test_the_supplier_hands_the_call_back_on_the_page(world, held):
    client, html = page_as(world.supplier, held)
    assert post_url(world, held) in html and 'name="outcome"' in html
    response = client.post(
        post_url(world, held),
        {"version": held.version, "outcome": HandBackOutcome.NEEDS_INFO, "text": "Welk toestel?"},
    )
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.current_link == world.links.specialists
    event = CallEvent.objects.get(call=held, kind=EventKind.HANDED_BACK)
    assert event.actor == world.supplier and event.text == "Welk toestel?"
    assert event.data["outcome"] == "needs_info"
    _, staff = page_as(world.specialist, held)
    assert "hand-back-outcome" in staff and "meer informatie nodig" in staff
    assert "Welk toestel?" in staff
    # Back with the specialists: the supplier no longer gets the form.
    _, after = page_as(world.supplier, held)
    assert post_url(world, held) not in after


def test_a_stale_version_is_refused_with_409_and_nothing_moves(world, held):
    client, _ = page_as(world.supplier, held)
    stale = held.version
    Call.objects.filter(pk=held.pk).update(version=stale + 1)  # someone else saved meanwhile
    response = client.post(
        post_url(world, held), {"version": stale, "outcome": "resolved", "text": "Klaar"}
    )
    assert response.status_code == 409
    assert "intussen" in response.content.decode()  # Dutch: someone changed it meanwhile
    held.refresh_from_db()
    assert held.current_link == world.links.supplier
    assert not CallEvent.objects.filter(call=held, kind=EventKind.HANDED_BACK).exists()


@pytest.mark.parametrize(
    "data", [{"outcome": "resolved", "text": ""}, {"outcome": "fixed?", "text": "Klaar"}]
)
def test_a_missing_text_or_an_unknown_outcome_is_a_400_in_dutch(world, held, data):
    client, _ = page_as(world.supplier, held)
    response = client.post(post_url(world, held), {"version": held.version, **data})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Dit veld is verplicht" in html or "Selecteer een geldige keuze" in html
    held.refresh_from_db()
    assert held.current_link == world.links.supplier


def test_staff_of_the_chain_see_no_form_and_are_refused_in_dutch(world, held):
    client, html = page_as(world.specialist, held)
    assert post_url(world, held) not in html
    response = client.post(
        post_url(world, held), {"version": held.version, "outcome": "resolved", "text": "x"}
    )
    assert response.status_code == 403
    assert "Alleen de leverancier bij wie de melding ligt" in response.content.decode()
    held.refresh_from_db()
    assert held.current_link == world.links.supplier


def test_a_supplier_that_does_not_hold_the_call_sees_no_form_and_is_refused(
    world, held, make_member
):
    user, _ = other_supplier(world, make_member, in_chain=True)
    client = Client()
    client.force_login(user)
    response = client.post(
        post_url(world, held), {"version": held.version, "outcome": "resolved", "text": "x"}
    )
    assert response.status_code == 404  # not handed to its link: it does not see the call
    held.refresh_from_db()
    assert held.current_link == world.links.supplier


def test_the_supplier_sees_what_passed_its_interface_not_the_chains_words(world, held):
    _, html = page_as(world.supplier, held)
    assert held.number in html
    assert INTERFACE in html and HAND_OVER_TEXT in html
    for private in (TITLE, DESCRIPTION, INTERNAL, "Mevrouw Jansen"):
        assert private not in html, private
    _, staff = page_as(world.specialist, held)
    assert TITLE in staff and DESCRIPTION in staff and INTERNAL in staff
    assert "call-interface" not in staff  # staff see the call itself, not the supplier's view
