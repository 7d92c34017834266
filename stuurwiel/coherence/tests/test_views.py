"""The coherence pages: what a manager reads, who may read it, and their cost."""

import pytest
from django.urls import reverse

from stuurwiel.graph import services
from stuurwiel.organisations.choices import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def findings(make_rule, proef, subject, element):
    make_rule("part_answered", severity="error", parts=["doel"])
    make_rule("link_expected", link_type="doel-resultaat")
    element("Rapport", "output", proef.resultaat)
    return subject


def test_the_subject_page_gives_each_finding_its_reasoning_source_and_fix(client_a, findings):
    page = client_a.get(reverse("coherence:subject_findings", args=["alfa", findings.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Nog niets beantwoordt “Doel”." in html  # the page is in Dutch
    assert "“Rapport”" in html
    assert reverse("graph:element_add", args=["alfa"]) in html


def test_the_overview_shows_scores_top_findings_and_changes(client_a, findings):
    page = client_a.get(reverse("coherence:overview", args=["alfa"]))
    assert page.status_code == 200
    scores = page.context["scores"]
    assert [s.subject.pk for s in scores] == [findings.pk]
    assert scores[0].latest.checks == 2 and scores[0].latest.passed == 0
    assert [v.finding.severity for v in page.context["top"]][0] == "error"
    assert page.context["changes"].opened == 2


def test_a_requester_may_not_read_findings(client, make_member, org_a, findings):
    client.force_login(make_member(org_a, Role.REQUESTER, username="req"))
    assert client.get(reverse("coherence:overview", args=["alfa"])).status_code == 403
    page = client.get(reverse("coherence:subject_findings", args=["alfa", findings.pk]))
    assert page.status_code == 403


def test_another_organisation_does_not_see_the_subject(client, admin_b, findings):
    client.force_login(admin_b)
    page = client.get(reverse("coherence:subject_findings", args=["beta", findings.pk]))
    assert page.status_code == 404


def test_the_overview_costs_the_same_queries_for_one_subject_or_ten(
    client_a, findings, org_a, admin_a, proef, django_assert_max_num_queries
):
    url = reverse("coherence:overview", args=["alfa"])
    client_a.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client_a.get(url)
    for number in range(9):
        extra = services.subject_create(
            organisation=org_a,
            by=admin_a,
            data={
                "name": f"Onderwerp {number}",
                "kind": "capability",
                "frameworks": [proef.framework],
            },
        )
        services.element_create(
            organisation=org_a,
            by=admin_a,
            data={
                "name": "Rapport",
                "element_type": "output",
                "subject": extra,
                "parts": [proef.resultaat],
            },
        )
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client_a.get(url)
    assert len(page.context["scores"]) == 10
