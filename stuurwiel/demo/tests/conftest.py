"""The demo data, loaded once per test module (it takes a few seconds)."""

import pytest
from django.db import transaction

from stuurwiel.demo.services import demo_load
from stuurwiel.organisations.models import Organisation


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The demo, loaded once for this module inside a transaction that is rolled
    back afterwards; each test runs in a savepoint within it (the ``db`` fixture)."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield demo_load(history=False)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def report(loaded, db):
    return loaded


@pytest.fixture
def middenstad(report):
    return Organisation.objects.get(slug="middenstad")
