"""Each signal on constructed history: the case it must show and the near miss
it must not."""

from __future__ import annotations

import datetime

import pytest

from stuurwiel.calls.models import SeparationRelaxation
from stuurwiel.dashboard import figures as dashboard_figures
from stuurwiel.dashboard import selectors
from stuurwiel.dashboard.tests.conftest import (
    ago,
    clock,
    event,
    exception,
    make_call,
    rolled,
    stretches,
)
from stuurwiel.organisations import access
from stuurwiel.parties.models import Team

pytestmark = pytest.mark.django_db


def _where(world, user=None, **extra):
    """The period's arguments, after rolling up what the test wrote."""
    rolled(world)
    member = access.access_for(user or world.manager, world.org)
    return {
        "organisation": world.org,
        "member_access": member,
        "start": ago(days=90),
        "end": ago(seconds=-60),
        **extra,
    }


def _melon(world, *, link_states=("met", "met"), chain="breached", kind="resolution"):
    call = make_call(world)
    clock(world, call, kind=kind, state=chain, used=90)
    for link, state in zip((world.links.front, world.links.specialists), link_states, strict=False):
        clock(world, call, link=link, kind=kind, state=state)
    return call


def test_norms_count_met_and_breached_per_link_and_for_the_chain(world):
    _melon(world)
    _melon(world, link_states=("met", "breached"))
    rows = selectors.norms(**_where(world)).rows
    chain = next(row for row in rows if row.link_id is None)
    specialists = next(row for row in rows if row.link_id == world.links.specialists.pk)
    assert (chain.met, chain.breached, chain.percent_met) == (0, 2, 0)
    assert (specialists.met, specialists.breached, specialists.percent_met) == (1, 1, 50)


def test_watermelon_lists_a_call_whose_links_all_met_while_the_chain_breached(world):
    melon = _melon(world)
    figures = selectors.watermelon(**_where(world))
    assert figures.count == 1 and figures.per_service == {world.service.name: 1}
    (row,) = figures.calls
    assert row.call == melon
    assert [c.state for c in row.chain] == ["breached"]
    assert {c.link_id for c in row.links} == {world.links.front.pk, world.links.specialists.pk}


def test_a_call_with_one_link_breached_is_no_watermelon(world):
    _melon(world, link_states=("met", "breached"))
    _melon(world, chain="met")  # every link green and the chain green: fine
    assert selectors.watermelon(**_where(world)).count == 0


def test_a_watermelon_is_judged_per_norm_kind(world):
    call = _melon(world, kind="response")
    # A breached resolution clock of one link does not hide the response watermelon.
    clock(world, call, link=world.links.front, kind="resolution", state="breached")
    assert [row.call for row in selectors.watermelon(**_where(world)).calls] == [call]


def test_ping_pong_counts_a_call_that_returns_to_a_link(world):
    front, specialists = world.links.front, world.links.specialists
    bounced = make_call(world)
    stretches(bounced, [front, specialists, front])
    figures = selectors.ping_pong(**_where(world))
    assert figures.per_service == {world.service.name: 1}
    (pair,) = figures.pairs
    assert (pair.returning_link, pair.between_link, pair.count) == (
        str(front),
        str(specialists),
        1,
    )
    assert figures.calls == [bounced]


def test_a_chain_walked_forward_is_no_ping_pong(world):
    links = world.links
    stretches(make_call(world), [links.front, links.specialists, links.supplier])
    stretches(make_call(world), [links.front, links.front, links.specialists])
    figures = selectors.ping_pong(**_where(world))
    assert figures.pairs == [] and figures.calls == []


def test_the_workflow_routing_a_call_back_to_a_link_is_no_ping_pong(world):
    """Steps that alternate between two links move the call back and forth by
    themselves; only a person handing it back is ping-pong."""
    front, specialists = world.links.front, world.links.specialists
    stretches(make_call(world), [front, specialists, front], routed=True)
    assert selectors.ping_pong(**_where(world)).calls == []


