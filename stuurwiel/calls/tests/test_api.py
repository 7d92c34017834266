"""The calls API: registering, the register, transitions with their refusals."""

from __future__ import annotations

import re

import pytest

from stuurwiel.calls.tests.test_patterns import CASES, performer

pytestmark = pytest.mark.django_db


def url(world, path=""):
    return f"/api/o/{world.org.slug}/calls/calls/{path}"


def report(world, client, **extra):
    data = {
        "service": world.service.pk,
        "call_type": "incident",
        "title": "Parkeerautomaat kapot",
        "impact": "high",
        "urgency": "high",
        **extra,
    }
    return client.post(url(world), data, format="json")


def test_a_requester_reports_an_incident_and_gets_a_human_number(world, api_client):
    answer = report(world, api_client(world.requester))
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert re.fullmatch(r"AL-\d{4}-000001", body["number"])
    assert body["requester"] == world.requester.pk
    assert body["process"] == "herstellen" and body["step"] == "herstellen-aannemen"
    assert body["priority"] == 1
    assert body["current_link"] == world.links.front.pk
    assert body["sa_version"] == world.sa_version.pk
    second = report(world, api_client(world.requester)).json()
    assert second["number"].endswith("000002")


def test_a_call_for_a_service_that_is_not_live_is_refused_with_the_gate(world, api_client):
    world.service.status = "draft"
    world.service.save()
    answer = report(world, api_client(world.requester))
    assert answer.status_code == 400
    body = answer.json()
    assert body["code"] == "service_not_live"
    assert body["gaps"] and all({"code", "message"} <= set(gap) for gap in body["gaps"])


def test_bad_input_is_a_field_error(world, api_client):
    answer = report(world, api_client(world.requester), call_type="klacht", title="")
    assert answer.status_code == 400
    assert "title" in answer.json()
    answer = report(world, api_client(world.requester), call_type="klacht")
    assert answer.status_code == 400 and "call_type" in answer.json()


def test_a_transition_not_offered_is_409_with_the_ones_that_are(world, api_client):
    call = report(world, api_client(world.requester)).json()
    answer = api_client(world.desk).post(
        url(world, f"{call['id']}/transition/"),
        {"transition": "confirm", "version": call["version"]},
        format="json",
    )
    assert answer.status_code == 409
    body = answer.json()
    assert body["code"] == "not_offered"
    assert [t["transition"] for t in body["transitions"]] == ["complete"]
    assert body["transitions"][0]["allowed"] is True


def test_a_blocked_transition_is_403_with_the_rule(world, api_client):
    from stuurwiel.calls.models import Call
    from stuurwiel.calls.tests.test_separation import advance_to

    call = report(world, api_client(world.requester), call_type="wijzigingsverzoek").json()
    model = advance_to(world, Call.objects.get(pk=call["id"]), "wijzigen-testen-vrijgeven")
    answer = api_client(world.specialist).post(
        url(world, f"{model.pk}/transition/"),
        {"transition": "complete", "version": model.version},
        format="json",
    )
    assert answer.status_code == 403
    body = answer.json()
    assert body["code"] == "blocked"
    assert body["blocked_by"][0]["rule"] == "wijziging-niet-zelf-vrijgeven"
    assert "prepared the change" in body["blocked_by"][0]["message"]
    options = api_client(world.specialist).get(url(world, f"{model.pk}/transitions/")).json()
    assert options[0]["allowed"] is False


def test_a_stale_version_is_409(world, api_client):
    call = report(world, api_client(world.requester)).json()
    client = api_client(world.desk)
    first = client.post(
        url(world, f"{call['id']}/transition/"),
        {"transition": "complete", "version": call["version"]},
        format="json",
    )
    assert first.status_code == 200
    again = client.post(
        url(world, f"{call['id']}/transition/"),
        {"transition": "complete", "version": call["version"]},
        format="json",
    )
    assert again.status_code == 409
    assert again.json()["current_version"] == call["version"] + 1


def test_requesters_see_their_own_calls_only(world, api_client, make_member):
    from stuurwiel.organisations.choices import Role

    mine = report(world, api_client(world.requester)).json()
    other = make_member(world.org, Role.REQUESTER, username="buurman")
    client = api_client(other)
    assert client.get(url(world, f"{mine['id']}/")).status_code == 404
    assert client.get(url(world)).json()["results"] == []
    assert api_client(world.requester).get(url(world)).json()["results"][0]["id"] == mine["id"]


