"""Shared pytest fixtures: two organisations, members with roles, API clients."""

import pytest
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from stuurwiel.organisations.choices import Role
from stuurwiel.organisations.models import Membership, Organisation, RoleAssignment


@pytest.fixture
def make_member(db):
    """``make_member(org, *roles, username=…)`` → a user who is a member with those roles."""

    def factory(organisation, *roles, username=None):
        username = username or f"{organisation.slug}-{'-'.join(roles) or 'none'}"
        user = get_user_model().objects.create_user(username=username, password="pw-Test-123!")
        membership = Membership.objects.create(organisation=organisation, user=user)
        for role in roles:
            RoleAssignment.objects.create(membership=membership, role=role)
        return user

    return factory


@pytest.fixture
def org_a(db):
    return Organisation.objects.create(name="Gemeente Alfa", slug="alfa")


@pytest.fixture
def org_b(db):
    return Organisation.objects.create(name="Gemeente Beta", slug="beta")


@pytest.fixture
def admin_a(make_member, org_a):
    return make_member(org_a, Role.ORGANISATION_ADMIN, username="admin-a")


@pytest.fixture
def auditor_a(make_member, org_a):
    return make_member(org_a, Role.AUDITOR, username="auditor-a")


@pytest.fixture
def admin_b(make_member, org_b):
    return make_member(org_b, Role.ORGANISATION_ADMIN, username="admin-b")


@pytest.fixture
def client_a(client, admin_a):
    client.force_login(admin_a)
    return client


@pytest.fixture
def api_client():
    def factory(user):
        client = APIClient()
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return factory


@pytest.fixture(autouse=True)
def _fresh_chains():
    """Chains are remembered per process after a commit (transactional tests commit):
    a test starts with none, whatever ids an earlier test's rows had."""
    from stuurwiel.calls.routing import forget_chains

    forget_chains()
    yield
