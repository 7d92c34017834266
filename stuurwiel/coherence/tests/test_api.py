"""The findings and scores API: read-only JSON for whoever holds coherence.view,
filtered by subject, framework, severity and state, scoped to the organisation."""

import pytest

from stuurwiel.coherence import engine
from stuurwiel.coherence.models import Finding
from stuurwiel.graph import services
from stuurwiel.organisations.choices import Role

pytestmark = pytest.mark.django_db
BASE = "/api/o/alfa/coherence"


@pytest.fixture
def findings(make_rule, proef, subject, element, org_a, admin_a):
    make_rule("part_answered", severity="error", parts=["doel"])
    make_rule("link_expected", link_type="doel-resultaat")
    element("Rapport", "output", proef.resultaat)
    other = services.subject_create(
        organisation=org_a,
        by=admin_a,
        data={"name": "Tweede onderwerp", "kind": "capability", "frameworks": [proef.framework]},
    )
    engine.evaluate(organisation=org_a)
    return subject, other


@pytest.fixture
def api(api_client, admin_a):
    return api_client(admin_a)


def _rows(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_the_list_gives_each_finding_with_its_reasoning_in_words(api, findings):
    rows = _rows(api.get(f"{BASE}/findings/", HTTP_ACCEPT_LANGUAGE="en"))
    # Both subjects: "nothing answers Doel"; the first also: Rapport has no link.
    assert sorted((r["subject_name"], r["rule_kind"]) for r in rows) == [
        ("Proefonderwerp", "link_expected"),
        ("Proefonderwerp", "part_answered"),
        ("Tweede onderwerp", "part_answered"),
    ]
    answered = next(r for r in rows if r["rule_kind"] == "part_answered")
    assert answered["text"] == "Nothing answers “Doel” yet."
    assert answered["framework"] == "proef" and answered["state"] == "open"


def test_the_filters_narrow_the_list(api, findings):
    subject, other = findings
    by_subject = _rows(api.get(f"{BASE}/findings/", {"subject": other.pk}))
    assert {r["subject"] for r in by_subject} == {other.pk}
    errors = _rows(api.get(f"{BASE}/findings/", {"severity": "error"}))
    assert len(errors) == 2 and {r["severity"] for r in errors} == {"error"}
    assert len(_rows(api.get(f"{BASE}/findings/", {"framework": "proef"}))) == 3
    assert _rows(api.get(f"{BASE}/findings/", {"state": "resolved"})) == []
    Finding.objects.filter(subject=other).update(status="resolved")
    assert len(_rows(api.get(f"{BASE}/findings/", {"state": "resolved"}))) == 1
    assert api.get(f"{BASE}/findings/", {"severity": "fatal"}).status_code == 400


def test_the_scores_give_score_and_trend_per_subject_and_framework(api, findings):
    response = api.get(f"{BASE}/scores/")
    assert response.status_code == 200
    scores = {row["subject_name"]: row for row in response.json()}
    assert set(scores) == {"Proefonderwerp", "Tweede onderwerp"}
    first = scores["Proefonderwerp"]
    assert first["framework"] == "proef"
    assert (first["checks"], first["passed"], first["errors"], first["warnings"]) == (2, 0, 1, 1)
    assert first["score"] == 0 and first["trend"] == [0]
    assert api.get(f"{BASE}/scores/", {"since": "gisteren"}).status_code == 400


def test_another_organisation_sees_none_of_them(api_client, admin_b, findings):
    api = api_client(admin_b)
    assert api.get(f"{BASE}/findings/").status_code == 404
    assert api.get(f"{BASE}/scores/").status_code == 404
    assert _rows(api.get("/api/o/beta/coherence/findings/")) == []
    assert api.get("/api/o/beta/coherence/scores/").json() == []


def test_a_role_without_coherence_view_is_refused(api_client, make_member, org_a, findings):
    api = api_client(make_member(org_a, Role.REQUESTER, username="inwoner"))
    assert api.get(f"{BASE}/findings/").status_code == 403
    assert api.get(f"{BASE}/scores/").status_code == 403


def test_the_api_is_read_only(api, findings):
    assert api.post(f"{BASE}/findings/", {}, format="json").status_code == 405
