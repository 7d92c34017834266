"""A supplier hands a call back through the API with its outcome: to the link
it came from, its own UC clock stopped at that moment; nobody else may."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from stuurwiel.agreements.models import Agreement, AgreementVersion, Norm
from stuurwiel.calls import clocks, services
from stuurwiel.calls.choices import ClockState, EventKind, HandBackOutcome, NormKind
from stuurwiel.calls.handback import call_hand_back
from stuurwiel.calls.models import Call, ClockResult, LinkSegment
from stuurwiel.calls.tests.test_patterns import register
from stuurwiel.core import clock
from stuurwiel.organisations.choices import Role
from stuurwiel.parties.models import Person, Supplier
from stuurwiel.services.models import Link

pytestmark = pytest.mark.django_db

MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def url(world, call, action="hand-back/"):
    return f"/api/o/{world.org.slug}/calls/calls/{call.pk}/{action}"


def with_supplier(world) -> Call:
    """Registered, then KCC → specialists → the supplier."""
    call = register(world, "incident")
    call = services.call_hand_over(
        call=call, to_link=world.links.specialists, by=world.desk, version=call.version, reason="a"
    )
    return services.call_hand_over(
        call=call,
        to_link=world.links.supplier,
        by=world.specialist,
        version=call.version,
        reason="b",
    )


def other_supplier(world, make_member, *, in_chain: bool):
    supplier = Supplier.objects.create(organisation=world.org, name="Andere BV")
    user = make_member(world.org, Role.SUPPLIER_USER, username="andere")
    Person.objects.create(organisation=world.org, name="andere", user=user, supplier=supplier)
    link = None
    if in_chain:
        link = Link.objects.create(
            organisation=world.org, service=world.service, supplier=supplier, position=4
        )
    return user, link


def hand_back(world, client, call, **data):
    body = {"version": call.version, "outcome": "resolved", "text": "Automaat vervangen", **data}
    return client.post(url(world, call), body, format="json")


def test_the_holding_supplier_hands_back_to_the_link_it_came_from(world, api_client):
    call = with_supplier(world)
    answer = hand_back(world, api_client(world.supplier), call, outcome="needs_info")
    assert answer.status_code == 200, answer.json()
    body = answer.json()
    assert body["current_link"] == world.links.specialists.pk
    assert body["version"] == call.version + 1
    event = Call.objects.get(pk=call.pk).events.get(kind=EventKind.HANDED_BACK)
    assert event.link == world.links.supplier and event.to_link == world.links.specialists
    assert event.data["outcome"] == HandBackOutcome.NEEDS_INFO
    assert event.text == "Automaat vervangen"
    segments = list(LinkSegment.objects.filter(call=call).order_by("started_at", "id"))
    assert [s.link for s in segments][-2:] == [world.links.supplier, world.links.specialists]
    assert segments[-2].ended_at == event.at and segments[-1].ended_at is None


def test_an_unknown_outcome_is_a_field_error(world, api_client):
    call = with_supplier(world)
    answer = hand_back(world, api_client(world.supplier), call, outcome="klaar")
    assert answer.status_code == 400 and "outcome" in answer.json()


def test_a_stale_version_is_409_and_changes_nothing(world, api_client):
    call = with_supplier(world)
    answer = hand_back(world, api_client(world.supplier), call, version=call.version - 1)
    assert answer.status_code == 409
    assert answer.json()["current_version"] == call.version
    assert Call.objects.get(pk=call.pk).current_link == world.links.supplier


def test_a_supplier_that_held_the_call_before_may_not_hand_it_back(world, api_client, make_member):
    user, link = other_supplier(world, make_member, in_chain=True)
    call = register(world, "incident")
    call = services.call_hand_over(
        call=call, to_link=link, by=world.desk, version=call.version, reason="eerst"
    )
    call = call_hand_back(
        call=call, by=user, version=call.version, outcome="not_resolved", text="x"
    )
    call = services.call_hand_over(
        call=call, to_link=world.links.supplier, by=world.desk, version=call.version, reason="dan"
    )
    answer = hand_back(world, api_client(user), call)
    assert answer.status_code == 403
    assert answer.json()["code"] == "not_holding_supplier"


def test_a_supplier_outside_the_call_does_not_find_it(world, api_client, make_member):
    user, _ = other_supplier(world, make_member, in_chain=False)
    call = with_supplier(world)
    assert hand_back(world, api_client(user), call).status_code == 404


def test_staff_do_not_hand_back_for_the_supplier(world, api_client):
    call = with_supplier(world)
    answer = hand_back(world, api_client(world.specialist), call)
    assert answer.status_code == 403 and answer.json()["code"] == "not_holding_supplier"
    assert hand_back(world, api_client(world.requester), call).status_code == 403
    assert Call.objects.get(pk=call.pk).current_link == world.links.supplier


def test_a_call_with_a_team_is_not_handed_back(world, api_client):
    call = register(world, "incident")
    answer = hand_back(world, api_client(world.supplier), call)
    assert answer.status_code == 404  # never handed to the supplier: not theirs to see


def test_the_supplier_hands_back_with_its_token_or_its_session(world, client):
    call = with_supplier(world)
    client.force_login(world.supplier)
    answer = client.post(
        url(world, call),
        {"version": call.version, "outcome": "resolved", "text": "Klaar"},
        content_type="application/json",
    )
    assert answer.status_code == 200, answer.content


def _uc(world):
    uc = Agreement.objects.create(
        organisation=world.org,
        service=world.service,
        kind="uc",
        link=world.links.supplier,
        name="UC",
    )
    version = AgreementVersion.objects.create(
        organisation=world.org, agreement=uc, number=1, status="active", calendar=world.calendar
    )
    for priority in range(1, 6):
        Norm.objects.create(
            organisation=world.org,
            agreement_version=version,
            priority=priority,
            response_minutes=600,
            resolution_minutes=6000,
        )


def test_the_uc_clock_runs_from_hand_over_to_hand_back_alone(world):
    _uc(world)
    with clock.at(MONDAY):
        call = with_supplier(world)
    handed_back = MONDAY + timedelta(hours=2)
    with clock.at(handed_back):
        call = call_hand_back(
            call=call, by=world.supplier, version=call.version, outcome="resolved", text="Klaar"
        )
    later = MONDAY + timedelta(hours=8)
    clocks.clock_recompute([call.pk], now=later)
    uc = ClockResult.objects.get(
        call=call, link=world.links.supplier, norm_kind=NormKind.RESOLUTION
    )
    assert uc.stopped_at == handed_back
    assert uc.used_seconds == 2 * 3600  # not the 8 hours the call has been open
    assert uc.state == ClockState.MET
    # The specialists' share goes on: their clock counts again from the hand-back.
    ola_segments = LinkSegment.objects.filter(call=call, link=world.links.specialists)
    assert ola_segments.filter(ended_at__isnull=True, started_at=handed_back).exists()


def test_a_call_that_came_from_no_other_link_has_nowhere_to_return(world, api_client):
    call = with_supplier(world)
    LinkSegment.objects.filter(call=call).exclude(link=world.links.supplier).delete()
    answer = hand_back(world, api_client(world.supplier), call)
    assert answer.status_code == 400
    assert Call.objects.get(pk=call.pk).current_link == world.links.supplier
