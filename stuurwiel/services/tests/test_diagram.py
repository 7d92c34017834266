"""The chain diagram: its layout, its SVG, its accessibility and who may see it."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET

import pytest
from django.http import HttpResponse
from django.urls import include, path, reverse
from django.utils import translation

from stuurwiel.core.tests.test_browser import CHROMIUM, SHOTS, _login, page  # noqa: F401
from stuurwiel.graph.models import Subject
from stuurwiel.organisations.choices import Role
from stuurwiel.parties.models import Stakeholder, Supplier, Team
from stuurwiel.services.chainlayout import LayoutEdge, LayoutNode, layout
from stuurwiel.services.choices import EndKind
from stuurwiel.services.diagram import ChainUrls, chain_diagram, render_svg
from stuurwiel.services.models import Interface, Link, Service
from stuurwiel.services.textfit import fit_lines, text_width

SVG = "{http://www.w3.org/2000/svg}"
counter = itertools.count()

# For the URL builder's fallback: a URL configuration with only a service page.
urlpatterns = [
    path(
        "<slug:org>/",
        include(
            (
                [path("s/<int:pk>/", lambda request, **kw: HttpResponse(), name="service_detail")],
                "services",
            )
        ),
    )
]


@pytest.fixture(autouse=True)
def english():
    """The diagram's own texts in English (pages follow the request's language)."""
    with translation.override("en"):
        yield


def make_service(org, name="Verhuizing doorgeven"):
    subject = Subject.objects.create(organisation=org, name=name, kind="service")
    return Service.objects.create(organisation=org, subject=subject, name=name)


def add_link(service, *, team=None, supplier=None, position=0):
    n = next(counter)
    if team is None and supplier is None:
        team = Team.objects.create(organisation=service.organisation, name=f"Team {n}")
    return Link.objects.create(
        organisation=service.organisation,
        service=service,
        team=team,
        supplier=supplier,
        position=position,
    )


def add_interface(service, source, target, name, **extra):
    """``source``/``target``: a link, "customer", or None for an end without a link."""
    ends = {}
    for end, value in (("source", source), ("target", target)):
        if value == "customer":
            ends[f"{end}_kind"] = EndKind.CUSTOMER
        else:
            ends[f"{end}_kind"] = EndKind.LINK
            ends[f"{end}_link"] = value
    return Interface.objects.create(
        organisation=service.organisation, service=service, name=name, **ends, **extra
    )


class StubUrls:
    def service(self, service):
        return f"/stub/service/{service.pk}/"

    def link(self, link):
        return f"/stub/link/{link.pk}/"

    def interface(self, interface):
        return f"/stub/interface/{interface.pk}/"


@pytest.fixture
def chain(org_a):
    """Customer → desk → back office → supplier → back office, and desk → customer."""
    service = make_service(org_a)
    service.customers.add(
        Stakeholder.objects.create(
            organisation=org_a, name="Inwoners", category="people", interest="high", influence="low"
        )
    )
    # Positions deliberately out of chain order: the layout follows the interfaces.
    back_office = add_link(service, position=1)
    desk = add_link(service, position=2)
    supplier = Supplier.objects.create(organisation=org_a, name="Centric")
    outside = add_link(service, supplier=supplier, position=3)
    add_interface(service, "customer", desk, "Verhuizing melden", norm_minutes=15)
    add_interface(service, desk, back_office, "Aanvraag doorzetten", norm_minutes=240)
    add_interface(service, back_office, outside, "Adres bijwerken in BRP", norm_note="1 werkdag")
    add_interface(service, outside, back_office, "Bevestiging terug")
    add_interface(service, desk, "customer", "Ontvangst bevestigen", norm_minutes=90)
    return service, desk, back_office, outside


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg.split("?>", 1)[-1])


def texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{SVG}text")]


# --- Layout ------------------------------------------------------------------------


@pytest.mark.django_db
def test_customer_comes_first_and_the_order_follows_the_interfaces(chain):
    service, desk, back_office, outside = chain
    diagram = chain_diagram(service, urls=StubUrls())
    layer = {n.key: n.box.layer for n in diagram.nodes}
    assert layer["customer"] == 0
    assert layer[f"link-{desk.pk}"] < layer[f"link-{back_office.pk}"] < layer[f"link-{outside.pk}"]


def _chain_of(n: int):
    nodes = [LayoutNode("customer", -1, start=True)] + [
        LayoutNode(f"l{i}", i) for i in range(1, n + 1)
    ]
    edges = [LayoutEdge("e0", "customer", "l1", 100, 50)]
    edges += [LayoutEdge(f"e{i}", f"l{i}", f"l{i + 1}", 100, 50) for i in range(1, n)]
    edges += [
        LayoutEdge("back", "l9", "l4", 100, 50),
        LayoutEdge("answer", f"l{n}", "customer", 100, 50),
        LayoutEdge("jump", "l2", f"l{n - 3}", 100, 50),
    ]
    return nodes, edges


def _overlap(a, b) -> bool:
    return a.x < b.right and b.x < a.right and a.y < b.bottom and b.y < a.bottom


def test_thirty_links_lie_in_wrapped_bands_without_overlapping_boxes():
    nodes, edges = _chain_of(30)
    placed = layout(nodes, edges)
    boxes = list(placed.boxes.values())
    assert placed.bands > 1
    assert not [(a.key, b.key) for a, b in itertools.combinations(boxes, 2) if _overlap(a, b)]
    assert all(b.x >= 0 and b.right <= placed.width and b.bottom <= placed.height for b in boxes)


def test_a_routed_label_does_not_cover_a_node():
    nodes, edges = _chain_of(30)
    placed = layout(nodes, edges)
    by_key = {e.key: e for e in edges}
    for route in placed.routes.values():
        x, y = route.label
        e = by_key[route.key]
        label = type("L", (), {})()
        label.x, label.y = x - e.label_w / 2, y - e.label_h / 2
        label.right, label.bottom = x + e.label_w / 2, y + e.label_h / 2
        assert not [b.key for b in placed.boxes.values() if _overlap(label, b)], route.key


def test_layout_is_deterministic():
    nodes, edges = _chain_of(12)
    first, second = layout(nodes, edges), layout(list(nodes), list(edges))
    assert first.routes == second.routes and first.boxes == second.boxes


def test_links_without_interfaces_follow_the_chain_in_position_order():
    nodes = [LayoutNode("customer", -1, start=True), LayoutNode("b", 2), LayoutNode("a", 1)]
    placed = layout(nodes, [])
    assert [placed.boxes[k].layer for k in ("customer", "a", "b")] == [0, 1, 2]


def test_a_supplier_the_customer_does_not_reach_sits_before_its_successor():
    nodes = [LayoutNode("customer", -1, start=True)]
    nodes += [LayoutNode(k, i) for i, k in enumerate("abs")]
    edges = [
        LayoutEdge("1", "customer", "a"),
        LayoutEdge("2", "a", "b"),
        LayoutEdge("3", "s", "b"),
    ]
    placed = layout(nodes, edges)
    assert placed.boxes["s"].layer == placed.boxes["b"].layer - 1


def test_the_customer_stays_first_when_a_link_nobody_reaches_answers_it():
    nodes = [LayoutNode("customer", -1, start=True)]
    nodes += [LayoutNode(k, i) for i, k in enumerate("abs")]
    edges = [
        LayoutEdge("1", "customer", "a"),
        LayoutEdge("2", "a", "b"),
        LayoutEdge("3", "s", "customer"),
    ]
    placed = layout(nodes, edges)
    assert placed.boxes["customer"].layer == 0
    assert placed.boxes["s"].layer > placed.boxes["b"].layer  # it delivers last


def test_a_word_longer_than_the_line_is_cut_with_a_hyphen():
    lines = fit_lines("Keukentafelgesprek plannen", 80, 11, 3, bold=True)
    assert lines[0].endswith("-") and "".join(lines).replace("-", "").startswith("Keukentafel")


def test_long_names_are_cut_to_the_lines_that_fit():
    lines = fit_lines("Afdeling Publiekszaken en Burgerzaken Noord-Oost", 120, 13, 2, bold=True)
    assert len(lines) == 2 and lines[-1].endswith("…")
    assert all(text_width(line, 13, True) <= 120 for line in lines)


# --- The SVG -----------------------------------------------------------------------


@pytest.mark.django_db
def test_svg_is_well_formed_and_has_a_title_and_description(chain):
    service, *_ = chain
    root = parse(render_svg(chain_diagram(service, urls=StubUrls()), standalone=True))
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert service.name in title.text
    assert "1 supplier" in desc.text and "5 interfaces" in desc.text


@pytest.mark.django_db
def test_supplier_nodes_differ_from_team_nodes_in_shape_and_pattern(chain):
    service, desk, _, outside = chain
    root = parse(render_svg(chain_diagram(service, urls=StubUrls())))
    groups = {g.get("class"): g for g in root.iter(f"{SVG}g") if "node " in (g.get("class") or "")}
    team, supplier = groups["node team"], groups["node supplier"]
    team_shape = team.find(f"{SVG}rect")
    supplier_shape = supplier.find(f"{SVG}rect")
    assert team_shape.get("rx") and not supplier_shape.get("rx")  # rounded against square
    fills = [r.get("fill") for r in supplier.iter(f"{SVG}rect")]
    assert any(f.startswith("url(#hatch") for f in fills)
    assert not any((r.get("fill") or "").startswith("url(") for r in team.iter(f"{SVG}rect"))
    legend = texts(root.find(f"{SVG}g[@class='legend']"))
    assert "Team (internal)" in legend and "Supplier (external)" in legend


@pytest.mark.django_db
def test_every_interface_is_labelled_with_its_name_and_norm(chain):
    service, *_ = chain
    root = parse(render_svg(chain_diagram(service, urls=StubUrls())))
    shown = " ".join(texts(root))
    for interface in service.interfaces.all():
        assert interface.name in shown
    assert "within 4 h" in shown and "within 1 h 30 min" in shown and "1 werkdag" in shown
    assert "no norm" in shown  # "Bevestiging terug" has none


@pytest.mark.django_db
def test_every_node_and_edge_links_to_its_detail(chain):
    service, desk, *_ = chain
    svg = render_svg(chain_diagram(service, urls=StubUrls()))
    root = parse(svg)
    hrefs = {a.get("href") for a in root.iter(f"{SVG}a")}
    assert f"/stub/link/{desk.pk}/" in hrefs
    assert {f"/stub/interface/{i.pk}/" for i in service.interfaces.all()} <= hrefs


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_without_detail_pages_a_click_opens_the_service_page(chain):
    service, desk, *_ = chain
    urls = ChainUrls("alfa")
    assert urls.link(desk) == urls.interface(service.interfaces.first()) == f"/alfa/s/{service.pk}/"


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_without_any_page_to_open_nodes_are_drawn_without_a_link(chain, settings):
    service, *_ = chain
    urls = ChainUrls("alfa")
    urls.service = lambda service: ""
    urls.link = lambda link: ""
    root = parse(render_svg(chain_diagram(service, urls=urls)))
    nodes = root.find(f"{SVG}g[@class='nodes']")
    assert nodes.find(f"{SVG}a") is None and len(nodes.findall(f"{SVG}g")) == 4


@pytest.mark.django_db
def test_an_end_without_a_link_is_a_dashed_stub_to_a_question_mark(chain):
    service, desk, *_ = chain
    removed = add_link(service, position=9)
    add_interface(service, desk, removed, "Naar het archief")
    removed.delete()  # the interface keeps its name, its end names no link
    diagram = chain_diagram(service, urls=StubUrls())
    root = parse(render_svg(diagram))
    missing = [g for g in root.iter(f"{SVG}g") if g.get("class") == "node missing"]
    assert len(missing) == 1 and "?" in texts(missing[0])
    dashed = [
        p
        for p in root.iter(f"{SVG}path")
        if p.get("class") == "edge-line" and p.get("stroke-dasharray")
    ]
    assert len(dashed) == 1
    assert "1 interface end names no link." in diagram.description


@pytest.mark.django_db
def test_names_of_parties_the_viewer_may_not_see_are_hidden(chain):
    service, desk, *_ = chain

    class Viewer:
        def may_view(self, obj):
            return isinstance(obj, Supplier)

    diagram = chain_diagram(service, urls=StubUrls(), viewer=Viewer())
    names = {n.kind: n.name for n in diagram.nodes}
    assert names["team"] == "(not visible to you)" and names["supplier"] == "Centric"


# --- The pages ---------------------------------------------------------------------


def _url(name, service, org="alfa"):
    return reverse(f"services:{name}", kwargs={"org": org, "pk": service.pk})


@pytest.mark.django_db
def test_the_page_shows_the_diagram_and_the_chain_as_a_table(client_a, chain):
    service, *_ = chain
    response = client_a.get(_url("service_chain_diagram", service))
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("<svg") == 1 and 'role="img"' in body
    assert body.count("<tr") == 1 + service.interfaces.count()
    assert "Adres bijwerken in BRP" in body
    assert _url("service_chain_svg", service) + "?download=1" in body


@pytest.mark.django_db
def test_the_svg_file_is_svg_and_downloads_on_request(client_a, chain):
    service, *_ = chain
    shown = client_a.get(_url("service_chain_svg", service))
    saved = client_a.get(_url("service_chain_svg", service) + "?download=1")
    assert shown["Content-Type"].startswith("image/svg+xml")
    assert "Content-Disposition" not in shown
    assert saved["Content-Disposition"].startswith("attachment;")
    assert saved["Content-Disposition"].endswith('.svg"')
    parse(saved.content.decode())


@pytest.mark.django_db
def test_the_svg_file_escapes_names(client_a, chain):
    service, desk, *_ = chain
    add_interface(service, desk, "customer", "<script>alert(1)</script> & meer")
    body = client_a.get(_url("service_chain_svg", service)).content.decode()
    assert "<script>" not in body
    parse(body)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["service_chain_diagram", "service_chain_svg"])
def test_a_member_of_another_organisation_gets_404(client, admin_b, chain, name):
    service, *_ = chain
    client.force_login(admin_b)
    assert client.get(_url(name, service)).status_code == 404
    assert client.get(_url(name, service, org="beta")).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["service_chain_diagram", "service_chain_svg"])
def test_a_requester_may_not_see_the_design(client, make_member, org_a, chain, name):
    service, *_ = chain
    client.force_login(make_member(org_a, Role.REQUESTER))
    assert client.get(_url(name, service)).status_code in (403, 404)


@pytest.mark.django_db
def test_a_supplier_user_outside_the_service_gets_404(client, make_member, org_a, chain):
    service, *_ = chain
    other = Subject.objects.create(organisation=org_a, name="Ander", kind="service")
    user = make_member(org_a, username="leverancier")
    user.memberships.get().role_assignments.create(role=Role.SUPPLIER_USER, subject=other)
    client.force_login(user)
    assert client.get(_url("service_chain_diagram", service)).status_code == 404


# --- In a browser ------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.skipif(not __import__("os").path.exists(CHROMIUM), reason="no chromium")
@pytest.mark.django_db(transaction=True)
def test_the_browser_saves_the_diagram_as_png(page, live_server, make_member, org_a, chain):  # noqa: F811
    service, *_ = chain
    make_member(org_a, Role.SERVICE_OWNER, username="eigenaar")
    _login(page, live_server, "eigenaar")
    page.wait_for_url(f"{live_server.url}/o/alfa/")
    page.goto(live_server.url + _url("service_chain_diagram", service))
    page.get_by_role("img", name=f"Ketendiagram van {service.name}").wait_for()
    page.screenshot(path=SHOTS / "chain-diagram-nl.png", full_page=True)
    with page.expect_download() as download:
        page.get_by_role("button", name="PNG downloaden").click()
    assert download.value.suggested_filename == "ketendiagram-verhuizing-doorgeven.png"
    with open(download.value.path(), "rb") as saved:
        assert saved.read(8) == b"\x89PNG\r\n\x1a\n"