def test_a_requester_reads_only_the_public_history(world, api_client):
    call = report(world, api_client(world.requester)).json()
    api_client(world.desk).post(
        url(world, f"{call['id']}/comment/"), {"text": "Intern: bekende storing"}, format="json"
    )
    api_client(world.desk).post(
        url(world, f"{call['id']}/comment/"),
        {"text": "We kijken ernaar", "public": True},
        format="json",
    )
    texts = [
        e["text"]
        for e in api_client(world.requester).get(url(world, f"{call['id']}/events/")).json()
    ]
    assert "We kijken ernaar" in texts and "Intern: bekende storing" not in texts
    staff = [
        e["text"] for e in api_client(world.desk).get(url(world, f"{call['id']}/events/")).json()
    ]
    assert "Intern: bekende storing" in staff


def test_a_supplier_sees_a_call_only_once_handed_to_its_link(world, api_client):
    from stuurwiel.calls import services
    from stuurwiel.calls.models import Call

    created = report(world, api_client(world.requester)).json()
    supplier = api_client(world.supplier)
    assert supplier.get(url(world, f"{created['id']}/")).status_code == 404
    call = Call.objects.get(pk=created["id"])
    forks = ["uitvoeren"]
    while call.current_link != world.links.supplier:
        actor = performer(world, call)
        option = services.call_options(call=call, by=actor)[0]
        call = services.call_transition(
            call=call,
            by=actor,
            transition=option.name,
            target=forks.pop(0) if option.name == "fork" else "",
            version=call.version,
        )
    body = supplier.get(url(world, f"{call.pk}/")).json()
    assert body["step"] == "uitvoeren-plannen"
    kinds = {e["kind"] for e in supplier.get(url(world, f"{call.pk}/events/")).json()}
    assert "handed_over" in kinds and "registered" not in kinds
    handed = [
        e
        for e in supplier.get(url(world, f"{call.pk}/events/")).json()
        if e["kind"] == "handed_over"
    ]
    assert handed[-1]["data"]["passes"] == "Werkopdracht zonder persoonsgegevens"


def test_monitoring_events_become_calls_and_duplicates_are_grouped(world, api_client):
    client = api_client(world.desk)
    event = {
        "service": world.service.pk,
        "kind": "failure",
        "key": "automaat-17-offline",
        "title": "Automaat 17 reageert niet",
    }
    first = client.post(url(world, "monitoring-events/"), event, format="json")
    assert first.status_code == 201, first.json()
    assert first.json()["call_type"] == "incident" and first.json()["channel"] == "event"
    again = client.post(url(world, "monitoring-events/"), event, format="json")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    risk = client.post(
        url(world, "monitoring-events/"),
        {**event, "kind": "risk", "key": "accu-17-zwak", "title": "Accu zwak"},
        format="json",
    )
    assert risk.status_code == 201 and risk.json()["call_type"] == "risico"
    from stuurwiel.calls.models import Call

    assert Call.objects.get(pk=first.json()["id"]).event_count == 2
    assert (
        client.post(
            url(world, "monitoring-events/"), {**event, "kind": "x"}, format="json"
        ).status_code
        == 400
    )
    assert (
        api_client(world.supplier)
        .post(url(world, "monitoring-events/"), event, format="json")
        .status_code
        == 403
    )


@pytest.mark.parametrize(("call_type", "forks", "number", "path"), CASES)
def test_each_pattern_walks_to_closure_through_the_api(
    world, api_client, call_type, forks, number, path
):
    """The same eight walks as the service tests, every move an HTTP request by
    the member whose move it is: the transitions endpoint says what is offered,
    the transition endpoint takes it, the answer carries the new version."""
    from stuurwiel.calls.models import Call

    reporter = world.requester if call_type != "risico" else world.specialist
    created = report(
        world, api_client(reporter), call_type=call_type, impact="medium", urgency="high"
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    forks = list(forks)
    for _ in range(60):
        if body["status"] == "closed":
            break
        model = Call.objects.get(pk=body["id"])
        if body["status"] == "process_fulfilled":
            actor = world.requester if model.requester_id else world.desk
            move = {"transition": "confirm", "target": ""}
        else:
            actor = performer(world, model)
            offered = api_client(actor).get(url(world, f"{body['id']}/transitions/")).json()
            first = next(option for option in offered if option["allowed"])
            target = forks.pop(0) if first["transition"] == "fork" else ""
            move = {"transition": first["transition"], "target": target}
        answer = api_client(actor).post(
            url(world, f"{body['id']}/transition/"),
            {**move, "version": body["version"]},
            format="json",
        )
        assert answer.status_code == 200, answer.json()
        body = answer.json()
    assert body["status"] == "closed"
    assert body["pattern"] == number
    detail = api_client(world.coordinator).get(url(world, f"{body['id']}/")).json()
    assert detail["pattern"] == number
    if path:
        model = Call.objects.get(pk=body["id"])
        assert tuple(run["process"] for run in model.state["runs"]) == path
