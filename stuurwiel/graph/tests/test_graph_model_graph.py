"""The model graph: filters, the focus at depth 1 and 2, aggregation above the cap,
links that refocus, accessible names in the SVG, permissions, isolation and a
query count that does not grow with the model."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stuurwiel.diagrams.palette import INK, MUTED, contrast_ratio
from stuurwiel.graph import graph_selectors
from stuurwiel.graph.choices import ElementLayer
from stuurwiel.graph.modelgraph import LAYER_STYLES
from stuurwiel.graph.models import Classification, Element, Relation, Subject
from stuurwiel.organisations.choices import Role

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


def url(name="model_graph", org="alfa"):
    return reverse(f"graph:{name}", kwargs={"org": org})


def body(response) -> str:
    assert response.status_code == 200, response.content[:400]
    return response.content.decode()


def svg_of(page: str) -> ET.Element:
    match = re.search(r"<svg .*?</svg>", page, re.S)
    assert match, "no SVG on the page"
    return ET.fromstring(match.group(0))


def nodes(svg: ET.Element) -> dict[str, str]:
    """Each node link's accessible name → its href."""
    return {a.get("aria-label"): a.get("href") for a in svg.iter(f"{SVG}a") if a.get("aria-label")}


@pytest.fixture
def model(org_a, compass, service_subject):
    """A small model: a goal served by a process, realised by an application, and
    influenced by a driver; the application serves a second process (depth 2)."""
    other = Subject.objects.create(organisation=org_a, name="Vergunningen", kind="service")

    def element(name, element_type, subject=service_subject, part=None):
        made = Element.objects.create(
            organisation=org_a, subject=subject, name=name, element_type=element_type
        )
        if part is not None:
            Classification.objects.create(element=made, part=part)
        return made

    goal = element("Snelle verhuizing", "goal", part=compass.what)
    driver = element("Te lange wachttijd", "driver", part=compass.why)
    process = element("Verhuizing verwerken", "process")
    app = element("Zaaksysteem", "application")
    far = element("Vergunning verlenen", "process", subject=other)

    def relate(source, relation_type, target):
        return Relation.objects.create(
            organisation=org_a, source=source, target=target, relation_type=relation_type
        )

    relate(driver, "influence", goal)
    relate(process, "realization", goal)
    relate(app, "serving", process)
    relate(app, "serving", far)
    return type(
        "Model",
        (),
        {
            "goal": goal,
            "driver": driver,
            "process": process,
            "app": app,
            "far": far,
            "other": other,
        },
    )


def test_the_overview_draws_the_elements_and_their_relations(client_a, model):
    page = body(client_a.get(url()))
    svg = svg_of(page)
    names = " ".join(nodes(svg))
    for element in (model.goal, model.driver, model.process, model.app, model.far):
        assert element.name in names
    edges = [g for g in svg.iter(f"{SVG}g") if "edge" in (g.get("class") or "").split()]
    assert len(edges) == 4
    # The relation notation is ArchiMate's: a realisation is dashed with a hollow triangle.
    realisation = next(g for g in edges if "relation-realization" in g.get("class"))
    line = realisation.find(f"{SVG}line")
    assert line.get("stroke-dasharray") == "6 4"
    assert line.get("marker-end") == "url(#mg-triangle-open)"


def test_the_subject_and_type_filters_narrow_the_overview(client_a, model):
    names = " ".join(nodes(svg_of(body(client_a.get(url(), {"subject": model.other.pk})))))
    assert model.far.name in names and model.goal.name not in names
    names = " ".join(nodes(svg_of(body(client_a.get(url(), {"element_type": "process"})))))
    assert model.process.name in names and model.far.name in names
    assert model.app.name not in names


def test_the_framework_filter_keeps_the_elements_answering_its_parts(client_a, model, compass):
    page = body(client_a.get(url(), {"framework": compass.framework.ref_id}))
    names = " ".join(nodes(svg_of(page)))
    assert model.goal.name in names and model.driver.name in names
    assert model.app.name not in names


