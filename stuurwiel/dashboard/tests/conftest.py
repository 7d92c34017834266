"""The calls tests' world (a live service with a chain of three links and
members in every call role), and small builders for constructed history: calls,
clocks, link stretches, events and exceptions, made directly."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.utils import timezone, translation

from stuurwiel.calls.choices import EventKind
from stuurwiel.calls.definitions import current_snapshot, definition_of, forget_snapshots
from stuurwiel.calls.models import (
    Call,
    CallEvent,
    CallException,
    ClockResult,
    LinkSegment,
)
from stuurwiel.calls.tests.conftest import build_world
from stuurwiel.workflow import engine

_numbers = itertools.count(1)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def fresh_snapshots():
    forget_snapshots()
    yield
    forget_snapshots()


@pytest.fixture
def world(org_a, make_member):
    return build_world(org_a, make_member)


def rolled(world_or_org, *, full: bool = True) -> None:
    """Roll the figures up (in full, or incrementally since the last roll-up)."""
    from stuurwiel.dashboard.rollup import dashboard_rollup

    organisation = getattr(world_or_org, "org", world_or_org)
    dashboard_rollup(organisation=organisation, full=full)


def ago(**delta) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(**delta)


def make_call(
    world,
    *,
    call_type="incident",
    category="",
    registered_at=None,
    service=None,
    origin=None,
    title="Melding",
) -> Call:
    service = service or world.service
    snapshot = current_snapshot()
    state = engine.start(definition_of(snapshot), call_type)
    number = f"T-{next(_numbers)}"
    return Call.objects.create(
        organisation=service.organisation,
        number=number,
        service=service,
        call_type=call_type,
        title=f"{title} {number}",
        category=category,
        channel="api",
        workflow=snapshot,
        state=engine.state_as_data(state),
        process=state.root.process,
        step=state.root.step,
        registered_at=registered_at or ago(days=3),
        origin=origin,
    )


def clock(world, call, *, link=None, kind="resolution", state="met", used=30, norm=60):
    return ClockResult.objects.create(
        organisation=call.organisation,
        call=call,
        link=link,
        agreement_version=world.sa_version,
        norm_kind=kind,
        norm_minutes=norm,
        used_minutes=used,
        used_seconds=used * 60,
        state=state,
        computed_at=timezone.now(),
    )


def stretches(call, links, *, start=None, routed=False):
    """The call held by ``links`` one after the other, an hour each, each
    hand-over recorded as the services record it: by a person, or (``routed``)
    by the workflow moving the call to the link of its next step."""
    start = start or call.registered_at
    for n, link in enumerate(links):
        at = start + datetime.timedelta(hours=n)
        LinkSegment.objects.create(
            organisation=call.organisation,
            call=call,
            link=link,
            started_at=at,
            ended_at=start + datetime.timedelta(hours=n + 1),
        )
        if n:
            CallEvent.objects.create(
                organisation=call.organisation,
                call=call,
                at=at,
                kind=EventKind.HANDED_OVER,
                link=links[n - 1],
                to_link=link,
                data={"passes": "", "routed": routed},
            )


def event(call, kind, *, actor=None, at=None, link=None, data=None):
    return CallEvent.objects.create(
        organisation=call.organisation,
        call=call,
        at=at or call.registered_at,
        kind=kind,
        actor=actor,
        actor_name=getattr(actor, "username", ""),
        link=link,
        data=data or {},
    )


def exception(call, *, kind="norm", decision="approved"):
    return CallException.objects.create(
        organisation=call.organisation,
        call=call,
        kind=kind,
        description="Afwijking",
        requested_by_name="iemand",
        requested_at=call.registered_at,
        decision=decision,
        decided_by_name="manager",
        decided_at=call.registered_at,
    )
