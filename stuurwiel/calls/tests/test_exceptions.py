"""Exceptions need someone else's approval; evaluation raises improvements as risks."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from stuurwiel.calls import services
from stuurwiel.calls.choices import CallStatus, Channel, EventKind
from stuurwiel.calls.exceptions import exception_decide, exception_request
from stuurwiel.calls.models import Call
from stuurwiel.calls.tests.test_patterns import register
from stuurwiel.calls.tests.test_separation import advance_to

pytestmark = pytest.mark.django_db


def test_nobody_legitimises_their_own_exception(world, make_member):
    from stuurwiel.organisations.choices import Role

    call = register(world, "incident")
    asked = exception_request(
        call=call, by=world.desk, kind="norm", description="Onderdeel pas over een week"
    )
    owner = make_member(world.org, Role.SERVICE_OWNER, Role.OPERATOR, username="eigenaar-op")
    own = exception_request(call=call, by=world.desk2, kind="norm", description="Zelf")
    with pytest.raises(services.CallActionRefused) as refusal:
        exception_decide(exception=own, by=world.desk2, decision="approved")
    assert refusal.value.code == "own_exception"
    assert "legitimise" in refusal.value.message
    with pytest.raises(services.CallActionRefused) as refusal:
        exception_decide(exception=asked, by=world.specialist, decision="approved")
    assert refusal.value.code == "not_allowed"
    decided = exception_decide(
        exception=asked, by=owner, decision="approved", note="Eenmalig, met bericht aan melder"
    )
    assert decided.decision == "approved" and decided.decided_by == owner
    kinds = list(call.events.values_list("kind", flat=True))
    assert kinds.count(EventKind.EXCEPTION_REQUESTED) == 2
    assert EventKind.EXCEPTION_DECIDED in kinds
    with pytest.raises(services.CallActionRefused):
        exception_decide(exception=asked, by=owner, decision="rejected")


def test_a_requester_does_not_ask_for_exceptions(world):
    call = register(world, "incident")
    with pytest.raises(services.CallActionRefused):
        exception_request(call=call, by=world.requester, kind="norm", description="Sneller")
    with pytest.raises(ValidationError):
        exception_request(call=call, by=world.desk, kind="anders", description="x")


def test_evaluation_raises_improvements_as_risks_linked_to_the_call(world):
    call = advance_to(world, register(world, "serviceverzoek"), "uitvoeren-toetsen")
    call = services.call_transition(
        call=call, by=world.requester, transition="confirm", version=call.version
    )
    call = services.call_transition(
        call=call,
        by=world.evaluator,
        transition="complete",
        version=call.version,
        risks=[{"title": "Automaat valt vaker uit", "description": "Derde keer deze maand"}],
    )
    assert call.status == CallStatus.CLOSED
    [risk] = Call.objects.filter(origin=call)
    assert risk.call_type == "risico" and risk.channel == Channel.EVALUATION
    assert risk.process == "verbeteren" and risk.service == call.service
    assert call.events.filter(kind=EventKind.RISK_RAISED, data__risk=risk.pk).exists()


def test_risks_are_raised_only_at_evaluation(world):
    call = register(world, "serviceverzoek")
    with pytest.raises(ValidationError):
        services.call_transition(
            call=call,
            by=world.desk,
            transition="complete",
            version=call.version,
            risks=[{"title": "Te vroeg"}],
        )
    call.refresh_from_db()
    assert call.step == "uitvoeren-aannemen"
