"""The roll-up: its figures equal the signals counted directly from the calls
(on random constructed history), an incremental roll-up equals a full one, and
the job, the command and the pages' freshness line."""

from __future__ import annotations

import datetime
from collections import Counter

import pytest
from django.core.management import call_command
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stuurwiel.calls.models import Call, CallEvent, CallException, ClockResult, LinkSegment
from stuurwiel.dashboard import figures as dashboard_figures
from stuurwiel.dashboard import rollup, selectors
from stuurwiel.dashboard.models import DailyFigure, DashboardRollup
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

pytestmark = pytest.mark.django_db

STATES = ("met", "breached", "running")
KINDS = ("response", "resolution")

_call = st.fixed_dictionaries(
    {
        "days_ago": st.integers(min_value=0, max_value=100),
        "incident": st.booleans(),
        "category": st.sampled_from(["", "storing", "uitval"]),
        "chain": st.lists(st.sampled_from(STATES), min_size=0, max_size=2),
        "links": st.lists(st.sampled_from(STATES), min_size=0, max_size=2),
        "walk": st.lists(st.integers(min_value=0, max_value=2), max_size=4),
        "routed": st.booleans(),
        "escalated_at": st.lists(st.integers(min_value=0, max_value=2), max_size=2),
        "exception": st.sampled_from([None, "approved", "rejected"]),
        "risk": st.booleans(),
        "steps_by": st.lists(st.integers(min_value=0, max_value=1), max_size=3),
    }
)


def _links(world):
    return [world.links.front, world.links.specialists, world.links.supplier]


def _build(world, spec) -> Call:
    """One call of the random history, as ``spec`` says."""
    day = datetime.date.today() - datetime.timedelta(days=spec["days_ago"])
    at = rollup.midnight(day) + datetime.timedelta(hours=1)
    call = make_call(
        world,
        call_type="incident" if spec["incident"] else "wens",
        category=spec["category"],
        registered_at=min(at, ago(minutes=5)),
    )
    links = _links(world)
    for kind, state in zip(KINDS, spec["chain"], strict=False):
        clock(world, call, kind=kind, state=state)
        for link, link_state in zip(links, spec["links"], strict=False):
            clock(world, call, link=link, kind=kind, state=link_state)
    if spec["walk"]:
        stretches(call, [links[n] for n in spec["walk"]], routed=spec["routed"])
    for n in spec["escalated_at"]:
        event(call, "escalated", link=links[n])
    if spec["exception"]:
        exception(call, kind="norm", decision=spec["exception"])
        if spec["risk"]:
            make_call(world, call_type="risico", origin=call, registered_at=call.registered_at)
    people = [world.specialist, world.tester]
    for n in spec["steps_by"]:
        event(call, "step_completed", actor=people[n])
    return call


def _direct(world, start, end) -> dict:
    """The signals counted from the calls themselves, in Python: the reference."""
    first, _ = selectors.period_days(start, end)
    calls = [
        c
        for c in Call.objects.filter(organisation=world.org, registered_at__lt=end)
        if c.registered_at >= rollup.midnight(first)
    ]
    ids = {c.pk for c in calls}
    clocks = [c for c in ClockResult.objects.all() if c.call_id in ids]
    norms: Counter = Counter()
    for c in clocks:
        norms[(c.link_id, c.norm_kind, c.state)] += 1
    melons = 0
    for call in calls:
        own = [c for c in clocks if c.call_id == call.pk]
        for kind in KINDS:
            chain = [c for c in own if c.link_id is None and c.norm_kind == kind]
            links = [c for c in own if c.link_id is not None and c.norm_kind == kind]
            green = links and all(c.state == "met" for c in links)
            if chain and chain[0].state == "breached" and green:
                melons += 1
                break
    events = [e for e in CallEvent.objects.order_by("at", "id") if e.call_id in ids]
    segments = [s for s in LinkSegment.objects.all() if s.call_id in ids]
    pairs: Counter = Counter()
    bounced = set()
    for e in events:
        if e.kind != "handed_over" or e.link_id is None or e.data.get("routed") is True:
            continue
        held = any(
            s.call_id == e.call_id and s.link_id == e.to_link_id and s.started_at < e.at
            for s in segments
        )
        if e.link_id != e.to_link_id and held:
            pairs[(e.to_link_id, e.link_id)] += 1
            bounced.add(e.call_id)
    escalations = Counter(e.link_id for e in events if e.kind == "escalated")
    steps = Counter(e.actor_id for e in events if e.kind == "step_completed")
    risks = set(Call.objects.filter(call_type="risico").values_list("origin_id", flat=True))
    approved = [x for x in CallException.objects.filter(decision="approved") if x.call_id in ids]
    incidents = Counter(c.category for c in calls if c.call_type == "incident" and c.category)
    return {
        "calls": len(calls),
        "norms": +norms,
        "watermelons": melons,
        "pairs": +pairs,
        "ping_pong": len(bounced),
        "escalations": +escalations,
        "steps": +steps,
        "exceptions": (len(approved), sum(1 for x in approved if x.call_id in risks)),
        "recurring": {k: n for k, n in incidents.items() if n >= selectors.RECURRING_MIN_COUNT},
    }


