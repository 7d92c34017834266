import pytest

from stuurwiel.calls.definitions import forget_snapshots
from stuurwiel.calls.tests.conftest import build_world


@pytest.fixture
def world(org_a, make_member):
    """The calls tests' world (a live service, three links, every role), each
    member with an e-mail address."""
    forget_snapshots()
    world = build_world(org_a, make_member)
    for value in vars(world).values():
        if hasattr(value, "email") and hasattr(value, "username"):
            value.email = f"{value.username}@example.org"
            value.save(update_fields=["email"])
    yield world
    forget_snapshots()
