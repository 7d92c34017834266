"""The four models' figures: every part present with its accessible name and a
link, statuses and findings, the text alternative, who may see them, and a query
count that does not grow with the number of elements."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from stuurwiel.diagrams import registry
from stuurwiel.diagrams.choices import PartStatus
from stuurwiel.diagrams.figure import render_svg
from stuurwiel.diagrams.selectors import ELEMENTS_PER_PART, subject_diagram_content
from stuurwiel.frameworks.models import FrameworkPart
from stuurwiel.graph.models import Subject
from stuurwiel.organisations.choices import Role

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}href"
FRAMEWORKS = ["optimum", "idm", "missiegedreven", "usm"]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def figure_of(subject, ref_id, findings=None):
    framework = subject.frameworks.get(ref_id=ref_id)
    content = subject_diagram_content(subject=subject, framework=framework, findings=findings)
    return content, registry.draw(content)


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg.split("?>", 1)[-1])


def part_groups(root: ET.Element) -> dict[str, ET.Element]:
    return {g.get("data-part"): g for g in root.iter(f"{SVG}g") if g.get("data-part")}


def expected_parts(ref_id: str) -> list[FrameworkPart]:
    """What each figure must draw: every part of Optimum, IDM and Missiegedreven;
    of USM the service definition and its cells, the SMA and its elements, the
    processes and the workflow patterns."""
    parts = FrameworkPart.objects.filter(framework__ref_id=ref_id)
    if ref_id != "usm":
        return list(parts)
    top = {"service-definitie", "sma"}
    return [
        part
        for part in parts.select_related("parent")
        if part.ref_id in top
        or (part.parent is not None and part.parent.ref_id in top)
        or part.kind in ("process", "workflow_pattern")
    ]


def _url(name, subject, ref_id, org="alfa"):
    return reverse(f"diagrams:{name}", kwargs={"org": org, "pk": subject.pk, "ref_id": ref_id})


# --- The SVG -------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("ref_id", FRAMEWORKS)
def test_every_part_of_the_library_is_drawn_with_its_accessible_name(make_subject, ref_id):
    subject = make_subject(ref_id)
    _, figure = figure_of(subject, ref_id)
    root = parse(render_svg(figure, standalone=True))
    groups = part_groups(root)
    row_titles = [t.text for a in root.iter(f"{SVG}a") for t in a.findall(f"{SVG}title")]
    for part in expected_parts(ref_id):
        name = str(part.name)
        if part.ref_id in groups:
            link = groups[part.ref_id].find(f"{SVG}a")
            title = link.find(f"{SVG}title")
            assert title.text.startswith(name), (part.ref_id, title.text)
            assert link.get("aria-labelledby") == title.get("id")
            assert link.find(f"{SVG}desc").text
            assert link.get("href") == link.get(XLINK) != ""
        else:  # drawn as a row of its parent's card
            assert any(name in t for t in row_titles), (ref_id, part.ref_id)


@pytest.mark.django_db
@pytest.mark.parametrize("ref_id", FRAMEWORKS)
def test_the_svg_is_an_image_with_a_title_and_a_description(make_subject, ref_id):
    subject = make_subject(ref_id, name="Proef")
    _, figure = figure_of(subject, ref_id)
    root = parse(render_svg(figure))
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    title = root.find(f"{SVG}title")
    assert title.get("id") == title_id and "Proef" in title.text
    assert root.find(f"{SVG}desc").get("id") == desc_id
    assert root.find(f"{SVG}desc").text.strip()


@pytest.mark.django_db
def test_optimum_statuses_follow_the_answers_and_the_lines_their_members(make_subject, answer):
    subject = make_subject("optimum")
    answer(subject, "optimum", "motivatie", "Verbrokkelde informatievoorziening")
    answer(subject, "optimum", "methode", "Architectuurprincipes")
    answer(subject, "optimum", "resultaat", "Minder dubbele applicaties")
    content, figure = figure_of(subject, "optimum")
    status = {view.ref: view.status for view in content.parts}
    assert status["motivatie"] == PartStatus.ANSWERED
    assert status["organisatie"] == PartStatus.UNANSWERED
    assert status["waardecreatie"] == PartStatus.ANSWERED  # motivatie, methode, resultaat
    assert status["governance"] == PartStatus.PARTLY  # only methode of its three
    groups = part_groups(parse(render_svg(figure)))
    texts = "".join(groups["organisatie"].itertext())
    assert "○ Unanswered" in texts and "Nothing answers this yet: click" in texts
    assert groups["motivatie"].get("data-status") == "answered"
    assert "Verbrokkelde informatievoorziening" in "".join(groups["motivatie"].itertext())


@pytest.mark.django_db
def test_an_idm_domain_with_some_sub_areas_answered_is_partly_answered(make_subject, answer):
    subject = make_subject("idm")
    answer(subject, "idm", "output", "Digitale balie")
    content, figure = figure_of(subject, "idm")
    assert content.get("resultaten").status == PartStatus.PARTLY
    assert content.get("output").status == PartStatus.ANSWERED
    assert content.get("richten").status == PartStatus.UNANSWERED
    svg = render_svg(figure)
    cadence = str(content.get("resultaten").part.cadence)
    assert escape(cadence) in svg  # the cadence is on the card


@pytest.mark.django_db
def test_a_usm_pattern_follows_the_processes_on_its_path(make_subject, answer):
    subject = make_subject("usm")
    answer(subject, "usm", "uitvoeren", "Verhuismelding verwerken")
    content, _ = figure_of(subject, "usm")
    assert content.get("wf5").status == PartStatus.ANSWERED  # Uitvoeren only
    assert content.get("wf4").status == PartStatus.PARTLY  # Herstellen → Uitvoeren
    assert [v.ref for v in content.get("wf6").group] == [
        "verbeteren",
        "afspreken",
        "wijzigen",
        "uitvoeren",
    ]


@pytest.mark.django_db
def test_a_part_shows_the_first_elements_and_links_the_rest(make_subject, answer):
    subject = make_subject("optimum")
    part = answer(subject, "optimum", "middelen", "Middel", n=ELEMENTS_PER_PART + 3)
    content, figure = figure_of(subject, "optimum")
    group = part_groups(parse(render_svg(figure)))["middelen"]
    list_url = (
        reverse("graph:element_list", kwargs={"org": "alfa"})
        + f"?subject={subject.pk}&part={quote(part.urn, safe='')}"
    )
    assert group.find(f"{SVG}a").get("href") == list_url
    rows = group.findall(f"{SVG}a")[1:]
    assert len(rows) == ELEMENTS_PER_PART + 1
    assert "+3 more" in "".join(rows[-1].itertext()) and rows[-1].get("href") == list_url
    first = content.get("middelen").elements[0]
    assert rows[0].get("href") == reverse(
        "graph:element_detail", kwargs={"org": "alfa", "pk": first.pk}
    )


@pytest.mark.django_db
def test_an_unanswered_part_links_to_its_place_on_the_subject_page(make_subject):
    subject = make_subject("optimum")
    _, figure = figure_of(subject, "optimum")
    link = part_groups(parse(render_svg(figure)))["resultaat"].find(f"{SVG}a")
    assert link.get("href").endswith(f"/subjects/{subject.pk}/#lens-optimum-resultaat")


@pytest.mark.django_db
def test_open_findings_show_as_a_badge_with_number_and_words(make_subject, frameworks):
    subject = make_subject("optimum")
    part = FrameworkPart.objects.get(framework__ref_id="optimum", ref_id="methode")
    _, figure = figure_of(subject, "optimum", findings={part.pk: 3})
    group = part_groups(parse(render_svg(figure)))["methode"]
    assert "⚠ 3 open findings" in "".join(group.itertext())
    assert "3 open findings" in group.find(f"{SVG}a/{SVG}desc").text
    other = part_groups(parse(render_svg(figure)))["motivatie"]
    assert "⚠" not in "".join(other.itertext())


@pytest.mark.django_db
def test_names_are_escaped(make_subject, answer):
    subject = make_subject("optimum")
    answer(subject, "optimum", "motivatie", "<script>alert(1)</script> & meer")
    _, figure = figure_of(subject, "optimum")
    svg = render_svg(figure, standalone=True)
    assert "<script>" not in svg
    parse(svg)


# --- The pages ---------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("ref_id", FRAMEWORKS)
def test_the_page_shows_the_svg_and_the_same_content_as_a_table(
    client_a, make_subject, answer, ref_id
):
    subject = make_subject(ref_id)
    response = client_a.get(_url("subject_diagram", subject, ref_id))
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("<svg") == 1 and 'role="img"' in body
    groups = body.count('class="part status-')
    assert groups > 0 and body.count('<tr class="status-') == groups
    assert _url("subject_diagram_svg", subject, ref_id) + "?download=1" in body
    assert "data-chain-png" in body  # the PNG is made in the browser
    table = body.split('id="diagram-text"', 1)[1]
    for view in subject_diagram_content(subject=subject, framework=subject.frameworks.get()).parts:
        if f'data-part="{view.ref}"' in body:
            assert f">{escape(view.name)}</a>" in table, view.ref  # the same parts as text
            for child in view.asked_children:  # and the sub-parts drawn as its rows
                assert f">{escape(child.name)}</a>" in table, child.ref


@pytest.mark.django_db
def test_the_svg_file_is_svg_and_downloads_on_request(client_a, make_subject):
    subject = make_subject("idm", name="Agenda 2026")
    shown = client_a.get(_url("subject_diagram_svg", subject, "idm"))
    saved = client_a.get(_url("subject_diagram_svg", subject, "idm") + "?download=1")
    assert shown["Content-Type"].startswith("image/svg+xml")
    assert "Content-Disposition" not in shown
    # The file name is translated ("plaat-…" in Dutch): its end names model and subject.
    assert saved["Content-Disposition"].startswith('attachment; filename="')
    assert saved["Content-Disposition"].endswith('-idm-agenda-2026.svg"')
    parse(saved.content.decode())


@pytest.mark.django_db
def test_the_subject_page_links_each_applied_framework_to_its_diagram(client_a, make_subject):
    subject = make_subject("usm")
    body = client_a.get(reverse("graph:subject_detail", kwargs={"org": "alfa", "pk": subject.pk}))
    assert _url("subject_diagram", subject, "usm") in body.content.decode()


@pytest.mark.django_db
def test_a_framework_not_applied_to_the_subject_has_no_diagram(client_a, make_subject):
    subject = make_subject("optimum")
    assert client_a.get(_url("subject_diagram", subject, "idm")).status_code == 404
    assert client_a.get(_url("subject_diagram", subject, "nothing")).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["subject_diagram", "subject_diagram_svg"])
def test_a_member_of_another_organisation_gets_404(client, admin_b, make_subject, name):
    subject = make_subject("optimum")
    client.force_login(admin_b)
    assert client.get(_url(name, subject, "optimum")).status_code == 404
    assert client.get(_url(name, subject, "optimum", org="beta")).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["subject_diagram", "subject_diagram_svg"])
def test_a_member_without_a_role_may_not_see_it(client, make_member, org_a, make_subject, name):
    subject = make_subject("optimum")
    client.force_login(make_member(org_a))
    assert client.get(_url(name, subject, "optimum")).status_code in (403, 404)


@pytest.mark.django_db
def test_a_supplier_user_scoped_to_another_subject_gets_404(
    client, make_member, org_a, make_subject
):
    subject = make_subject("usm", name="Verhuizing")
    other = Subject.objects.create(organisation=org_a, name="Ander", kind="service")
    user = make_member(org_a, username="leverancier")
    user.memberships.get().role_assignments.create(role=Role.SUPPLIER_USER, subject=other)
    client.force_login(user)
    assert client.get(_url("subject_diagram", subject, "usm")).status_code == 404


# --- Thousands of elements -----------------------------------------------------------


def _queries(client, url) -> int:
    client.get(url)  # warm the session and the access cache alike for both sizes
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.django_db
@pytest.mark.parametrize("ref_id", FRAMEWORKS)
def test_the_query_count_does_not_grow_with_the_elements(
    client_a, make_subject, answer, ref_id, django_assert_max_num_queries
):
    small, large = make_subject(ref_id, name="Klein"), make_subject(ref_id, name="Groot")
    parts = [p for p in expected_parts(ref_id) if p.parent_id is None][:3]
    for part in parts:
        answer(small, ref_id, part.ref_id, "Klein", n=10)
        answer(large, ref_id, part.ref_id, "Groot", n=1000)
    few = _queries(client_a, _url("subject_diagram", small, ref_id))
    many = _queries(client_a, _url("subject_diagram", large, ref_id))
    assert few == many
    with django_assert_max_num_queries(12):
        client_a.get(_url("subject_diagram", large, ref_id))
    with django_assert_max_num_queries(12):
        client_a.get(_url("subject_diagram_svg", large, ref_id))
