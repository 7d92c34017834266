"""Statement budgets of the two hot writes: a transition (≤ 10, hand-over
included, as issue 7 asks) and an intake."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stuurwiel.calls import services
from stuurwiel.calls.tests.test_patterns import performer, register
from stuurwiel.organisations import access

pytestmark = pytest.mark.django_db


def _statements(context) -> int:
    return sum(1 for q in context.captured_queries if "SAVEPOINT" not in q["sql"])


def test_a_transition_runs_at_most_ten_statements_even_with_a_hand_over(world):
    call = register(world, "incident")
    counts = []
    for _ in range(3):  # aannemen (same link), classificeren (hands over), analyseren
        actor = performer(world, call)
        access.access_for(actor, world.org)  # as in a request: the member's access is known
        with CaptureQueriesContext(connection) as context:
            call = services.call_transition(
                call=call, by=actor, transition="complete", version=call.version
            )
        counts.append(_statements(context))
    assert max(counts) <= 10, counts
    assert counts[1] > counts[0]  # the hand-over is in the count


def test_an_intake_runs_a_bounded_number_of_statements(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        register(world, "incident")  # the workflow snapshot and the chain are known now
    access.access_for(world.requester, world.org)
    with CaptureQueriesContext(connection) as context:
        register(world, "incident")
    assert _statements(context) <= 7  # reads, number, call, segment, event, outbox, log
