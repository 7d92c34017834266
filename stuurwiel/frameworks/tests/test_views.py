import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from stuurwiel.changelog.models import ChangeLogEntry
from stuurwiel.frameworks.models import Framework
from stuurwiel.frameworks.services import framework_library_load
from stuurwiel.frameworks.tests.samples import alpha, beta, row_counts

pytestmark = pytest.mark.django_db

LIST = reverse("frameworks:framework_list", kwargs={"org": "alfa"})
DETAIL = reverse("frameworks:framework_detail", kwargs={"org": "alfa", "ref_id": "alpha"})
LOAD = reverse("frameworks:framework_load", kwargs={"org": "alfa"})


@pytest.fixture
def loaded(write_library):
    framework_library_load(paths=[write_library(alpha())], by=None)


def load_numbered(write_library, count):
    for number in range(count):
        data = alpha(urn=f"urn:test:framework:n{number}", ref_id=f"n{number}")
        framework_library_load(paths=[write_library(data, f"n{number}.yaml")], by=None)


def upload(name, data):
    return SimpleUploadedFile(name, yaml.safe_dump(data, allow_unicode=True).encode())


@pytest.fixture
def staff_client(client, admin_a):
    admin_a.is_staff = True
    admin_a.save()
    client.force_login(admin_a)
    return client


def test_list_shows_a_card_per_framework_with_its_counts(client_a, loaded):
    response = client_a.get(LIST)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Alfamodel" in html and "Testbureau" in html
    assert 'href="/o/alfa/frameworks/alpha/"' in html
    assert "<dd>3</dd>" in html  # parts and questions


def test_detail_renders_the_library_in_dutch_by_default(client_a, loaded):
    html = client_a.get(DETAIL).content.decode()
    assert "Sturing" in html and "Wie stuurt?" in html and "Hoe vaak wordt er bijgestuurd?" in html
    assert "Steering" not in html and "Who steers?" not in html
    assert "Sturing bepaalt Resultaat" in html and "Scheid de rollen." in html
    assert 'id="part-besluiten"' in html  # the child part, nested in the tree


def test_detail_shows_attributes_readably_with_their_sources(client_a, write_library):
    data = alpha()
    data["parts"][1]["attributes"] = {
        "quote": {"nl": "Een zin uit het boek.", "en": "A sentence from the book."},
        "quote_source": "Alfaboek, §3.2",
        "indicators": [{"nl": "eerste", "en": "first"}, {"nl": "tweede", "en": "second"}],
        "specifies": "sturing",
        "optional": True,
    }
    data["parts"][1]["source"] = {"kind": "reading", "ref": "naar §3"}
    data["link_types"][0]["source"] = {"kind": "cited", "ref": "Ander boek (2020)"}
    framework_library_load(paths=[write_library(data)], by=None)
    html = client_a.get(DETAIL).content.decode()
    assert "<dt>citaat</dt>" in html and "Een zin uit het boek." in html
    assert "Bron: Alfaboek, §3.2" in html
    assert "<dt>quote source</dt>" not in html and "quote_source" not in html
    assert "<li>eerste</li><li>tweede</li>" in html and "{&#x27;nl&#x27;" not in html
    assert '<a href="#part-sturing">Sturing</a>' in html  # a part's reference, named
    assert "<dt>optioneel</dt>" in html and ">ja" in html
    assert 'Onze lezing</span> <span class="fw-provenance-ref">naar §3' in html
    assert 'Uit een andere bron</span> <span class="fw-provenance-ref">Ander boek (2020)' in html
    assert "Waar de inhoud vandaan komt" in html  # the legend of the three labels


def test_detail_shows_the_full_attribution(client_a, write_library):
    data = alpha()
    data["source"] = {
        "title": "Het Alfaboek",
        "author": "A. Auteur",
        "edition": "Eerste editie — 2026",
        "license": "CC BY-NC-ND 4.0",
        "license_url": "https://creativecommons.org/licenses/by-nc-nd/4.0/",
    }
    framework_library_load(paths=[write_library(data)], by=None)
    html = client_a.get(DETAIL).content.decode()
    assert "A. Auteur" in html and "Eerste editie — 2026" in html
    assert '<a href="https://creativecommons.org/licenses/by-nc-nd/4.0/" rel="license' in html


