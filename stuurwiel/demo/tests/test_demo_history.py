"""The demo's six months of history: loaded once (it drives the real services for a
few hundred calls), then each case the dashboard shows is found in the data itself,
computed as ``signals-defs`` defines it, and a second load adds nothing."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count

from stuurwiel.calls.choices import CallStatus, ClockState, EventKind, ExceptionDecision
from stuurwiel.calls.definitions import forget_snapshots
from stuurwiel.calls.models import (
    Call,
    CallEvent,
    CallException,
    ClockPause,
    ClockResult,
    LinkSegment,
)
from stuurwiel.calls.selectors import requester_calls, worklist
from stuurwiel.core import clock
from stuurwiel.demo.history import OMGEVING, RECURRING, VERHUIZING
from stuurwiel.demo.services import demo_load
from stuurwiel.organisations import access
from stuurwiel.organisations.models import Organisation
from stuurwiel.services.models import Service


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The demo with its history, loaded once for this module and rolled back after."""
    # The workflow snapshot rows roll back with the module: so must their cache.
    forget_snapshots()
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield demo_load()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            forget_snapshots()


@pytest.fixture
def org(loaded, db):
    return Organisation.objects.get(slug="middenstad")


@pytest.fixture
def verhuizing(org):
    return Service.objects.get(organisation=org, name=VERHUIZING)


def user(name):
    return get_user_model().objects.get(username=name)


def test_the_history_is_a_few_hundred_calls_in_office_hours_before_the_load(loaded, org):
    (name, report), *_ = loaded.histories
    calls = Call.objects.filter(organisation=org)
    assert report.calls == calls.count()
    assert 100 <= report.calls <= 400
    now = clock.now()
    first = calls.order_by("registered_at").first().registered_at
    assert now - timedelta(weeks=27) < first < now - timedelta(weeks=24)
    assert not CallEvent.objects.filter(call__organisation=org, at__gt=now).exists()
    for at in calls.values_list("registered_at", flat=True):
        local = at.astimezone(clock_zone())
        assert local.weekday() < 5
        assert (8, 30) <= (local.hour, local.minute) <= (17, 0)


def clock_zone():
    from zoneinfo import ZoneInfo

    return ZoneInfo("Europe/Amsterdam")


def test_closed_calls_took_all_eight_workflow_patterns(org):
    closed = Call.objects.filter(organisation=org, status=CallStatus.CLOSED)
    assert set(closed.values_list("pattern", flat=True)) == set(range(1, 9))


def test_clock_results_show_breaches_of_the_chain_and_of_links(org):
    results = ClockResult.objects.filter(organisation=org)
    assert not Call.objects.filter(organisation=org, clocks_stale=True).exists()
    assert results.filter(link__isnull=True, state=ClockState.BREACHED).exists()
    assert results.filter(link__isnull=False, state=ClockState.BREACHED).exists()
    assert (
        results.filter(state=ClockState.MET).count()
        > results.filter(state=ClockState.BREACHED).count()
    )


def test_a_watermelon_on_verhuizing_every_link_met_the_chain_breached(verhuizing):
    rows = ClockResult.objects.filter(call__service=verhuizing, call__status=CallStatus.CLOSED)
    chain = defaultdict(dict)
    links = defaultdict(list)
    for call_id, link_id, kind, state in rows.values_list("call", "link", "norm_kind", "state"):
        if link_id is None:
            chain[call_id][kind] = state
        else:
            links[call_id].append(state)
    watermelons = [
        call_id
        for call_id, kinds in chain.items()
        if ClockState.BREACHED in kinds.values()
        and links[call_id]
        and all(state == ClockState.MET for state in links[call_id])
    ]
    assert len(watermelons) >= 2


def test_calls_ping_pong_between_burgerzaken_and_the_kcc(verhuizing):
    sequences = defaultdict(list)
    for call_id, team in (
        LinkSegment.objects.filter(call__service=verhuizing)
        .order_by("call", "started_at", "id")
        .values_list("call", "link__team__name")
    ):
        sequences[call_id].append(team)

    def ping_pong(teams):
        return any(
            a == c and a != b and {a, b} == {"Burgerzaken", "Klantcontactcentrum"}
            for a, b, c in zip(teams, teams[1:], teams[2:], strict=False)
        )

    assert sum(ping_pong(teams) for teams in sequences.values()) >= 3


def test_an_exception_became_the_rule_without_an_improvement(verhuizing):
    approved = CallException.objects.filter(
        call__service=verhuizing, decision=ExceptionDecision.APPROVED
    )
    kinds = Counter(approved.values_list("kind", flat=True))
    kind, repeats = kinds.most_common(1)[0]
    assert repeats >= 3
    calls = approved.filter(kind=kind).values("call")
    assert not Call.objects.filter(call_type="risico", origin__in=calls).exists()
    # The decisions were someone else's than the askers' (no self-legitimising).
    assert all(e.decided_by_id != e.requested_by_id for e in approved)


