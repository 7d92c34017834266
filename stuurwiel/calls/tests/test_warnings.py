"""The clocks' 75 % and 100 % warnings become call events, once per result and
threshold, from the minute job's sweep."""

from __future__ import annotations

from datetime import timedelta

import pytest

from stuurwiel.calendars.models import ServiceWindow
from stuurwiel.calls.choices import EventKind, NormKind
from stuurwiel.calls.models import CallEvent, ClockResult
from stuurwiel.calls.tests.test_patterns import register
from stuurwiel.calls.warnings import clock_sweep_and_warn
from stuurwiel.core import clock

pytestmark = pytest.mark.django_db


def every_day(world) -> None:
    """Service hours on all seven days, so the test does not depend on today."""
    for weekday in (6, 7):
        ServiceWindow.objects.create(
            organisation=world.org,
            calendar=world.calendar,
            weekday=weekday,
            start_minute=0,
            end_minute=1440,
        )


def call_used(world, share: float):
    """A call registered so long ago that ``share`` of its chain's response norm is used."""
    now = clock.now()
    probe = register(world, "incident")
    norm = world.sa_version.norms.get(priority=probe.priority).response_minutes
    with clock.at(now - timedelta(minutes=norm * share)):
        call = register(world, "incident")
    return call, norm


def warnings_of(call):
    return list(
        CallEvent.objects.filter(
            call=call, kind__in=(EventKind.CLOCK_WARNING, EventKind.CLOCK_BREACHED)
        ).order_by("id")
    )


def test_a_clock_past_75_percent_gets_one_warning_event_with_its_figures(world):
    every_day(world)
    call, norm = call_used(world, 0.8)
    _sweep, report = clock_sweep_and_warn()
    assert report.warned_75 >= 1
    (event,) = warnings_of(call)
    result = ClockResult.objects.get(call=call, link=None, norm_kind=NormKind.RESPONSE)
    assert event.kind == EventKind.CLOCK_WARNING
    assert event.data["result"] == result.pk
    assert event.data["norm_kind"] == NormKind.RESPONSE
    assert event.data["chain"] is True and event.data["link"] is None
    assert event.data["norm_minutes"] == norm
    assert event.data["used_minutes"] == result.used_minutes >= norm * 3 // 4
    assert event.actor is None and not event.public


def test_the_next_sweep_records_no_second_warning(world):
    every_day(world)
    call, _norm = call_used(world, 0.8)
    clock_sweep_and_warn()
    later = clock.now() + timedelta(minutes=1)
    with clock.at(later):
        _sweep, report = clock_sweep_and_warn()
    assert len(warnings_of(call)) == 1
    assert report.warned_75 == 0


def test_passing_the_norm_adds_the_breach_event_once(world):
    every_day(world)
    call, norm = call_used(world, 0.8)
    clock_sweep_and_warn()
    past_norm = clock.now() + timedelta(minutes=norm * 0.3)
    for extra in (0, 1):
        with clock.at(past_norm + timedelta(minutes=extra)):
            clock_sweep_and_warn()
    kinds = [event.kind for event in warnings_of(call)]
    assert kinds == [EventKind.CLOCK_WARNING, EventKind.CLOCK_BREACHED]
    breach = warnings_of(call)[1]
    assert breach.data["threshold"] == 100
    assert breach.data["used_minutes"] >= norm


def test_a_call_well_within_its_norm_gets_no_warning(world):
    every_day(world)
    call, _norm = call_used(world, 0.5)
    clock_sweep_and_warn()
    assert warnings_of(call) == []


def test_a_norm_passed_in_one_go_is_told_as_exceeded_not_as_nearly_used(world, mailoutbox):
    every_day(world)
    call, _norm = call_used(world, 1.5)
    call.coordinator = world.coordinator
    call.save(update_fields=["coordinator"])
    world.coordinator.email = "wfco@example.org"
    world.coordinator.save(update_fields=["email"])
    mailoutbox.clear()
    clock_sweep_and_warn()
    chain = [e for e in warnings_of(call) if e.data["chain"]]
    assert [e.kind for e in chain if e.data["norm_kind"] == NormKind.RESPONSE] == [
        EventKind.CLOCK_BREACHED
    ]
    from stuurwiel.notifications.services import notifications_send

    notifications_send()
    subjects = [m.subject for m in mailoutbox if "wfco@example.org" in m.to]
    assert subjects and all("exceeded" in s or "overschreden" in s for s in subjects)


def test_after_the_breach_no_late_nearly_used_warning_follows(world):
    every_day(world)
    call, _norm = call_used(world, 1.5)
    clock_sweep_and_warn()
    response = [
        e for e in warnings_of(call) if e.data["chain"] and e.data["norm_kind"] == "response"
    ]
    assert [e.kind for e in response] == [EventKind.CLOCK_BREACHED]
    # The minute after (the 75 % moment still within the look-back): nothing more.
    clock_sweep_and_warn()
    again = [e for e in warnings_of(call) if e.data["chain"] and e.data["norm_kind"] == "response"]
    assert [e.kind for e in again] == [EventKind.CLOCK_BREACHED]
