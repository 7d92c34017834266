"""Query budgets: list pages, API lists, the lens and an element's page cost the
same number of queries for 5 rows as for 50."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stuurwiel.graph.models import Classification, Element, Relation, Subject
from stuurwiel.parties.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def grow(org_a, compass, service_subject):
    """``grow(n)`` adds subjects, elements (each answering two parts, with an
    owner) and relations until there are ``n`` of each."""
    owner = Person.objects.create(organisation=org_a, name="Eigenaar")

    def add(n):
        start = Element.objects.count()
        for i in range(start, n):
            subject = Subject.objects.create(
                organisation=org_a, name=f"Onderwerp {i:03d}", kind="service", owner=owner
            )
            subject.frameworks.add(compass.framework)
            element = Element.objects.create(
                organisation=org_a,
                subject=service_subject,
                name=f"Element {i:03d}",
                element_type="goal",
                owner=owner,
            )
            Classification.objects.create(element=element, part=compass.why)
            Classification.objects.create(element=element, part=compass.what)
            hub = Element.objects.filter(name="Element 000").first() or element
            if hub != element:
                Relation.objects.create(
                    organisation=org_a,
                    source=hub,
                    target=element,
                    relation_type="influence",
                    link_type=compass.link,
                )
                Relation.objects.create(
                    organisation=org_a, source=element, target=hub, relation_type="flow"
                )

    return add


def _queries(fetch) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = fetch()
    assert response.status_code == 200, response.content[:500]
    return len(queries)


def _same_for_5_and_50(grow, fetch, check=None):
    grow(5)
    few = _queries(fetch)
    grow(50)
    if check:
        check(fetch())
    assert _queries(fetch) == few


@pytest.mark.parametrize("name", ["subject_list", "element_list", "relation_list"])
def test_list_page_query_count_is_the_same_for_5_and_50_rows(client_a, grow, name):
    url = reverse(f"graph:{name}", kwargs={"org": "alfa"})

    def check(response):
        assert "Element 049" in response.content.decode() or name == "subject_list"

    _same_for_5_and_50(grow, lambda: client_a.get(url), check)


@pytest.mark.parametrize("path", ["subjects", "elements", "relations"])
def test_api_list_query_count_is_the_same_for_5_and_50_rows(api_client, admin_a, grow, path):
    api = api_client(admin_a)

    def check(response):
        assert response.json()["count"] >= 50

    _same_for_5_and_50(grow, lambda: api.get(f"/api/o/alfa/model/{path}/"), check)


def test_filtered_element_list_query_count_is_the_same(client_a, grow, compass):
    url = reverse("graph:element_list", kwargs={"org": "alfa"})
    params = {"part": compass.why.urn, "framework": "kompas", "element_type": "goal", "q": "Elem"}
    _same_for_5_and_50(grow, lambda: client_a.get(url, params))


def test_lens_query_count_does_not_grow_with_the_elements(client_a, grow, service_subject):
    url = reverse("graph:subject_detail", kwargs={"org": "alfa", "pk": service_subject.pk})

    def check(response):
        assert "and 40 more" in response.content.decode()  # 50 answers, 10 listed

    _same_for_5_and_50(grow, lambda: client_a.get(url, HTTP_ACCEPT_LANGUAGE="en"), check)


def test_element_page_query_count_does_not_grow_with_its_relations(client_a, grow):
    def fetch():
        hub = Element.objects.get(name="Element 000")
        return client_a.get(reverse("graph:element_detail", kwargs={"org": "alfa", "pk": hub.pk}))

    _same_for_5_and_50(grow, fetch)


def test_deferred_join_pages_equal_plain_pages(grow, org_a):
    from django.core.paginator import Paginator

    from stuurwiel.graph.selectors import DeferredJoinPaginator, element_queryset

    grow(23)
    queryset = element_queryset().filter(organisation=org_a).order_by("-name", "id")
    for number in (1, 2, 3):
        plain = list(Paginator(queryset, 10).page(number).object_list)
        deferred = DeferredJoinPaginator(queryset, 10).page(number)
        assert deferred.object_list == plain and deferred.number == number
        assert [e.part_names for e in deferred] == [e.part_names for e in plain]