def test_escalations_are_structural_from_three_and_a_tenth_of_the_calls(world):
    calls = [make_call(world) for _ in range(10)]
    for call in calls[:3]:
        event(call, "escalated", link=world.links.specialists)
    event(calls[3], "escalated", link=world.links.front)
    figures = selectors.escalations(**_where(world))
    by_link = {row.link: row for row in figures.rows}
    assert by_link[str(world.links.specialists)].structural
    assert by_link[str(world.links.specialists)].percent == 30
    assert not by_link[str(world.links.front)].structural
    assert set(figures.calls) == set(calls[:4])


def test_three_escalations_among_many_calls_are_not_structural(world):
    calls = [make_call(world) for _ in range(31)]
    for call in calls[:3]:
        event(call, "escalated", link=world.links.front)
    assert selectors.escalations(**_where(world)).structural == []


def test_an_exception_approved_three_times_without_improvement_is_normalised(world):
    calls = [make_call(world) for _ in range(3)]
    for call in calls:
        exception(call, kind="norm")
    exception(make_call(world), kind="norm", decision="rejected")
    figures = selectors.normalised_exceptions(**_where(world))
    (row,) = figures.normalised
    assert (row.kind, row.approved, row.improved) == ("norm", 3, 0)
    assert set(figures.calls) == set(calls)


def test_an_exception_that_raised_an_improvement_is_not_normalised(world):
    calls = [make_call(world) for _ in range(3)]
    for call in calls:
        exception(call, kind="agreement")
    make_call(world, call_type="risico", origin=calls[0])
    figures = selectors.normalised_exceptions(**_where(world))
    assert figures.normalised == [] and figures.calls == []
    assert figures.rows[0].improved == 1


def test_one_person_on_half_of_ten_calls_is_a_hero_and_their_late_calls_waited(world):
    hero, other = world.specialist, world.tester
    calls = [make_call(world) for _ in range(10)]
    for call in calls[:6]:
        event(call, "step_completed", actor=hero)
    for call in calls[6:]:
        event(call, "step_completed", actor=other)
    late, prompt = calls[0], calls[1]
    at = late.registered_at - datetime.timedelta(hours=60)
    event(late, "assigned", at=at, data={"operator": hero.pk})
    event(
        prompt,
        "assigned",
        at=prompt.registered_at - datetime.timedelta(hours=1),
        data={"operator": hero.pk},
    )
    (row,) = selectors.hero_dependency(**_where(world)).flagged
    assert (row.person_id, row.calls, row.service_calls, row.percent) == (hero.pk, 6, 10, 60)
    assert row.waited == [late]


def test_an_assignment_without_an_operator_counts_for_the_calls_assignee(world):
    hero = world.specialist
    calls = [make_call(world) for _ in range(10)]
    for call in calls:
        event(call, "step_completed", actor=hero)
    waiting = calls[0]
    waiting.assignee = hero
    waiting.save(update_fields=["assignee"])
    event(waiting, "assigned", at=waiting.registered_at - datetime.timedelta(hours=50))
    (row,) = selectors.hero_dependency(**_where(world)).flagged
    assert row.waited == [waiting]


def test_one_person_on_fewer_than_ten_calls_is_no_hero(world):
    for call in [make_call(world) for _ in range(9)]:
        event(call, "step_completed", actor=world.specialist)
    figures = selectors.hero_dependency(**_where(world))
    assert figures.rows[0].percent == 100 and figures.flagged == []


def test_three_incidents_of_one_category_are_a_recurring_problem(world):
    incidents = [
        make_call(world, category="parkeerautomaat", registered_at=ago(days=d)) for d in (5, 4, 3)
    ]
    make_call(world, category="vergunning")
    (row,) = selectors.recurring_problems(**_where(world)).rows
    assert (row.category, row.incidents, row.latest_id, row.risk) == (
        "parkeerautomaat",
        3,
        incidents[-1].pk,
        None,
    )


