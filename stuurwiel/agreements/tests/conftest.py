import pytest
from django.utils import translation

from stuurwiel.organisations.choices import Role


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English; pages get ``Accept-Language: en`` where it matters."""
    with translation.override("en"):
        yield


@pytest.fixture
def manager_a(make_member, org_a):
    return make_member(org_a, Role.MANAGER, username="manager-a")


@pytest.fixture
def operator_a(make_member, org_a):
    return make_member(org_a, Role.OPERATOR, username="operator-a")


@pytest.fixture
def manager_client(client, manager_a):
    client.force_login(manager_a)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def api_client():
    """As the shared fixture, with answers in English."""
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    def factory(user):
        client = APIClient()
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}", HTTP_ACCEPT_LANGUAGE="en")
        return client

    return factory
