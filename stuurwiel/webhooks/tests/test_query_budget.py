"""The webhooks consumer keeps a transition within its budget of ten statements
(issue 7) when it hands the call over to a supplier without an endpoint.

Measured as a running system has it: the service's chain is remembered per design
version (:func:`stuurwiel.calls.routing.chain_of`), so a hand-over reads neither the
links nor the interfaces again. The first hand-over after a design change reads
them (two statements more): that case is measured too."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stuurwiel.calls import services
from stuurwiel.calls.tests.test_patterns import performer, register
from stuurwiel.organisations import access
from stuurwiel.webhooks.models import WebhookDelivery

pytestmark = pytest.mark.django_db


def _statements(context) -> int:
    return sum(1 for q in context.captured_queries if "SAVEPOINT" not in q["sql"])


def _to_supplier(world, warm=None):
    """A service request up to the step before the supplier's: uitvoeren-
    classificeren; completing it hands the call to the supplier link. ``warm``
    (the on-commit fixture) first remembers the chain, as after any committed read."""
    from stuurwiel.calls import routing

    call = register(world, "serviceverzoek")
    if warm is not None:
        with warm(execute=True):
            routing.chain_of(world.service)
    while call.current_link != world.links.supplier:
        actor = performer(world, call)
        access.access_for(actor, world.org)  # as in a request: the member's access is known
        with CaptureQueriesContext(connection) as context:
            call = services.call_transition(
                call=call, by=actor, transition="complete", version=call.version
            )
    return call, _statements(context)


def test_a_transition_that_hands_over_to_a_supplier_stays_within_ten_statements(
    world, django_capture_on_commit_callbacks
):
    call, statements = _to_supplier(world, warm=django_capture_on_commit_callbacks)
    assert call.events.filter(kind="handed_over", to_link=world.links.supplier).exists()
    assert statements <= 10, statements


def test_right_after_a_design_change_it_reads_the_chain_too(world):
    _, statements = _to_supplier(world)
    assert statements <= 12, statements


def test_with_an_endpoint_the_same_transition_queues_the_message(
    world, endpoint_for, django_capture_on_commit_callbacks
):
    endpoint_for("https://leverancier.example/hooks")
    _, statements = _to_supplier(world, warm=django_capture_on_commit_callbacks)
    assert WebhookDelivery.objects.count() == 1
    # The endpoint look-up, the UC norm and the insert come on top.
    assert statements <= 13, statements