def _from_rollup(world, start, end) -> dict:
    found = selectors.signals(
        organisation=world.org,
        member_access=access.access_for(world.manager, world.org),
        start=start,
        end=end,
    )
    norms: Counter = Counter()
    for row in found.norms.rows:
        for state in STATES:
            norms[(row.link_id, row.norm_kind, state)] += getattr(row, state)
    names = {str(link): link.pk for link in _links(world)}
    pairs = Counter(
        {(names[p.returning_link], names[p.between_link]): p.count for p in found.ping_pong.pairs}
    )
    links = {str(link): link.pk for link in _links(world)}
    steps_rows = DailyFigure.objects.filter(
        kind="steps", days=0, day__gte=selectors.period_days(start, end)[0]
    )
    steps: Counter = Counter()
    for row in steps_rows:
        steps[row.person_id] += row.count
    return {
        "calls": found.calls,
        "norms": +norms,
        "watermelons": found.watermelon.count,
        "pairs": +pairs,
        "ping_pong": sum(found.ping_pong.per_service.values()),
        "escalations": +Counter({links[r.link]: r.escalations for r in found.escalations.rows}),
        "steps": +steps,
        "exceptions": (
            sum(r.approved for r in found.exceptions.rows),
            sum(r.improved for r in found.exceptions.rows),
        ),
        "recurring": {r.category: r.incidents for r in found.recurring.rows},
    }


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(specs=st.lists(_call, min_size=1, max_size=8))
def test_the_rolled_up_figures_equal_the_signals_counted_from_the_calls(world, specs):
    try:
        for spec in specs:
            _build(world, spec)
        rolled(world)
        start, end = ago(days=90), ago(seconds=-60)
        assert _from_rollup(world, start, end) == _direct(world, start, end)
    finally:
        Call.objects.filter(organisation=world.org, origin__isnull=False).delete()
        Call.objects.filter(organisation=world.org).delete()


def _rows():
    return sorted(
        DailyFigure.objects.values_list(
            "day", "days", "kind", "service_id", "link_id", "other_link_id", "person_id",
            "norm_kind", "label", "count", "calls", "met", "breached", "running", "improved",
        )
    )  # fmt: skip


def _backdate():
    """Make everything written so far older than the next watermark."""
    Call.objects.update(updated_at=ago(hours=2))
    ClockResult.objects.update(computed_at=ago(hours=2))


def test_an_incremental_roll_up_after_new_writes_equals_a_full_one(world):
    old = [make_call(world, registered_at=ago(days=d), category="storing") for d in (40, 20, 10)]
    for call in old:
        clock(world, call, state="running")
        stretches(call, [world.links.front, world.links.specialists])
    _backdate()
    rollup.dashboard_rollup(organisation=world.org, full=True, now=ago(hours=1))
    # New writes: a call today, an event on the call of 20 days ago, a clock of the
    # call of 40 days ago breached by the sweep, an exception decided on the third.
    make_call(world, registered_at=ago(minutes=10), category="storing")
    event(old[1], "escalated", link=world.links.front)
    ClockResult.objects.filter(call=old[0]).update(state="breached", computed_at=ago(seconds=1))
    exception(old[2])
    report = rollup.dashboard_rollup(organisation=world.org)
    assert not report.full and report.days == 4
    incremental = _rows()
    rollup.dashboard_rollup(organisation=world.org, full=True)
    assert incremental == _rows()


def test_an_incremental_roll_up_rewrites_only_the_days_written_since_the_watermark(world):
    calls = [make_call(world, registered_at=ago(days=d)) for d in (30, 3)]
    _backdate()
    rollup.dashboard_rollup(organisation=world.org, full=True, now=ago(hours=1))
    event(calls[0], "escalated", link=world.links.front)
    assert rollup.dashboard_rollup(organisation=world.org).days == 1
    assert rollup.dashboard_rollup(organisation=world.org).days == 0  # nothing new since
    mark = DashboardRollup.objects.get(organisation=world.org)
    assert mark.last_event_id == CallEvent.objects.order_by("-pk").first().pk


