"""Every one of the eight workflow patterns, walked end to end through the
services: each fork, each resume, and the pattern derived from the path taken."""

from __future__ import annotations

import pytest

from stuurwiel.calls import services
from stuurwiel.calls.choices import CallStatus, EventKind
from stuurwiel.calls.models import Call

pytestmark = pytest.mark.django_db

CASES = [
    ("wens", ["wijzigen", "uitvoeren"], 1, ("afspreken", "wijzigen", "uitvoeren")),
    ("wijzigingsverzoek", ["uitvoeren"], 2, ("wijzigen", "uitvoeren")),
    ("incident", ["wijzigen", "uitvoeren"], 3, ("herstellen", "wijzigen", "uitvoeren")),
    ("incident", ["uitvoeren"], 4, ("herstellen", "uitvoeren")),
    ("serviceverzoek", [], 5, ("uitvoeren",)),
    ("risico", ["afspreken", "wijzigen", "uitvoeren"], 6, None),
    ("risico", ["wijzigen", "uitvoeren"], 7, ("verbeteren", "wijzigen", "uitvoeren")),
    ("risico", ["uitvoeren"], 8, ("verbeteren", "uitvoeren")),
]


def performer(world, call: Call):
    """Who in the world does the call's current step."""
    if call.step.endswith("-evalueren"):
        return world.evaluator
    if call.step == "wijzigen-testen-vrijgeven":
        return world.tester
    link = call.current_link
    if link == world.links.front:
        return world.desk
    if link == world.links.supplier:
        return world.supplier
    return world.specialist


def walk(world, call: Call, forks: list[str]) -> list[tuple[str, str]]:
    """Take the call to closure; returns (transition, step) in order."""
    forks = list(forks)
    taken = []
    for _ in range(60):
        if call.status == CallStatus.CLOSED:
            return taken
        if call.status == CallStatus.PROCESS_FULFILLED:
            actor = world.requester if call.requester_id else world.desk
            transition, target = "confirm", ""
        else:
            actor = performer(world, call)
            offered = services.call_options(call=call, by=actor)
            transition = offered[0].name
            target = forks.pop(0) if transition == "fork" else ""
        taken.append((transition, call.step))
        call = services.call_transition(
            call=call, by=actor, transition=transition, target=target, version=call.version
        )
    raise AssertionError(f"call did not close: {taken[-5:]}")


def register(world, call_type: str, **extra) -> Call:
    by = world.requester if call_type != "risico" else world.specialist
    extra.setdefault("title", f"Een {call_type}")
    return services.call_register(
        organisation=world.org,
        service=world.service,
        call_type=call_type,
        by=by,
        impact="medium",
        urgency="high",
        **extra,
    )


@pytest.mark.parametrize(("call_type", "forks", "number", "path"), CASES)
def test_each_pattern_walks_to_closure_and_is_derived_from_the_path(
    world, call_type, forks, number, path
):
    call = register(world, call_type)
    assert call.pattern is None or call_type == "serviceverzoek"
    walk(world, call, forks)
    call.refresh_from_db()
    assert call.status == CallStatus.CLOSED
    assert call.pattern == number
    processes = [run["process"] for run in call.state["runs"]]
    if path:
        assert tuple(processes) == path
    assert all(run["status"] == "fulfilled" for run in call.state["runs"])


def test_a_fork_waits_and_resumes_where_it_left_off(world):
    call = register(world, "incident")
    for _ in range(4):  # aannemen, classificeren, analyseren, voorbereiden
        actor = performer(world, call)
        call = services.call_transition(
            call=call, by=actor, transition="complete", version=call.version
        )
    assert call.step == "herstellen-herstellen"
    call = services.call_transition(
        call=call, by=world.specialist, transition="fork", target="uitvoeren", version=call.version
    )
    root, child = call.state["runs"]
    assert root["status"] == "waiting" and root["step"] == "herstellen-herstellen"
    assert child["process"] == "uitvoeren" and child["parent"] == 1
    # A forked process skips registering: it starts at classificeren.
    assert child["step"] == "uitvoeren-classificeren"
    assert call.pattern == 4
    while call.process == "uitvoeren":
        call = services.call_transition(
            call=call, by=performer(world, call), transition="complete", version=call.version
        )
    assert call.step == "herstellen-toetsen"
    assert call.status == CallStatus.PROCESS_FULFILLED
    kinds = list(call.events.values_list("kind", flat=True))
    assert kinds[-2:] == [EventKind.PROCESS_FULFILLED, EventKind.RESUMED] or (
        EventKind.RESUMED in kinds
    )


def test_the_requester_reopens_and_the_call_forks_again(world):
    call = register(world, "incident")
    forks = ["uitvoeren"]
    while call.status != CallStatus.PROCESS_FULFILLED:
        actor = performer(world, call)
        offered = services.call_options(call=call, by=actor)[0]
        target = forks.pop(0) if offered.name == "fork" else ""
        call = services.call_transition(
            call=call, by=actor, transition=offered.name, target=target, version=call.version
        )
    call = services.call_transition(
        call=call, by=world.requester, transition="reopen", version=call.version, note="Nog kapot"
    )
    assert call.status == CallStatus.OPEN
    assert call.step == "herstellen-herstellen"
    call = services.call_transition(
        call=call, by=world.specialist, transition="fork", target="wijzigen", version=call.version
    )
    # The latest fork decides the path: now Herstellen → Wijzigen.
    assert call.pattern is None  # not yet one of the eight: Wijzigen has not forked
    walk(world, call, ["uitvoeren"])
    call.refresh_from_db()
    assert call.pattern == 3


def test_the_state_offers_no_fork_without_a_target(world):
    call = register(world, "serviceverzoek")
    with pytest.raises(services.TransitionNotOffered) as refused:
        services.call_transition(
            call=call, by=world.desk, transition="fork", target="wijzigen", version=call.version
        )
    assert [option.name for option in refused.value.options] == ["complete"]


def test_a_waiting_parent_cannot_be_closed_under_its_forked_process(world):
    """The parent waits while its fork runs: nothing it offers ends it, and a
    request that still quotes the parent's last version is refused as stale."""
    from stuurwiel.core.exceptions import ConflictError

    call = register(world, "incident")
    while call.step != "herstellen-herstellen":
        call = services.call_transition(
            call=call, by=performer(world, call), transition="complete", version=call.version
        )
    before_fork = call.version
    call = services.call_transition(
        call=call, by=world.specialist, transition="fork", target="uitvoeren", version=call.version
    )
    offered = services.call_options(call=call, by=world.evaluator)
    assert {option.step for option in offered} <= {call.step}
    assert all(not option.step.startswith("herstellen-") for option in offered)
    with pytest.raises(ConflictError):
        services.call_transition(
            call=call, by=world.specialist, transition="complete", version=before_fork
        )
    closed = walk(world, call, [])
    call.refresh_from_db()
    assert call.status == CallStatus.CLOSED and closed
    # Closed: the forked run was fulfilled before the parent resumed and closed.
    assert [run["status"] for run in call.state["runs"]] == ["fulfilled", "fulfilled"]
    with pytest.raises(services.TransitionNotOffered) as refused:
        services.call_transition(
            call=call, by=world.specialist, transition="complete", version=call.version
        )
    assert refused.value.options == []