def test_one_operator_carries_most_calls_of_verhuizing(verhuizing):
    steps = CallEvent.objects.filter(
        call__service=verhuizing, kind=EventKind.STEP_COMPLETED, actor__isnull=False
    )
    hero_id = steps.values("actor").annotate(n=Count("id")).order_by("-n")[0]["actor"]
    assert hero_id == user("operator").pk
    calls = Call.objects.filter(service=verhuizing)
    carried = steps.filter(actor=hero_id).values("call").distinct().count()
    assert calls.count() >= 10
    assert carried / calls.count() >= 0.5
    # Calls that waited for him: assigned to him, his next step more than 48 hours later.
    waited = 0
    for assigned in CallEvent.objects.filter(
        call__service=verhuizing, kind=EventKind.ASSIGNED, data__operator=hero_id
    ):
        next_step = steps.filter(call=assigned.call_id, actor=hero_id, at__gt=assigned.at)
        first = next_step.order_by("at").first()
        if first and first.at - assigned.at > timedelta(hours=48):
            waited += 1
    assert waited >= 2


def test_one_vergunningverlener_completes_most_steps_of_omgevingsvergunning(org):
    service = Service.objects.get(organisation=org, name=OMGEVING)
    steps = CallEvent.objects.filter(call__service=service, kind=EventKind.STEP_COMPLETED)
    top = steps.values("actor").annotate(n=Count("id")).order_by("-n")[0]
    assert Call.objects.filter(service=service).count() >= 10
    assert top["n"] / steps.count() >= 0.5


def test_a_recurring_incident_became_a_risk_with_the_latest_as_origin(verhuizing):
    incidents = Call.objects.filter(
        service=verhuizing, call_type="incident", category=RECURRING
    ).order_by("registered_at")
    assert incidents.count() >= 3
    latest = incidents.last()
    risk = Call.objects.get(service=verhuizing, call_type="risico", origin=latest)
    assert risk.registered_at > latest.registered_at


def test_the_history_has_pauses_escalations_comments_and_improvements(org):
    events = CallEvent.objects.filter(call__organisation=org)
    pauses = ClockPause.objects.filter(call__organisation=org)
    assert pauses.exists() and all(p.reason_kind and p.ended_at for p in pauses)
    assert events.filter(kind=EventKind.CLOCK_PAUSED).exclude(text="").exists()
    escalations = events.filter(kind=EventKind.ESCALATED)
    assert escalations.count() >= 3 and not escalations.filter(text="").exists()
    comments = events.filter(kind=EventKind.COMMENTED)
    assert comments.filter(public=True).exists() and comments.filter(public=False).exists()
    raised = events.filter(kind=EventKind.RISK_RAISED)
    assert raised.exists()
    assert Call.objects.filter(channel="evaluation", origin__isnull=False).count() >= 1


@pytest.mark.parametrize(
    ("username", "name"),
    [
        ("operator", "mine"),
        ("operator", "links"),
        ("team_coordinator", "coordination"),
        ("workflow_coordinator", "coordination"),
        ("supplier_user", "links"),
    ],
)
def test_every_demo_role_has_open_work(org, username, name):
    member = access.access_for(user(username), org)
    assert worklist(name, member).exists()


def test_the_requester_has_open_calls_one_awaiting_her_confirmation(org):
    calls = requester_calls(access.access_for(user("requester"), org))
    open_calls = calls.exclude(status=CallStatus.CLOSED)
    assert open_calls.filter(status=CallStatus.OPEN).exists()
    assert open_calls.filter(status=CallStatus.PROCESS_FULFILLED).exists()


def test_an_exception_awaits_the_service_owners_decision(verhuizing):
    pending = CallException.objects.filter(
        call__service=verhuizing, decision=ExceptionDecision.PENDING
    )
    assert pending.exclude(call__status=CallStatus.CLOSED).exists()
    owner = access.access_for(user("service_owner"), verhuizing.organisation)
    assert access.permitted(owner, "approve_exception", pending.first().call)


def test_loading_again_adds_nothing_and_says_so(org):
    before = (Call.objects.count(), CallEvent.objects.count(), ClockResult.objects.count())
    out = StringIO()
    call_command("demo_load", stdout=out)
    assert "Gemeente Middenstad" in out.getvalue()
    assert (Call.objects.count(), CallEvent.objects.count(), ClockResult.objects.count()) == before
    again = demo_load()
    assert [history.skipped for _name, history in again.histories] == [True]
    assert Call.objects.count() == before[0]
