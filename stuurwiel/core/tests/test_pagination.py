"""Lists stay flat as an organisation grows: every list is ordered the way one of its
indexes is (leading with ``organisation``, ending with the tie-breaker ``id``), its
page is fetched ids-first, and nothing groups or joins all of the organisation's
rows (the timings are in ``bench/lists_scale.py``; here only what can be seen
without a clock)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stuurwiel.core.pagination import DeferredJoinPaginator
from stuurwiel.graph import selectors as graph_selectors
from stuurwiel.organisations.choices import Role
from stuurwiel.parties import selectors as parties_selectors
from stuurwiel.parties.models import Person, Team

LIST_QUERYSETS = [
    parties_selectors.team_queryset,
    parties_selectors.person_queryset,
    parties_selectors.supplier_queryset,
    parties_selectors.stakeholder_queryset,
    graph_selectors.subject_queryset,
    graph_selectors.element_queryset,
    graph_selectors.relation_queryset,
]


@pytest.mark.parametrize("queryset", LIST_QUERYSETS, ids=lambda q: q.__name__)
def test_each_list_is_ordered_like_an_index_that_leads_with_organisation(queryset):
    qs = queryset()
    order = list(qs.query.order_by)
    assert order[-1] in ("id", "-id"), f"{queryset.__name__}: no tie-breaker in {order}"
    indexes = [list(index.fields) for index in qs.model._meta.indexes]
    assert ["organisation", *order] in indexes, f"{queryset.__name__}: {order} not in {indexes}"


@pytest.mark.django_db
def test_deferred_join_pages_are_the_rows_of_plain_slicing(org_a):
    Person.objects.bulk_create(
        Person(organisation=org_a, name=f"Persoon {i % 3}") for i in range(8)
    )  # equal names: the id decides
    qs = parties_selectors.person_queryset().filter(organisation=org_a)
    paginator = DeferredJoinPaginator(qs, 3)
    assert paginator.count == 8
    for number in paginator.page_range:
        start = (number - 1) * 3
        assert list(paginator.page(number)) == list(qs[start : start + 3])


@pytest.mark.django_db
def test_the_team_list_counts_members_of_its_own_rows_and_groups_nothing(
    client, org_a, make_member
):
    client.force_login(make_member(org_a, Role.ORGANISATION_ADMIN, username="beheerder"))
    busy, empty = (Team.objects.create(organisation=org_a, name=n) for n in ("Alfa", "Beta"))
    Person.objects.bulk_create(
        Person(organisation=org_a, name=f"P{i}", team=busy) for i in range(3)
    )
    for url in (
        reverse("parties:team_list", kwargs={"org": org_a.slug}),
        reverse("parties-api:team-list", kwargs={"org": org_a.slug}),
    ):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        sql = [q["sql"].upper() for q in captured.captured_queries]
        # Counting members groups rows: only of the page's teams, never of all.
        grouped = [s for s in sql if "GROUP BY" in s and "PARTIES_TEAM" in s]
        assert grouped and all('"PARTIES_TEAM"."ID" IN (' in s for s in grouped), grouped
        (count,) = [s for s in sql if s.startswith("SELECT COUNT(*)") and "PARTIES_TEAM" in s]
        assert " JOIN " not in count, count
    page = DeferredJoinPaginator(
        parties_selectors.team_queryset().filter(organisation=org_a), 50
    ).page(1)
    assert [(team.name, team.member_count) for team in page] == [("Alfa", 3), ("Beta", 0)]


@pytest.mark.django_db
def test_a_member_holding_a_role_twice_is_listed_once_by_the_role_filter(
    client, org_a, make_member
):
    from stuurwiel.graph.models import Subject

    user = make_member(org_a, Role.ORGANISATION_ADMIN, Role.OPERATOR, username="beheerder")
    subject = Subject.objects.create(organisation=org_a, name="Verhuizing", kind="service")
    user.memberships.get().role_assignments.create(role=Role.OPERATOR, subject=subject)
    client.force_login(user)
    url = reverse("organisations-api:membership-list", kwargs={"org": org_a.slug})
    response = client.get(url, {"role": Role.OPERATOR})
    assert [row["username"] for row in response.json()["results"]] == ["beheerder"]
