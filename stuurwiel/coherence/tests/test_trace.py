"""The trace of an element: up to its reasons and down to its results along a
framework's declared trace stages, with its gaps as findings, bounded, and at a
cost that does not grow with the model."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stuurwiel.coherence import engine, rulebook, trace
from stuurwiel.coherence.trace import element_trace
from stuurwiel.frameworks.models import CoherenceRule, Framework, FrameworkPart, LinkType
from stuurwiel.graph.models import Classification, Element, Relation, Subject
from stuurwiel.organisations import access
from stuurwiel.organisations.choices import Role

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


def _framework(ref: str, parts: list[tuple[str, int | None, str | None]]):
    """A framework whose parts are (ref, trace stage, parent ref)."""
    framework = Framework.objects.create(
        urn=f"urn:test:framework:{ref}",
        ref_id=ref,
        version=1,
        name_nl=ref.capitalize(),
        name_en=ref.capitalize(),
        content_hash=ref,
    )
    made: dict[str, FrameworkPart] = {}
    for order, (part_ref, stage, parent) in enumerate(parts):
        made[part_ref] = FrameworkPart.objects.create(
            framework=framework,
            parent=made.get(parent) if parent else None,
            urn=f"{framework.urn}:{part_ref}",
            ref_id=part_ref,
            kind="aspect",
            order=order,
            name_nl=part_ref.capitalize(),
            name_en=part_ref.capitalize(),
            attributes={"trace_stage": stage} if stage else {},
        )
    rulebook.forget()
    return SimpleNamespace(framework=framework, **made)


@pytest.fixture(autouse=True)
def _fresh_rulebook():
    rulebook.forget()
    yield
    rulebook.forget()


@pytest.fixture
def opti(db):
    # Effect has no stage of its own: it takes Resultaat's. Toelichting is off the path.
    return _framework(
        "opti",
        [
            ("motivatie", 1, None),
            ("methode", 2, None),
            ("resultaat", 3, None),
            ("effect", None, "resultaat"),
            ("toelichting", None, None),
        ],
    )


@pytest.fixture
def cimo(db):
    return _framework(
        "cimo",
        [
            ("context", 1, None),
            ("interventie", 2, None),
            ("mechanisme", 3, None),
            ("uitkomst", 4, None),
        ],
    )


@pytest.fixture
def world(org_a, opti, cimo):
    subject = Subject.objects.create(organisation=org_a, name="Digitale agenda", kind="capability")
    subject.frameworks.add(opti.framework, cimo.framework)

    def element(name, element_type, *parts, in_subject=None):
        made = Element.objects.create(
            organisation=org_a, subject=in_subject or subject, name=name, element_type=element_type
        )
        for part in parts:
            Classification.objects.create(element=made, part=part)
        return made

    def relate(source, target, relation_type="influence"):
        return Relation.objects.create(
            organisation=org_a, source=source, target=target, relation_type=relation_type
        )

    return SimpleNamespace(org=org_a, subject=subject, element=element, relate=relate)


def _names(stage) -> list[str]:
    return [node.name for node in stage.nodes]


@pytest.fixture
def viewer(make_member, org_a):
    user = make_member(org_a, Role.MANAGER, username="manager")
    return access.access_for(user, org_a)


def test_the_trace_walks_up_to_the_reasons_and_down_to_the_results(world, opti, viewer):
    goal = world.element("Dienstverlening digitaal", "goal", opti.motivatie)
    method = world.element("Digitaal loket", "process", opti.methode)
    result = world.element("Minder baliebezoek", "outcome", opti.effect)  # Effect: stage 3
    world.relate(goal, method)
    world.relate(result, method, "realization")  # the arrow's direction does not matter

    found = element_trace(element=method, member_access=viewer)

    assert found.framework == opti.framework
    assert [s.number for s in found.stages] == [1, 2, 3]
    assert [_names(s) for s in found.stages] == [
        ["Dienstverlening digitaal"],
        ["Digitaal loket"],
        ["Minder baliebezoek"],
    ]
    assert [n.direction for n in found.nodes] == ["up", "focus", "down"]
    assert not any(s.gap for s in found.stages)


def test_the_trace_of_a_cimo_intervention_reaches_the_outcome_through_the_mechanism(
    world, cimo, viewer
):
    context = world.element("Eenzaamheid in de wijk", "context_factor", cimo.context)
    intervention = world.element("Buurtkamer", "intervention", cimo.interventie)
    mechanism = world.element("Ontmoeting over grenzen", "mechanism", cimo.mechanisme)
    outcome = world.element("Meer sociale contacten", "outcome", cimo.uitkomst)
    world.relate(context, intervention)
    world.relate(intervention, mechanism)
    world.relate(mechanism, outcome)
    # A relation back from the outcome to the context (the feedback loop) is not a way down.
    world.relate(outcome, context)

    found = element_trace(element=intervention, member_access=viewer)

    assert [_names(s) for s in found.stages] == [
        ["Eenzaamheid in de wijk"],
        ["Buurtkamer"],
        ["Ontmoeting over grenzen"],
        ["Meer sociale contacten"],
    ]
    by_name = {n.name: n for n in found.nodes}
    assert by_name["Meer sociale contacten"].depth == 2
    assert (intervention.pk, mechanism.pk, "influence") in found.edges


def test_the_framework_is_chosen_among_those_in_which_the_element_has_a_stage(
    world, opti, cimo, viewer
):
    both = world.element("Wijkaanpak", "intervention", opti.methode, cimo.interventie)
    only_opti = world.element("Toelichting", "assessment", opti.toelichting)
    found = element_trace(element=both, member_access=viewer, framework=cimo.framework)
    assert found.framework == cimo.framework
    assert {f.ref_id for f in found.frameworks} == {"opti", "cimo"}
    # Off every path: no framework, no stages, nothing to draw.
    off = element_trace(element=only_opti, member_access=viewer)
    assert off.framework is None and off.stages == []


def test_an_empty_stage_is_a_gap_with_the_finding_that_names_it(world, opti, viewer):
    goal = world.element("Los doel", "goal", opti.motivatie)  # answers Motivatie, linked to nothing
    result = world.element("Minder baliebezoek", "outcome", opti.resultaat)
    link = LinkType.objects.create(
        framework=opti.framework,
        urn=f"{opti.framework.urn}:link:motivatie-resultaat",
        ref_id="motivatie-resultaat",
        name_nl="Motivatie verantwoordt Resultaat",
        name_en="Motivation justifies Result",
        source_part=opti.motivatie,
        target_part=opti.resultaat,
        relation_type="influence",
    )
    CoherenceRule.objects.create(
        framework=opti.framework,
        urn=f"{opti.framework.urn}:rule:resultaat-verantwoord",
        ref_id="resultaat-verantwoord",
        order=1,
        kind="link_expected",
        severity="warning",
        message_nl="Een resultaat is niet verantwoord",
        message_en="A result is not justified",
        params={"link_type": link.ref_id},
    )
    rulebook.forget()
    engine.evaluate(organisation=world.org)

    found = element_trace(element=result, member_access=viewer)

    reasons, method, results = found.stages
    assert reasons.gap and method.gap and not results.gap
    assert [f.rule.ref_id for f in reasons.findings] == ["resultaat-verantwoord"]
    assert reasons.findings[0].element_id == result.pk
    assert goal.pk not in {n.id for n in found.nodes}


def test_the_walk_stops_at_the_depth_cap(world, cimo, viewer, monkeypatch):
    chain = [
        world.element("Context", "context_factor", cimo.context),
        world.element("Interventie", "intervention", cimo.interventie),
        world.element("Mechanisme", "mechanism", cimo.mechanisme),
        world.element("Uitkomst", "outcome", cimo.uitkomst),
    ]
    for source, target in zip(chain, chain[1:], strict=False):
        world.relate(source, target)
    monkeypatch.setattr(trace, "DEPTH", 1)

    found = element_trace(element=chain[0], member_access=viewer)

    assert [n.name for n in found.nodes] == ["Context", "Interventie"]
    assert found.depth_reached
    assert found.stages[2].gap and found.stages[3].gap


def test_the_walk_keeps_a_stage_narrow_and_counts_the_rest(world, opti, viewer, monkeypatch):
    method = world.element("Digitaal loket", "process", opti.methode)
    for n in range(5):
        world.relate(method, world.element(f"Resultaat {n}", "outcome", opti.resultaat))
    monkeypatch.setattr(trace, "WIDTH", 2)

    found = element_trace(element=method, member_access=viewer)

    assert _names(found.stages[2]) == ["Resultaat 0", "Resultaat 1"]
    assert found.stages[2].more == 3 and found.truncated


def test_cycles_do_not_loop_or_repeat_an_element(world, opti, viewer):
    goal = world.element("Doel", "goal", opti.motivatie)
    method = world.element("Methode", "process", opti.methode)
    other_method = world.element("Andere methode", "process", opti.methode)
    result = world.element("Resultaat", "outcome", opti.resultaat)
    world.relate(goal, method)
    world.relate(method, goal, "association")  # both ways
    world.relate(method, result)
    world.relate(result, goal)  # the feedback loop
    world.relate(method, other_method)  # the same stage: not on the path
    world.relate(other_method, method, "flow")

    found = element_trace(element=goal, member_access=viewer)

    ids = [n.id for n in found.nodes]
    assert len(ids) == len(set(ids))
    assert [_names(s) for s in found.stages] == [["Doel"], ["Methode"], ["Resultaat"]]


def _large(world, opti, method, extra: int) -> None:
    """More of everything: results of the method (beyond the width cap), and an
    unrelated part of the model with its own relations."""
    for n in range(extra):
        world.relate(method, world.element(f"Extra resultaat {n}", "outcome", opti.resultaat))
        a = world.element(f"Ander doel {n}", "goal", opti.motivatie)
        b = world.element(f"Andere methode {n}", "process", opti.methode)
        world.relate(a, b)


def _count(function) -> int:
    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured)


def test_the_trace_costs_the_same_queries_for_a_small_and_a_large_model(
    world, opti, viewer, client_a
):
    goal = world.element("Doel", "goal", opti.motivatie)
    method = world.element("Methode", "process", opti.methode)
    world.relate(goal, method)
    world.relate(method, world.element("Resultaat", "outcome", opti.resultaat))
    url = reverse("coherence:element_trace", args=["alfa", method.pk])
    client_a.get(url)  # warm caches (rulebook, content types, session)
    small = _count(lambda: element_trace(element=method, member_access=viewer))
    small_page = _count(lambda: client_a.get(url))
    _large(world, opti, method, 40)
    large = _count(lambda: element_trace(element=method, member_access=viewer))
    large_page = _count(lambda: client_a.get(url))
    assert large == small
    assert large_page == small_page


def _svg(page) -> ET.Element:
    html = page.content.decode()
    start, end = html.index("<svg"), html.index("</svg>") + len("</svg>")
    return ET.fromstring(html[start:end])


def test_the_page_draws_every_node_with_an_accessible_name_and_a_text_alternative(
    client_a, world, opti
):
    goal = world.element("Dienstverlening digitaal", "goal", opti.motivatie)
    method = world.element("Digitaal loket", "process", opti.methode)
    world.relate(goal, method)

    url = reverse("coherence:element_trace", args=["alfa", method.pk])
    page = client_a.get(url, HTTP_ACCEPT_LANGUAGE="en")

    assert page.status_code == 200
    svg = _svg(page)
    assert svg.get("role") == "img" and svg.find(f"{SVG}title").text
    nodes = [g for g in svg.iter(f"{SVG}g") if "node" in (g.get("class") or "").split()]
    titles = {}
    for node in nodes:
        title = node.find(f".//{SVG}title")
        desc = node.find(f".//{SVG}desc")
        assert title is not None and title.text, ET.tostring(node)
        assert desc is not None and desc.text
        titles[node.get("data-kind")] = titles.get(node.get("data-kind"), []) + [title.text]
    assert titles["focus"] == ["Digitaal loket"]
    assert titles["up"] == ["Dienstverlening digitaal"]
    assert titles["gap"] == ["Gap: No Resultaat linked"]
    html = page.content.decode()
    assert reverse("coherence:element_trace", args=["alfa", goal.pk]) in html  # its own trace
    assert reverse("graph:element_detail", args=["alfa", goal.pk]) in html
    assert '<ol class="trace-text">' in html


def test_the_element_page_links_to_its_trace(client_a, world, opti):
    method = world.element("Digitaal loket", "process", opti.methode)
    page = client_a.get(reverse("graph:element_detail", args=["alfa", method.pk]))
    assert reverse("coherence:element_trace", args=["alfa", method.pk]) in page.content.decode()


def test_a_requester_may_not_read_a_trace(client, make_member, org_a, world, opti):
    method = world.element("Digitaal loket", "process", opti.methode)
    client.force_login(make_member(org_a, Role.REQUESTER, username="inwoner"))
    page = client.get(reverse("coherence:element_trace", args=["alfa", method.pk]))
    assert page.status_code == 403


def test_another_organisation_does_not_see_the_trace(client, admin_b, world, opti):
    method = world.element("Digitaal loket", "process", opti.methode)
    client.force_login(admin_b)
    assert (
        client.get(reverse("coherence:element_trace", args=["beta", method.pk])).status_code == 404
    )


def test_a_service_that_realises_a_result_closes_the_path_with_its_performance(
    world, opti, viewer, client_a
):
    from stuurwiel.core.tests.service_world import service_design
    from stuurwiel.services.models import Service

    service = service_design(world.org, name="Verhuizing doorgeven")[Service]
    method = world.element("Digitaal loket", "process", opti.methode)
    result = world.element("Minder baliebezoek", "outcome", opti.resultaat)
    realiser = world.element("Verhuizing doorgeven", "service", in_subject=service.subject)
    world.relate(method, result)
    world.relate(realiser, result, "realization")

    found = element_trace(element=method, member_access=viewer)

    assert [s.name for s in found.services] == ["Verhuizing doorgeven"]
    assert found.services[0].via == realiser.pk
    assert found.services[0].percent_met is None  # no calls measured yet
    url = reverse("coherence:element_trace", args=["alfa", method.pk])
    page = client_a.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert reverse("services:service_detail", args=["alfa", service.pk]) in page.content.decode()
    assert "No calls measured yet" in page.content.decode()
