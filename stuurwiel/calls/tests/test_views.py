"""The call pages: the portal, intake at the desk, the worklists and the call
page, each with who may not."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from stuurwiel.calls import services
from stuurwiel.calls.choices import CallStatus, Channel, EventKind
from stuurwiel.calls.models import Call, CallEvent
from stuurwiel.calls.tests.test_patterns import performer
from stuurwiel.organisations.choices import Role

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def url(name: str, world, **kwargs) -> str:
    return reverse(f"calls:{name}", kwargs={"org": world.org.slug, **kwargs})


def reported(world, by=None, call_type: str = "incident", title: str = "Lamp kapot") -> Call:
    return services.call_register(
        organisation=world.org,
        service=world.service,
        call_type=call_type,
        title=title,
        by=by or world.requester,
    )


def to_review(world, call: Call, forks=("uitvoeren",)) -> Call:
    """Take the call through its work to the point where the requester is asked."""
    forks = list(forks)
    for _ in range(40):
        if call.status == CallStatus.PROCESS_FULFILLED:
            return call
        actor = performer(world, call)
        offered = services.call_options(call=call, by=actor)
        target = forks.pop(0) if offered[0].name == "fork" else ""
        call = services.call_transition(
            call=call, by=actor, transition=offered[0].name, target=target, version=call.version
        )
    raise AssertionError("the call did not reach its review")


# --- The portal -------------------------------------------------------------------


def test_the_report_form_shows_the_everyday_words_of_each_call_type(world):
    response = client_for(world.requester).get(
        url("call_report", world) + f"?service={world.service.pk}"
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "complaint → wish" in page and "information question → service request" in page
    assert f'value="{world.service.pk}" selected' in page


def test_the_report_form_speaks_dutch_by_default(world):
    client = Client()
    client.force_login(world.requester)
    page = client.get(url("call_report", world)).content.decode()
    assert "klacht → wens" in page and "Melding doen" in page


def test_a_requester_reports_a_call_and_lands_on_its_page(world):
    response = client_for(world.requester).post(
        url("call_report", world),
        {
            "service": world.service.pk,
            "call_type": "incident",
            "title": "Parkeerautomaat weigert",
            "description": "Sinds vanochtend",
        },
    )
    call = Call.objects.get()
    assert response.status_code == 302 and response["Location"] == call.get_absolute_url()
    assert call.requester == world.requester and call.channel == Channel.PORTAL
    assert call.process == "herstellen"


def test_a_report_without_a_title_is_refused_with_the_reason(world):
    response = client_for(world.requester).post(
        url("call_report", world), {"service": world.service.pk, "call_type": "incident"}
    )
    assert response.status_code == 400 and "This field is required." in response.content.decode()
    assert not Call.objects.exists()


def test_a_report_for_a_service_that_is_not_live_is_refused(world):
    world.service.status = "in_design"
    world.service.save()
    response = client_for(world.requester).post(
        url("call_report", world),
        {"service": world.service.pk, "call_type": "incident", "title": "x"},
    )
    assert response.status_code == 400 and not Call.objects.exists()


def test_a_supplier_user_may_not_report(world):
    assert client_for(world.supplier).get(url("call_report", world)).status_code == 403


def test_my_calls_lists_only_my_own_with_the_latest_public_reply(world, make_member):
    mine = reported(world)
    other = make_member(world.org, Role.REQUESTER, username="ander")
    reported(world, by=other, title="Niet van mij")
    services.call_comment(call=mine, by=world.desk, text="Intern: monteur gebeld")
    services.call_comment(call=mine, by=world.desk, text="We komen morgen langs", public=True)
    page = client_for(world.requester).get(url("my_calls", world)).content.decode()
    assert mine.number in page and "Niet van mij" not in page
    assert "We komen morgen langs" in page and "monteur gebeld" not in page


def test_someone_elses_call_is_404_for_a_requester(world, make_member):
    other = make_member(world.org, Role.REQUESTER, username="ander")
    call = reported(world, by=other)
    client = client_for(world.requester)
    assert client.get(call.get_absolute_url()).status_code == 404
    assert client.post(url("call_comment", world, pk=call.pk), {"text": "x"}).status_code == 404


def test_the_requester_sees_no_internal_notes_on_the_call_page(world):
    call = reported(world)
    services.call_comment(call=call, by=world.desk, text="Intern: monteur gebeld")
    services.call_comment(call=call, by=world.desk, text="We komen morgen langs", public=True)
    page = client_for(world.requester).get(call.get_absolute_url()).content.decode()
    assert "We komen morgen langs" in page and "monteur gebeld" not in page
    assert "Not open to you" not in page  # a requester is not shown the staff's steps


def test_a_requester_confirms_a_resolved_call_from_my_calls(world):
    call = to_review(world, reported(world))
    client = client_for(world.requester)
    page = client.get(url("my_calls", world)).content.decode()
    assert "Yes, it is resolved" in page and "No, reopen it" in page
    response = client.post(
        url("call_transition", world, pk=call.pk),
        {"transition": "confirm", "version": call.version},
    )
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.status == CallStatus.WORKFLOW_FULFILLED


def test_a_requester_reopens_a_call_that_is_not_resolved(world):
    call = to_review(world, reported(world))
    response = client_for(world.requester).post(
        url("call_transition", world, pk=call.pk),
        {"transition": "reopen", "version": call.version, "note": "Doet het nog steeds niet"},
    )
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.status == CallStatus.OPEN


# --- Intake at the desk -------------------------------------------------------------


def test_the_desk_registers_a_call_for_a_member_by_phone(world):
    response = client_for(world.desk).post(
        url("call_intake", world),
        {
            "channel": "phone",
            "requester": world.requester.pk,
            "service": world.service.pk,
            "call_type": "serviceverzoek",
            "title": "Nieuwe vergunning",
            "impact": "medium",
            "urgency": "low",
        },
    )
    call = Call.objects.get()
    assert response.status_code == 302
    assert call.requester == world.requester and call.registered_by == world.desk
    assert call.channel == Channel.PHONE and call.priority is not None


def test_the_desk_registers_a_call_for_someone_named_at_the_counter(world):
    client_for(world.desk).post(
        url("call_intake", world),
        {
            "channel": "counter",
            "requester_name": "Mevrouw Jansen",
            "requester_contact": "06-12345678",
            "service": world.service.pk,
            "call_type": "incident",
            "title": "Paal kapot",
        },
    )
    call = Call.objects.get()
    assert call.requester is None and call.requester_name == "Mevrouw Jansen"
    assert call.requester_contact == "06-12345678"


def test_intake_needs_a_member_or_a_name(world):
    response = client_for(world.desk).post(
        url("call_intake", world),
        {"channel": "phone", "service": world.service.pk, "call_type": "incident", "title": "x"},
    )
    assert response.status_code == 400 and not Call.objects.exists()


def test_a_requester_at_the_intake_goes_to_the_portal(world):
    response = client_for(world.requester).get(url("call_intake", world))
    assert response.status_code == 302 and response["Location"] == url("call_report", world)


# --- Worklists ----------------------------------------------------------------------


def test_a_new_call_is_in_the_worklist_of_the_link_that_holds_it(world):
    call = reported(world)
    desk = client_for(world.desk)
    assert call.number in desk.get(url("worklist", world) + "?list=links").content.decode()
    assert call.number not in desk.get(url("worklist", world)).content.decode()
    specialist = client_for(world.specialist)
    page = specialist.get(url("worklist", world) + "?list=links").content.decode()
    assert call.number not in page


def test_the_assigned_operator_finds_the_call_under_mine(world):
    call = reported(world)
    services.call_coordinate(call=call, by=world.coordinator, version=call.version)
    call.refresh_from_db()
    services.call_assign(call=call, operator=world.desk, by=world.coordinator, version=call.version)
    page = client_for(world.desk).get(url("worklist", world) + "?list=mine").content.decode()
    assert call.number in page
    coordination = client_for(world.coordinator).get(url("worklist", world) + "?list=coordination")
    assert call.number in coordination.content.decode()


def test_a_team_coordinator_sees_the_unassigned_calls_at_their_team(world):
    call = to_specialists(world, reported(world))
    page = client_for(world.team_coordinator).get(url("worklist", world) + "?list=coordination")
    assert call.number in page.content.decode()


def to_specialists(world, call: Call) -> Call:
    for _ in range(2):  # aannemen, classificeren at the front office
        call = services.call_transition(
            call=call, by=world.desk, transition="complete", version=call.version
        )
    assert call.current_link == world.links.specialists
    return call


def test_the_worklist_filters_and_answers_htmx_with_the_table_only(world):
    reported(world, title="Lamp kapot")
    reported(world, title="Paal scheef")
    response = client_for(world.desk).get(
        url("worklist", world) + "?list=links&q=paal", HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert "Paal scheef" in page and "Lamp kapot" not in page
    assert "<html" not in page


def test_a_requester_has_no_worklist_but_their_own_calls(world):
    response = client_for(world.requester).get(url("worklist", world))
    assert response.status_code == 302 and response["Location"] == url("my_calls", world)


# --- The call page ------------------------------------------------------------------


def test_the_call_page_offers_the_step_to_its_link_and_says_why_not_to_others(world):
    call = reported(world)
    page = client_for(world.desk).get(call.get_absolute_url()).content.decode()
    assert "Complete “Accept”" in page
    assert "Not open to you" not in page
    other = client_for(world.specialist).get(call.get_absolute_url()).content.decode()
    assert "Not open to you" in other and "This step lies with another link of the chain." in other


def test_the_desk_completes_a_step_from_the_call_page(world):
    call = reported(world)
    response = client_for(world.desk).post(
        url("call_transition", world, pk=call.pk),
        {"transition": "complete", "version": call.version, "note": "Aangenomen"},
    )
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.step == "herstellen-classificeren" and call.version == 2


def test_a_stale_page_is_answered_409_and_changes_nothing(world):
    call = reported(world)
    client = client_for(world.desk)
    client.post(url("call_transition", world, pk=call.pk), {"transition": "complete", "version": 1})
    response = client.post(
        url("call_transition", world, pk=call.pk), {"transition": "complete", "version": 1}
    )
    assert response.status_code == 409
    call.refresh_from_db()
    assert call.version == 2


def test_a_blocked_step_is_refused_with_the_rule(world):
    call = reported(world)
    response = client_for(world.specialist).post(
        url("call_transition", world, pk=call.pk), {"transition": "complete", "version": 1}
    )
    assert response.status_code == 403
    assert "This step lies with another link of the chain." in response.content.decode()


def test_an_operator_may_not_assign(world):
    call = reported(world)
    response = client_for(world.desk).post(
        url("call_assign", world, pk=call.pk), {"operator": world.desk2.pk, "version": 1}
    )
    assert response.status_code == 403
    call.refresh_from_db()
    assert call.assignee is None


def test_the_workflow_coordinator_takes_and_assigns_from_the_call_page(world):
    call = reported(world)
    client = client_for(world.coordinator)
    page = client.get(call.get_absolute_url()).content.decode()
    assert "Coordinate this call" in page
    client.post(url("call_coordinate", world, pk=call.pk), {"version": 1})
    response = client.post(
        url("call_assign", world, pk=call.pk), {"operator": world.desk.pk, "version": 2}
    )
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.coordinator == world.coordinator and call.assignee == world.desk


def test_hand_over_and_escalate_need_a_reason(world):
    call = reported(world)
    client = client_for(world.desk)
    response = client.post(
        url("call_hand_over", world, pk=call.pk),
        {"to_link": world.links.specialists.pk, "version": 1},
    )
    assert response.status_code == 400
    response = client.post(
        url("call_hand_over", world, pk=call.pk),
        {"to_link": world.links.specialists.pk, "version": 1, "reason": "Specialistisch"},
    )
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.current_link == world.links.specialists
    response = client.post(
        url("call_escalate", world, pk=call.pk), {"version": call.version, "reason": "Te lang"}
    )
    assert response.status_code == 302
    assert CallEvent.objects.filter(call=call, kind=EventKind.ESCALATED, text="Te lang").exists()


def test_internal_and_public_comments_are_kept_apart_on_the_call_page(world):
    call = reported(world)
    client = client_for(world.desk)
    client.post(url("call_comment", world, pk=call.pk), {"text": "Alleen voor ons"})
    client.post(url("call_comment", world, pk=call.pk), {"text": "Voor de burger", "public": "on"})
    public = CallEvent.objects.get(call=call, kind=EventKind.COMMENTED, public=True)
    internal = CallEvent.objects.get(call=call, kind=EventKind.COMMENTED, public=False)
    assert (public.text, internal.text) == ("Voor de burger", "Alleen voor ons")
    page = client.get(call.get_absolute_url()).content.decode()
    internal_column = page.split('class="comments internal"')[1]
    assert "Alleen voor ons" in internal_column and "Voor de burger" not in internal_column


def test_the_write_urls_take_no_get(world):
    call = reported(world)
    assert client_for(world.desk).get(url("call_transition", world, pk=call.pk)).status_code == 405