def test_the_text_search_and_relation_type_filter(client_a, model):
    names = " ".join(nodes(svg_of(body(client_a.get(url(), {"q": "verhuizing"})))))
    assert model.goal.name in names and model.app.name not in names
    svg = svg_of(body(client_a.get(url(), {"relation_type": "serving"})))
    classes = [
        g.get("class") for g in svg.iter(f"{SVG}g") if "edge" in (g.get("class") or "").split()
    ]
    assert classes == ["edge relation-serving", "edge relation-serving"]


def test_the_focus_puts_the_element_in_the_centre_with_its_neighbours_labelled(client_a, model):
    page = body(client_a.get(url(), {"focus": model.goal.pk}))
    svg = svg_of(page)
    links = nodes(svg)
    centre = next(name for name in links if "in focus" in name or "in focus" in name)
    assert model.goal.name in centre
    assert links[centre] == model.goal.get_absolute_url()
    names = " ".join(links)
    assert model.driver.name in names and model.process.name in names
    # Depth 1: the application (two steps away) is not drawn.
    assert model.app.name not in names
    labels = [t.text for t in svg.iter(f"{SVG}text")]
    # Edges are labelled with the relation type in Dutch, with their direction.
    assert "← Invloed" in labels and "← Realisatie" in labels


def test_depth_two_draws_the_neighbours_of_the_neighbours(client_a, model):
    page = body(client_a.get(url(), {"focus": model.goal.pk, "depth": "2"}))
    names = " ".join(nodes(svg_of(page)))
    assert model.app.name in names
    assert model.far.name not in names  # three steps away


def test_every_node_refocuses_with_a_plain_link_that_keeps_the_filters(client_a, model):
    page = body(client_a.get(url(), {"focus": model.goal.pk, "relation_type": "realization"}))
    links = nodes(svg_of(page))
    target = next(href for name, href in links.items() if model.process.name in name)
    assert f"focus={model.process.pk}" in target and "relation_type=realization" in target
    assert model.driver.name not in " ".join(links)  # influence is filtered out
    page = body(client_a.get(target))
    assert model.goal.name in " ".join(nodes(svg_of(page)))


def test_every_node_has_an_accessible_name_and_the_svg_a_title(client_a, model):
    svg = svg_of(body(client_a.get(url(), {"focus": model.process.pk, "depth": "2"})))
    assert svg.get("role") == "img"
    assert svg.find(f"{SVG}title").text and svg.find(f"{SVG}desc").text
    anchors = list(svg.iter(f"{SVG}a"))
    assert anchors
    for anchor in anchors:
        label = anchor.get("aria-label")
        assert label and anchor.find(f"{SVG}title").text == label
        assert anchor.get("href")


def test_the_neighbours_are_capped_with_a_link_to_the_rest(client_a, org_a, model):
    cap = graph_selectors.NEIGHBOURS_PER_GROUP
    for i in range(cap + 4):
        extra = Element.objects.create(
            organisation=org_a,
            subject=model.goal.subject,
            name=f"Taak {i:02d}",
            element_type="process",
        )
        Relation.objects.create(
            organisation=org_a, source=model.app, target=extra, relation_type="serving"
        )
    links = nodes(svg_of(body(client_a.get(url(), {"focus": model.app.pk}))))
    more = [name for name in links if name.startswith("6 ")]
    assert more, links
    assert f"source={model.app.pk}" in links[more[0]] and "relation_type=serving" in links[more[0]]
    # The first by name ("Taak 00" …), then "+6 more" for the rest (with process and far).
    assert sum(1 for name in links if "Taak" in name) == cap


def test_above_the_cap_the_overview_counts_per_type(client_a, org_a, model, compass):
    for i in range(graph_selectors.OVERVIEW_CAP):
        Element.objects.create(
            organisation=org_a, subject=model.other, name=f"Doel {i:03d}", element_type="goal"
        )
    page = body(client_a.get(url(), {"framework": ""}))
    links = nodes(svg_of(page))
    goals = next(name for name in links if name.startswith("Doel: 151"))
    assert "element_type=goal" in links[goals]
    assert "Doel 000" not in " ".join(links)
    assert "cannot be drawn one by one" in page or "niet één voor één" in page


