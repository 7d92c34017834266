"""Concurrent writes on one call: exactly one wins per version, none is lost, and
the event log stays consistent (PostgreSQL: real row locks across connections)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from stuurwiel.calls import services
from stuurwiel.calls.choices import EventKind
from stuurwiel.calls.models import Call
from stuurwiel.calls.tests.conftest import build_world
from stuurwiel.calls.tests.test_patterns import register
from stuurwiel.core.exceptions import ConflictError

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def _race(count: int, attempt) -> list:
    """Run ``attempt(i)`` in ``count`` threads released at once; their outcomes."""
    barrier = threading.Barrier(count)
    outcomes: list = [None] * count

    def run(index: int) -> None:
        try:
            barrier.wait()
            outcomes[index] = attempt(index)
        except Exception as error:  # noqa: BLE001 - the outcome is what is compared
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_fifty_concurrent_transitions_on_one_version_one_wins(org_a, make_member):
    world = build_world(org_a, make_member)
    call = register(world, "incident")
    version = call.version

    def attempt(_index):
        fresh = Call.objects.get(pk=call.pk)
        return services.call_transition(
            call=fresh, by=world.desk, transition="complete", version=version
        )

    outcomes = _race(50, attempt)
    winners = [o for o in outcomes if isinstance(o, Call)]
    assert len(winners) == 1, [type(o).__name__ for o in outcomes]
    assert all(isinstance(o, ConflictError) for o in outcomes if not isinstance(o, Call))
    call.refresh_from_db()
    assert call.version == version + 1
    assert call.step == "herstellen-classificeren"
    completed = call.events.filter(kind=EventKind.STEP_COMPLETED)
    assert completed.count() == 1
    assert list(call.events.values_list("call_version", flat=True)) == [1, 2]


def test_two_coordinators_assigning_at_once_one_wins(org_a, make_member):
    world = build_world(org_a, make_member)
    call = register(world, "incident")
    operators = [world.desk, world.desk2]
    from stuurwiel.organisations.choices import Role
    from stuurwiel.parties.models import Person

    coordinators = []
    for n in range(2):
        user = make_member(world.org, Role.TEAM_COORDINATOR, username=f"tc{n}")
        Person.objects.create(
            organisation=world.org, name=f"tc{n}", user=user, team=world.links.front.team
        )
        coordinators.append(user)

    def attempt(index):
        fresh = Call.objects.get(pk=call.pk)
        return services.call_assign(
            call=fresh, operator=operators[index], by=coordinators[index], version=call.version
        )

    outcomes = _race(2, attempt)
    assert sum(isinstance(o, Call) for o in outcomes) == 1
    assert sum(isinstance(o, ConflictError) for o in outcomes) == 1
    call.refresh_from_db()
    assert call.assignee in operators
    assert call.events.filter(kind=EventKind.ASSIGNED).count() == 1
