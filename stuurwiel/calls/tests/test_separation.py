"""Function separation at every transition, server-side, from the USM library's
rules: each refusal names its rule, and a relaxed rule is a recorded decision."""

from __future__ import annotations

import pytest
from django.utils import timezone

from stuurwiel.calls import services
from stuurwiel.calls.models import SeparationRelaxation
from stuurwiel.calls.tests.test_patterns import performer, register
from stuurwiel.organisations.choices import Role
from stuurwiel.parties.models import Person

pytestmark = pytest.mark.django_db


def advance_to(world, call, step, *, forks=(), actor_for=None):
    forks = list(forks)
    while call.step != step:
        actor = (actor_for or {}).get(call.step) or performer(world, call)
        option = services.call_options(call=call, by=actor)[0]
        target = forks.pop(0) if option.name == "fork" else ""
        call = services.call_transition(
            call=call, by=actor, transition=option.name, target=target, version=call.version
        )
    return call


def blocked(call, actor, transition="complete", target=""):
    with pytest.raises(services.TransitionBlocked) as refusal:
        services.call_transition(
            call=call, by=actor, transition=transition, target=target, version=call.version
        )
    return refusal.value


def test_nobody_tests_or_releases_the_change_they_prepared(world):
    call = advance_to(world, register(world, "wijzigingsverzoek"), "wijzigen-testen-vrijgeven")
    refusal = blocked(call, world.specialist)
    assert [b.rule for b in refusal.blockers] == ["wijziging-niet-zelf-vrijgeven"]
    assert "prepared the change" in refusal.blockers[0].message
    # Someone else in the team may.
    services.call_transition(
        call=call, by=world.tester, transition="complete", version=call.version
    )


def test_nobody_approves_the_change_they_requested(world):
    call = services.call_register(
        organisation=world.org,
        service=world.service,
        call_type="wijzigingsverzoek",
        title="Ander tarief",
        by=world.desk,
        requester=world.specialist,
        channel="desk",
    )
    call = advance_to(world, call, "wijzigen-plannen-accorderen")
    refusal = blocked(call, world.specialist)
    assert [b.rule for b in refusal.blockers] == ["wijziging-niet-zelf-accorderen"]
    services.call_transition(
        call=call, by=world.tester, transition="complete", version=call.version
    )


def test_nobody_evaluates_a_call_they_worked_on(world):
    call = advance_to(world, register(world, "serviceverzoek"), "uitvoeren-toetsen")
    call = services.call_transition(
        call=call, by=world.requester, transition="confirm", version=call.version
    )
    assert call.step == "uitvoeren-evalueren"
    refusal = blocked(call, world.desk)
    assert "niet-eigen-werk-evalueren" in [b.rule for b in refusal.blockers]
    services.call_transition(
        call=call, by=world.evaluator, transition="complete", version=call.version
    )


def test_managers_do_not_execute(world):
    call = advance_to(world, register(world, "incident"), "herstellen-analyseren")
    refusal = blocked(call, world.manager)
    assert [b.rule for b in refusal.blockers] == ["scheiding-management-uitvoering"]


def test_the_coordinator_of_a_call_does_not_execute_it(world, make_member):
    both = make_member(world.org, Role.WORKFLOW_COORDINATOR, Role.OPERATOR, username="beide")
    Person.objects.create(
        organisation=world.org, name="Beide", user=both, team=world.links.front.team
    )
    call = register(world, "incident")
    call = services.call_coordinate(call=call, by=both, version=call.version)
    refusal = blocked(call, both)
    assert [b.code for b in refusal.blockers] == ["coordinator_executes"]
    # A colleague who coordinates nothing here does the step.
    services.call_transition(call=call, by=world.desk, transition="complete", version=call.version)


def test_a_team_coordinator_who_assigned_work_does_not_do_it(world, make_member):
    both = make_member(world.org, Role.TEAM_COORDINATOR, Role.OPERATOR, username="tc-op")
    Person.objects.create(
        organisation=world.org, name="TC", user=both, team=world.links.specialists.team
    )
    call = advance_to(world, register(world, "incident"), "herstellen-analyseren")
    call = services.call_assign(call=call, operator=world.specialist, by=both, version=call.version)
    call = services.call_assign(call=call, operator=None, by=both, version=call.version)
    refusal = blocked(call, both)
    assert "coordinator_executes" in [b.code for b in refusal.blockers]


def test_an_assigned_step_is_for_its_operator(world):
    call = advance_to(world, register(world, "incident"), "herstellen-analyseren")
    call = services.call_assign(
        call=call, operator=world.tester, by=world.team_coordinator, version=call.version
    )
    refusal = blocked(call, world.specialist)
    assert [b.code for b in refusal.blockers] == ["assigned_to_other"]
    services.call_transition(
        call=call, by=world.tester, transition="complete", version=call.version
    )


def test_the_workflow_coordinator_outranks_the_team_coordinator(world):
    call = advance_to(world, register(world, "incident"), "herstellen-analyseren")
    call = services.call_coordinate(call=call, by=world.coordinator, version=call.version)
    call = services.call_assign(
        call=call, operator=world.specialist, by=world.coordinator, version=call.version
    )
    with pytest.raises(services.CallActionRefused) as refusal:
        services.call_assign(
            call=call, operator=world.tester, by=world.team_coordinator, version=call.version
        )
    assert refusal.value.code == "outranked"


def test_a_step_of_another_link_is_not_yours_and_requesters_do_not_work(world):
    call = register(world, "incident")
    assert [b.code for b in blocked(call, world.specialist).blockers] == ["outside_link"]
    assert "not_operator" in [b.code for b in blocked(call, world.requester).blockers]
    # A supplier works only on calls handed to its own link.
    call = advance_to(world, call, "herstellen-analyseren")
    assert "not_operator" in [b.code for b in blocked(call, world.supplier).blockers]


def test_a_relaxed_rule_lets_a_small_team_test_its_own_change(world):
    SeparationRelaxation.objects.create(
        organisation=world.org,
        rule="wijziging-niet-zelf-vrijgeven",
        team=world.links.specialists.team,
        reason="Team van twee",
        decided_by=world.manager,
        decided_by_name="manager",
        decided_at=timezone.now(),
    )
    call = advance_to(world, register(world, "wijzigingsverzoek"), "wijzigen-testen-vrijgeven")
    call = services.call_transition(
        call=call, by=world.specialist, transition="complete", version=call.version
    )
    assert call.step == "wijzigen-implementeren"