def test_the_svg_file_is_the_current_view_and_downloads(client_a, model):
    response = client_a.get(url("model_graph_svg"), {"focus": model.goal.pk, "download": "1"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    assert "attachment" in response["Content-Disposition"]
    svg = ET.fromstring(response.content)
    assert model.driver.name in " ".join(nodes(svg))


def test_a_focus_the_member_may_not_see_is_404(client, make_member, org_a, org_b, model):
    stranger = Element.objects.create(organisation=org_b, name="Elders", element_type="goal")
    client.force_login(make_member(org_a, Role.ORGANISATION_ADMIN, username="beheerder2"))
    assert client.get(url(), {"focus": stranger.pk}).status_code == 404


def test_a_member_of_another_organisation_gets_404(client, admin_b, model):
    client.force_login(admin_b)
    assert client.get(url()).status_code == 404
    assert client.get(url("model_graph_svg")).status_code == 404


def test_a_member_without_the_graph_read_permission_gets_403(client, make_member, org_a, model):
    client.force_login(make_member(org_a, Role.REQUESTER, username="aanvrager"))
    assert client.get(url()).status_code == 403


def test_a_supplier_scoped_to_a_subject_sees_only_that_subject(client, make_member, org_a, model):
    from stuurwiel.organisations.models import RoleAssignment

    user = make_member(org_a, Role.SUPPLIER_USER, username="leverancier")
    RoleAssignment.objects.filter(membership__user=user).update(subject=model.other)
    client.force_login(user)
    names = " ".join(nodes(svg_of(body(client.get(url())))))
    assert model.far.name in names and model.goal.name not in names
    assert client.get(url(), {"focus": model.goal.pk}).status_code == 404


def test_the_menu_links_the_model_graph(client_a, model):
    page = body(client_a.get(reverse("graph:element_list", kwargs={"org": "alfa"})))
    assert url() in page


def test_an_invalid_filter_answers_400_and_says_why(client_a, model):
    response = client_a.get(url(), {"focus": "x"})
    assert response.status_code == 400


def test_the_layer_colours_pass_wcag_aa_for_the_text_on_them():
    for layer in ElementLayer.values:
        fill = LAYER_STYLES[layer].fill
        assert contrast_ratio(fill, INK) >= 4.5, layer
        assert contrast_ratio(fill, MUTED) >= 4.5, layer


def _count(client, params) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url(), params)
    assert response.status_code == 200
    return len(captured)


def _grow(org, subject, hub, n):
    made = Element.objects.bulk_create(
        Element(organisation=org, subject=subject, name=f"Groei {i:04d}", element_type="process")
        for i in range(n)
    )
    Relation.objects.bulk_create(
        Relation(organisation=org, source=hub, target=e, relation_type="serving") for e in made
    )
    Relation.objects.bulk_create(
        Relation(organisation=org, source=e, target=made[(i + 1) % n], relation_type="flow")
        for i, e in enumerate(made)
    )


@pytest.mark.parametrize(
    "params",
    [{}, {"focus": "hub"}, {"focus": "hub", "depth": "2"}, {"framework": "kompas"}],
    ids=["overview", "focus", "focus-depth-2", "framework"],
)
def test_the_query_count_does_not_grow_with_the_model(client_a, org_a, model, params):
    params = {k: (model.app.pk if v == "hub" else v) for k, v in params.items()}
    _count(client_a, params)  # warm caches
    _grow(org_a, model.goal.subject, model.app, 20)
    small = _count(client_a, params)
    _grow(org_a, model.goal.subject, model.app, 400)  # past the overview's cap
    large = _count(client_a, params)
    _grow(org_a, model.goal.subject, model.app, 400)
    assert _count(client_a, params) == large
    # Above the cap the overview counts per type instead of listing: at most two more.
    assert small <= large <= small + 2, (small, large)


def test_an_htmx_request_gets_only_the_figure_and_its_text(client_a, model):
    response = client_a.get(url(), {"focus": model.goal.pk}, headers={"HX-Request": "true"})
    page = body(response)
    assert "<form" not in page and "<html" not in page
    assert model.driver.name in " ".join(nodes(svg_of(page)))
