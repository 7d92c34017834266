import pytest
from django.contrib.auth import get_user_model

from stuurwiel.frameworks.services import framework_library_load
from stuurwiel.frameworks.tests.samples import alpha

pytestmark = pytest.mark.django_db

LIST = "/api/frameworks/"
DETAIL = "/api/frameworks/alpha/"
PARTS = "/api/frameworks/parts/"


@pytest.fixture
def loaded(write_library):
    framework_library_load(paths=[write_library(alpha())], by=None)


@pytest.fixture
def outsider(api_client):
    """Signed in, but a member of no organisation: libraries are for everyone."""
    user = get_user_model().objects.create_user(username="outsider", password="pw-Test-123!")
    return api_client(user)


def test_anonymous_callers_get_nothing(client, loaded):
    assert client.get(LIST).status_code in (401, 403)
    assert client.get(DETAIL).status_code in (401, 403)


def test_any_signed_in_user_lists_frameworks_with_nested_content(outsider, loaded):
    response = outsider.get(LIST)
    assert response.status_code == 200
    [framework] = response.json()["results"]
    assert framework["ref_id"] == "alpha"
    assert framework["name"] == {"nl": "Alfamodel", "en": "Alpha model"}
    assert [part["ref_id"] for part in framework["parts"]] == ["sturing", "besluiten", "resultaat"]


def test_detail_by_ref_id_has_parts_questions_link_types_and_rules(outsider, loaded):
    data = outsider.get(DETAIL).json()
    parts = {part["ref_id"]: part for part in data["parts"]}
    assert parts["besluiten"]["parent"] == "sturing" and parts["sturing"]["parent"] is None
    assert parts["sturing"]["short_question"] == {"nl": "Wie stuurt?", "en": "Who steers?"}
    assert parts["sturing"]["element_types"] == ["role", "decision"]
    assert parts["sturing"]["questions"][1] == {
        "urn": "urn:test:framework:alpha:sturing:q2",
        "ref_id": "q2",
        "text": {"nl": "Hoe vaak wordt er bijgestuurd?", "en": "How often is it adjusted?"},
        "source": "seed 000",
    }
    assert data["link_types"][0]["source"] == "sturing"
    assert data["link_types"][0]["relation_type"] == "influence"
    assert parts["sturing"]["assessable"] is True
    assert parts["sturing"]["provenance"] == {"kind": "", "ref": ""}
    assert data["rules"][0]["provenance"] == {"kind": "", "ref": ""}
    assert {rule["ref_id"]: rule["kind"] for rule in data["rules"]} == {
        "all-answered": "part_answered",
        "separate": "role_separation",
    }


def test_an_unknown_framework_is_404(outsider, loaded):
    assert outsider.get("/api/frameworks/nope/").status_code == 404


def test_the_api_is_read_only(outsider, loaded):
    assert outsider.post(LIST, {}, format="json").status_code == 405
    assert outsider.delete(DETAIL).status_code == 405


def test_parts_can_be_searched_by_framework_kind_and_words(outsider, loaded):
    by_kind = outsider.get(PARTS, {"framework": "alpha", "kind": "step"}).json()
    assert [part["ref_id"] for part in by_kind["results"]] == ["besluiten"]
    by_question = outsider.get(PARTS, {"q": "bijgestuurd"}).json()
    assert [part["ref_id"] for part in by_question["results"]] == ["sturing"]
    assert by_question["results"][0]["framework"] == "alpha"


def test_the_list_query_count_does_not_grow_with_frameworks(
    outsider, write_library, django_assert_max_num_queries
):
    framework_library_load(paths=[write_library(alpha())], by=None)
    with django_assert_max_num_queries(10) as one:
        outsider.get(LIST)
    for number in range(5):
        data = alpha(urn=f"urn:test:framework:n{number}", ref_id=f"n{number}")
        framework_library_load(paths=[write_library(data, f"n{number}.yaml")], by=None)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert outsider.get(LIST).json()["count"] == 6