def test_detail_renders_in_english_after_the_language_switch(client_a, loaded):
    client_a.post(reverse("set_language"), {"language": "en", "next": DETAIL})
    html = client_a.get(DETAIL).content.decode()
    assert "Steering" in html and "Who steers?" in html and "How often is it adjusted?" in html
    assert "Wie stuurt?" not in html
    assert "Separate the roles." in html


def test_an_unknown_framework_is_404(client_a, loaded):
    url = reverse("frameworks:framework_detail", kwargs={"org": "alfa", "ref_id": "nope"})
    assert client_a.get(url).status_code == 404


def test_a_member_without_the_frameworks_permission_is_refused(client, org_a, make_member, loaded):
    client.force_login(make_member(org_a))  # a member without roles opens nothing
    assert client.get(LIST).status_code == 403
    assert client.get(DETAIL).status_code == 403


def test_the_part_search_finds_a_guiding_question(client_a, loaded):
    response = client_a.get(LIST, {"q": "bijgestuurd"})
    html = response.content.decode()
    assert 'href="/o/alfa/frameworks/alpha/#part-sturing"' in html
    assert "#part-resultaat" not in html


def test_the_part_search_answers_htmx_with_the_results_only(client_a, loaded):
    response = client_a.get(LIST, {"kind": "step"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "#part-besluiten" in html and "<html" not in html


def test_the_list_page_query_count_does_not_grow_with_frameworks(
    client_a, write_library, django_assert_max_num_queries
):
    load_numbered(write_library, 1)
    with django_assert_max_num_queries(10) as one:
        client_a.get(LIST)
    load_numbered(write_library, 6)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client_a.get(LIST).content.decode().count('class="card fw-card"') == 6


def test_the_detail_page_query_count_does_not_grow_with_parts(
    client_a, write_library, django_assert_max_num_queries
):
    framework_library_load(paths=[write_library(alpha())], by=None)
    with django_assert_max_num_queries(12) as small:
        client_a.get(DETAIL)
    bigger = alpha(version=2)
    bigger["parts"] += [
        {"ref_id": f"extra{n}", "kind": "aspect", "name": {"nl": f"E{n}", "en": f"E{n}"}}
        for n in range(10)
    ]
    framework_library_load(paths=[write_library(bigger)], by=None)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client_a.get(DETAIL)


def test_the_load_page_is_403_for_non_staff(client_a):
    assert client_a.get(LOAD).status_code == 403
    response = client_a.post(LOAD, {"files": upload("alpha.yaml", alpha())})
    assert response.status_code == 403
    assert not Framework.objects.exists()


def test_the_load_page_is_404_for_staff_outside_the_organisation(client, admin_b):
    admin_b.is_staff = True
    admin_b.save()
    client.force_login(admin_b)
    assert client.get(LOAD).status_code == 404


def test_staff_load_uploaded_libraries_and_see_the_report(staff_client, admin_a):
    response = staff_client.post(
        LOAD, {"files": [upload("alpha.yaml", alpha()), upload("beta.yaml", beta())]}
    )
    assert response.status_code == 200
    assert set(Framework.objects.values_list("ref_id", flat=True)) == {"alpha", "beta"}
    assert "Alfamodel" in response.content.decode()
    before = row_counts()
    again = staff_client.post(LOAD, {"files": [upload("alpha.yaml", alpha())]})
    assert again.status_code == 200 and row_counts() == before
    entry = ChangeLogEntry.objects.filter(object_repr="Alfamodel").get()
    assert (entry.actor, entry.source) == (admin_a, "ui")


def test_the_load_page_lists_every_error_and_writes_nothing(staff_client):
    broken = beta()
    broken["link_types"][0]["from"] = "ghost"
    broken["parts"][1]["refs"]["depends_on"] = ["phantom"]
    response = staff_client.post(
        LOAD, {"files": [upload("alpha.yaml", alpha()), upload("beta.yaml", broken)]}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "<code>link_types[0].from</code>" in html
    assert "<code>parts[1].refs.depends_on[0]</code>" in html
    assert "beta.yaml" in html
    assert set(row_counts().values()) == {0}


def test_the_load_page_refuses_files_that_are_not_yaml(staff_client):
    response = staff_client.post(LOAD, {"files": SimpleUploadedFile("notes.txt", b"urn: x")})
    assert response.status_code == 400 and not Framework.objects.exists()