def test_a_recurring_problem_shows_its_risk_when_one_exists(world):
    incidents = [make_call(world, category="storing") for _ in range(3)]
    risk = make_call(world, call_type="risico", origin=incidents[0])
    (row,) = selectors.recurring_problems(**_where(world)).rows
    assert row.risk == risk


def test_two_incidents_are_no_recurring_problem(world):
    for _ in range(2):
        make_call(world, category="storing")
    make_call(world, call_type="wens", category="storing")
    assert selectors.recurring_problems(**_where(world)).rows == []


def test_calls_before_the_period_do_not_count(world):
    for _ in range(3):
        make_call(world, category="storing", registered_at=ago(days=120))
    assert selectors.recurring_problems(**_where(world)).rows == []
    assert selectors.recurring_problems(**_where(world, start=ago(days=180))).rows


def test_active_separation_relaxations_are_standing_findings(world):
    team = Team.objects.get(organisation=world.org, name="KCC")
    active = SeparationRelaxation.objects.create(
        organisation=world.org,
        rule="evaluator_not_operator",
        team=team,
        reason="Klein team",
        decided_by_name="Directeur",
        decided_at=ago(days=10),
    )
    SeparationRelaxation.objects.create(
        organisation=world.org,
        rule="tester_not_implementer",
        team=team,
        reason="Vroeger",
        decided_by_name="Directeur",
        decided_at=ago(days=400),
        active=False,
    )
    assert selectors.standing_findings(organisation=world.org) == [active]


def test_a_clock_is_green_from_the_target_share_of_calls_within_its_norm():
    from stuurwiel.dashboard.figures import NORM_TARGET_SHARE, NormRow

    def row(met, breached):
        return NormRow(1, "S", None, "", 0, "response", met, breached, 0)

    assert NORM_TARGET_SHARE == 0.9
    assert row(9, 1).on_target is True
    assert row(8, 2).on_target is False
    assert row(0, 0).on_target is None


def test_a_recurring_problem_lists_only_its_newest_calls_however_many_there_are(world, monkeypatch):
    # A small cap stands in for LISTED: the list is cut per group, in SQL.
    monkeypatch.setattr(dashboard_figures, "LISTED", 2)
    incidents = [
        make_call(world, category="storing", registered_at=ago(days=d)) for d in (6, 5, 4, 3)
    ]
    others = [make_call(world, category="uitval", registered_at=ago(days=d)) for d in (9, 8, 7)]
    rows = {row.category: row for row in selectors.recurring_problems(**_where(world)).rows}
    assert [call.pk for call in rows["storing"].calls] == [incidents[-1].pk, incidents[-2].pk]
    assert rows["storing"].incidents == len(incidents)
    assert [call.pk for call in rows["uitval"].calls] == [others[-1].pk, others[-2].pk]


def test_the_risk_of_a_recurring_problem_is_found_from_an_incident_beyond_the_listed_ones(
    world, monkeypatch
):
    monkeypatch.setattr(dashboard_figures, "LISTED", 1)
    oldest, *_ = [
        make_call(world, category="storing", registered_at=ago(days=d)) for d in (5, 4, 3)
    ]
    risk = make_call(world, call_type="risico", origin=oldest)
    (row,) = selectors.recurring_problems(**_where(world)).rows
    assert row.risk == risk


def test_all_signals_count_the_calls_of_the_period_once_for_every_share(world):
    calls = [make_call(world) for _ in range(4)]
    for call in calls[:3]:
        event(call, "escalated", link=world.links.front)
    figures = selectors.signals(**_where(world))
    alone = selectors.escalations(**_where(world))
    assert figures.calls == len(calls)
    assert [r.service_calls for r in figures.escalations.rows] == [
        r.service_calls for r in alone.rows
    ]
