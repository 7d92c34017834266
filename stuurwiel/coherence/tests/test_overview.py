"""The management overview beyond the scores: the trend drawn as a sparkline,
a manager marking a review (the next "since"), and the services' chain
performance read from the dashboard's norm figures."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from stuurwiel.changelog.models import ChangeLogEntry
from stuurwiel.coherence import selectors
from stuurwiel.coherence.models import CoherenceReview, FindingSnapshot
from stuurwiel.coherence.services import coherence_review_mark
from stuurwiel.organisations.access import AccessDenied
from stuurwiel.organisations.choices import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def findings(make_rule, proef, subject, element):
    make_rule("part_answered", severity="error", parts=["doel"])
    make_rule("link_expected", link_type="doel-resultaat")
    element("Rapport", "output", proef.resultaat)
    return subject


def test_a_sparkline_runs_from_the_oldest_score_to_the_latest():
    line = selectors.sparkline([0, 50, 100])
    assert line is not None
    points = [tuple(map(float, p.split(","))) for p in line.points.split()]
    xs, ys = [x for x, _y in points], [y for _x, y in points]
    assert xs == sorted(xs) and xs[0] < xs[-1] <= selectors.SPARK_WIDTH
    # 0 % at the bottom, 100 % at the top.
    assert ys[0] > ys[1] > ys[2]
    assert (line.last_x, line.last_y) == points[-1]
    assert (line.first, line.last, line.count) == (0, 100, 3)


def test_one_score_has_no_trend_to_draw():
    assert selectors.sparkline([70]) is None
    assert selectors.sparkline([]) is None


def test_the_overview_draws_the_trend_from_the_snapshots(client_a, findings, proef):
    today = FindingSnapshot.objects.get(subject=findings).day
    for days, passed in ((20, 2), (10, 1)):
        FindingSnapshot.objects.create(
            organisation=findings.organisation,
            subject=findings,
            framework=proef.framework,
            day=today - timedelta(days=days),
            checks=2,
            passed=passed,
        )
    page = client_a.get(reverse("coherence:overview", args=["alfa"]))
    (score,) = page.context["scores"]
    assert score.points == [100, 50, 0]
    html = page.content.decode()
    assert f'<polyline points="{score.spark.points}"' in html
    # Coordinates stay numbers in Dutch too (no decimal comma in an SVG attribute).
    assert f'cx="{score.spark.last_x}"' in html
    assert "Van 100 naar 0 procent over 3 evaluaties" in html or "From 100 to 0" in html


def test_a_manager_marks_a_review_and_the_overview_counts_from_it(
    client, make_member, org_a, findings
):
    manager = make_member(org_a, Role.MANAGER, username="manager-a")
    client.force_login(manager)
    url = reverse("coherence:overview", args=["alfa"])
    before = client.get(url)
    assert before.context["review"] is None and before.context["may_review"]
    assert before.context["changes"].opened == 2

    answer = client.post(reverse("coherence:review_mark", args=["alfa"]), {"note": "MT"})
    assert answer.status_code == 302
    review = CoherenceReview.objects.get(organisation=org_a)
    assert review.note == "MT" and review.reviewed_by == manager
    assert ChangeLogEntry.objects.filter(object_id=review.pk, actor=manager).exists()

    after = client.get(url)
    assert after.context["review"] == review
    assert after.context["changes"].opened == 0
    # A date asked for still wins over the review.
    asked = client.get(url, {"since": (date.today() - timedelta(days=5)).isoformat()})
    assert asked.context["since_asked"] and asked.context["changes"].opened == 2


def test_only_those_who_steer_may_mark_a_review(client, make_member, org_a, findings):
    auditor = make_member(org_a, Role.AUDITOR, username="auditor-a")
    client.force_login(auditor)
    assert not client.get(reverse("coherence:overview", args=["alfa"])).context["may_review"]
    assert client.post(reverse("coherence:review_mark", args=["alfa"])).status_code == 403
    with pytest.raises(AccessDenied):
        coherence_review_mark(organisation=org_a, by=auditor)
    assert not CoherenceReview.objects.exists()


def test_the_overview_says_why_there_is_no_chain_performance(client_a, findings):
    page = client_a.get(reverse("coherence:overview", args=["alfa"]))
    assert page.context["chains"] == []
    assert page.context["sees_dashboard"]
    assert 'aria-labelledby="chains-h"' in page.content.decode()


def test_the_overview_shows_each_services_chain_performance(client_a, org_a, make_member):
    from stuurwiel.calls.tests.conftest import build_world
    from stuurwiel.dashboard.tests.conftest import clock, make_call

    world = build_world(org_a, make_member)
    for state in ("met", "met", "breached"):
        clock(world, make_call(world, registered_at=None), state=state)
    page = client_a.get(reverse("coherence:overview", args=["alfa"]))
    (chain,) = page.context["chains"]
    assert chain.service == world.service.name
    (row,) = chain.rows
    assert (row.norm_kind, row.met, row.breached, row.percent_met) == ("resolution", 2, 1, 67)
    assert row.on_target is False
    html = page.content.decode()
    assert "✗ 67 %" in html
