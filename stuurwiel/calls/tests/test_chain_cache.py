"""The chain a call is routed along is read once per design version: remembered
only after a commit, and never across a change of the design."""

from __future__ import annotations

import pytest
from django.db import transaction

from stuurwiel.calls import routing
from stuurwiel.services.services import service_design_changed


@pytest.mark.django_db(transaction=True)
def test_a_committed_chain_is_remembered_until_the_design_changes(world, django_assert_num_queries):
    service = world.service
    with transaction.atomic():
        first = routing.chain_of(service)
    with django_assert_num_queries(0):
        assert routing.chain_of(service) is first
    assert [link.pk for link in first.links] == [
        world.links.front.pk,
        world.links.specialists.pk,
        world.links.supplier.pk,
    ]
    assert routing.passes(first, None, world.links.front) == "De melding van de burger"
    assert routing.passes(first, world.links.front, world.links.specialists).startswith(
        "Geclassificeerde"
    )
    assert routing.passes(first, world.links.front, world.links.supplier) == ""
    service_design_changed(service_id=service.pk)
    service.refresh_from_db()
    assert routing.chain_of(service) is not first


@pytest.mark.django_db(transaction=True)
def test_a_chain_read_in_a_rolled_back_transaction_is_not_remembered(world):
    service = world.service
    with transaction.atomic():
        read = routing.chain_of(service)
        transaction.set_rollback(True)
    assert routing.chain_of(service) is not read
