"""The drawn process path: runs as lanes, forks, the current step, in words too."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from stuurwiel.calls import services
from stuurwiel.calls.pathdiagram import CURRENT, DONE, WAITING, process_path, render_path_svg
from stuurwiel.calls.tests.test_patterns import register
from stuurwiel.calls.tests.test_separation import advance_to

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


def test_a_forked_incident_shows_both_processes_the_fork_and_where_it_is(world):
    call = advance_to(world, register(world, "incident"), "herstellen-herstellen")
    call = services.call_transition(
        call=call, by=world.specialist, transition="fork", target="wijzigen", version=call.version
    )
    lanes = process_path(call)
    assert [lane.process for lane in lanes] == ["herstellen", "wijzigen"]
    root, child = lanes
    assert [s.state for s in root.stations[:4]] == [DONE] * 4
    fork = next(s for s in root.stations if s.ref == "herstellen-herstellen")
    assert fork.state == WAITING and fork.fork_target == "Change"
    assert child.stations[0].state == CURRENT and child.stations[0].ref == "wijzigen-classificeren"
    svg = render_path_svg(lanes, title="Pad van de melding")
    tree = ET.fromstring(svg)
    assert tree.get("role") == "img"
    assert tree.find(f"{SVG}title").text == "Pad van de melding"
    description = tree.find(f"{SVG}desc").text
    assert "Forked at Recover to Change." in description
    assert "Now: Classify." in description
    assert len(tree.findall(f".//{SVG}circle")) == len(root.stations) + len(child.stations)


def test_a_closed_call_is_all_done(world):
    from stuurwiel.calls.tests.test_patterns import walk

    call = register(world, "serviceverzoek")
    walk(world, call, [])
    call.refresh_from_db()
    lanes = process_path(call)
    assert all(s.state == DONE for lane in lanes for s in lane.stations)
    assert "✓" in render_path_svg(lanes, title="x")
