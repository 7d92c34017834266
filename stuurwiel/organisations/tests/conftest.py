import pytest
from django.utils import translation

from stuurwiel.graph.models import Subject


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English; pages get ``Accept-Language: en`` where it matters."""
    with translation.override("en"):
        yield


@pytest.fixture
def subject_a(org_a):
    return Subject.objects.create(organisation=org_a, name="Verhuizing", kind="service")


@pytest.fixture
def subject_b(org_b):
    return Subject.objects.create(organisation=org_b, name="Geheim", kind="service")


@pytest.fixture
def platform_admin(db):
    """A platform admin (``is_staff``) who is a member of no organisation."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user(
        username="beheer", password="pw-Test-123!", is_staff=True
    )
