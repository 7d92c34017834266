"""The four bundled libraries, loaded once per test module, and subjects to draw."""

import pytest
from django.db import transaction

from stuurwiel.frameworks.loader import validate_libraries, write_libraries
from stuurwiel.frameworks.models import Framework, FrameworkPart
from stuurwiel.frameworks.services import bundled_library_paths
from stuurwiel.graph.models import Classification, Element, Subject

KINDS = {
    "optimum": "capability",
    "idm": "digitalisation_agenda",
    "missiegedreven": "mission_environment",
    "usm": "service",
}


@pytest.fixture(scope="module")
def libraries(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            write_libraries(validate_libraries(bundled_library_paths()), by=None)
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def frameworks(libraries, db):
    return {framework.ref_id: framework for framework in Framework.objects.all()}


@pytest.fixture
def make_subject(org_a, frameworks):
    def factory(ref_id: str, name: str = "Onderwerp") -> Subject:
        subject = Subject.objects.create(organisation=org_a, name=name, kind=KINDS[ref_id])
        subject.frameworks.add(frameworks[ref_id])
        return subject

    return factory


@pytest.fixture
def answer():
    """``answer(subject, "optimum", "motivatie", "Naam", n=1)`` → elements answering a part."""

    def factory(subject, framework, part_ref, name="Element", n=1):
        part = FrameworkPart.objects.get(framework__ref_id=framework, ref_id=part_ref)
        elements = Element.objects.bulk_create(
            Element(
                organisation=subject.organisation,
                subject=subject,
                name=f"{name} {i:04d}" if n > 1 else name,
                element_type="goal",
            )
            for i in range(n)
        )
        Classification.objects.bulk_create(
            Classification(element=element, part=part) for element in elements
        )
        return part

    return factory