def test_a_risk_raised_from_an_old_call_rolls_that_calls_day_up_again(world):
    calls = [make_call(world, registered_at=ago(days=50)) for _ in range(3)]
    for call in calls:
        exception(call)
    _backdate()
    rollup.dashboard_rollup(organisation=world.org, full=True, now=ago(hours=1))
    where = {
        "organisation": world.org,
        "member_access": access.access_for(world.manager, world.org),
        "start": ago(days=90),
        "end": ago(seconds=-60),
    }
    assert selectors.normalised_exceptions(**where).normalised
    make_call(world, call_type="risico", origin=calls[0])
    rollup.dashboard_rollup(organisation=world.org)
    assert selectors.normalised_exceptions(**where).normalised == []


def test_the_calls_behind_a_figure_are_the_newest_however_many_days_hold_them(world, monkeypatch):
    monkeypatch.setattr(dashboard_figures, "LISTED", 2)
    calls = [make_call(world, registered_at=ago(days=d)) for d in (60, 30, 20, 2)]
    for call in calls[:3]:
        event(call, "escalated", link=world.links.front)
    rolled(world)
    figures = selectors.escalations(
        organisation=world.org,
        member_access=access.access_for(world.manager, world.org),
        start=ago(days=90),
        end=ago(seconds=-60),
    )
    assert figures.rows[0].escalations == 3
    assert figures.calls == [calls[2], calls[1]]


def test_a_period_counts_the_days_that_begin_inside_it():
    start = rollup.midnight(datetime.date(2026, 3, 1)) + datetime.timedelta(hours=10)
    end = rollup.midnight(datetime.date(2026, 3, 31))
    assert selectors.period_days(start, end) == (
        datetime.date(2026, 3, 2),
        datetime.date(2026, 3, 30),
    )
    assert selectors.period_days(rollup.midnight(datetime.date(2026, 3, 1)), end)[0] == (
        datetime.date(2026, 3, 1)
    )


def test_the_command_and_the_job_roll_every_organisation_up(world, capsys):
    make_call(world)
    call_command("dashboard_rollup", "--full")
    assert f"{world.org.slug}: full, 1 days" in capsys.readouterr().out
    from stuurwiel.dashboard.tasks import dashboard_rollup_job
    from stuurwiel.jobs.schedule import PERIODIC

    assert (dashboard_rollup_job, 60) in PERIODIC
    make_call(world, registered_at=ago(days=1))
    # Two days: the new call's, and the first call's again (written within the overlap).
    assert dashboard_rollup_job.func() == {world.org.slug: 2}


def test_the_pages_say_how_fresh_the_figures_are(client, world):
    make_call(world)
    client.force_login(world.manager)
    url = reverse("dashboard:dashboard", kwargs={"org": world.org.slug})
    melons = reverse("dashboard:watermelon", kwargs={"org": world.org.slug})
    english = {"HTTP_ACCEPT_LANGUAGE": "en"}
    assert "No figures yet" in client.get(url, **english).content.decode()
    rollup.dashboard_rollup(organisation=world.org, now=rollup.midnight(datetime.date.today()))
    for page in (url, melons):
        assert "Figures as of 00:00 on" in client.get(page, **english).content.decode()
    dutch = client.get(url, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert 'id="figures-as-of"' in dutch


def test_a_service_owners_figures_are_those_of_their_services(world, make_member):
    from stuurwiel.calls.tests.conftest import build_world
    from stuurwiel.organisations.choices import Role
    from stuurwiel.organisations.models import Membership, RoleAssignment

    other = build_world(world.org, make_member, prefix="B-")
    make_call(world)
    make_call(other, service=other.service)
    make_call(other, service=other.service)
    owner = make_member(world.org, username="eigenaar")
    RoleAssignment.objects.create(
        membership=Membership.objects.get(user=owner),
        role=Role.SERVICE_OWNER,
        subject=world.service.subject,
    )
    rolled(world)
    where = {"organisation": world.org, "start": ago(days=90), "end": ago(seconds=-60)}
    mine = selectors.calls_per_service(member_access=access.access_for(owner, world.org), **where)
    everything = selectors.calls_per_service(
        member_access=access.access_for(world.manager, world.org), **where
    )
    assert mine == {world.service.pk: 1}
    assert everything == {world.service.pk: 1, other.service.pk: 2}
