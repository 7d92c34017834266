"""The clocks: pauses subtract exactly, each link is measured on its own share,
the chain stops at the customer's confirmation, service hours and DST count as
they should, the 75 % and 100 % warnings and the breach, a call closed while
paused, and the watermelon case (every link green, the chain red)."""

from __future__ import annotations

from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from stuurwiel.agreements.models import Agreement, AgreementVersion, Norm
from stuurwiel.calendars.models import BusinessCalendar, ClosedDay, ServiceWindow
from stuurwiel.calls import clocks, pauses, selectors, services, sweep
from stuurwiel.calls.choices import CallStatus, ClockState, EventKind, NormKind, PauseReason
from stuurwiel.calls.models import Call, ClockPause, ClockResult
from stuurwiel.calls.tests.test_patterns import performer
from stuurwiel.core.exceptions import ConflictError

pytestmark = pytest.mark.django_db

AMS = ZoneInfo("Europe/Amsterdam")
MONDAY_9 = datetime(2026, 3, 2, 9, 0, tzinfo=AMS)


class Clock:
    """The time every service reads (``timezone.now``), moved on by the test."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture
def clock(monkeypatch):
    found = Clock(MONDAY_9)
    monkeypatch.setattr(timezone, "now", lambda: found.now)
    return found


def link_agreements(world, resolution: int = 400, response: int = 30) -> None:
    """An OLA for both team links and a UC for the supplier, the same norm for every priority."""
    for link, kind in (
        (world.links.front, "ola"),
        (world.links.specialists, "ola"),
        (world.links.supplier, "uc"),
    ):
        agreement = Agreement.objects.create(
            organisation=world.org,
            service=world.service,
            kind=kind,
            link=link,
            name=f"{kind} {link.pk}",
        )
        version = AgreementVersion.objects.create(
            organisation=world.org, agreement=agreement, number=1, status="active"
        )
        for priority in range(1, 10):
            Norm.objects.create(
                organisation=world.org,
                agreement_version=version,
                priority=priority,
                response_minutes=response,
                resolution_minutes=resolution,
            )


def register(world, call_type: str = "incident") -> Call:
    return services.call_register(
        organisation=world.org,
        service=world.service,
        call_type=call_type,
        title="Parkeerautomaat defect",
        by=world.requester,
        impact="medium",
        urgency="high",
    )


def results(call: Call) -> dict[tuple[str, str], ClockResult]:
    """The call's clocks by (link or "chain", norm kind), a ticking one's use up to now."""
    names = {}
    for result in clocks.used_now(
        ClockResult.objects.filter(call=call).select_related("link__team", "link__supplier")
    ):
        party = "chain" if result.link is None else str(result.link.team or result.link.supplier)
        names[(party, result.norm_kind)] = result
    return names


def set_sa_resolution(world, call: Call, minutes: int) -> None:
    Norm.objects.filter(agreement_version=world.sa_version, priority=call.priority).update(
        resolution_minutes=minutes
    )


def complete(world, call: Call, clock: Clock, minutes: int = 10) -> Call:
    clock.advance(minutes=minutes)
    return services.call_transition(
        call=call, by=performer(world, call), transition="complete", version=call.version
    )


def hand_over(world, call: Call, link, clock: Clock, minutes: int) -> Call:
    clock.advance(minutes=minutes)
    return services.call_hand_over(
        call=call, to_link=link, by=world.coordinator, version=call.version, reason="Verder"
    )


# --- Pauses ---------------------------------------------------------------------------


def test_a_pause_is_subtracted_exactly_from_the_chain_and_the_holding_link(world, clock):
    link_agreements(world)
    call = register(world)
    clock.advance(minutes=30)
    call = pauses.call_pause(
        call=call,
        by=world.desk,
        version=call.version,
        reason_kind=PauseReason.REQUESTER,
        note="Kenteken gevraagd",
    )
    clock.advance(minutes=125)
    call = pauses.call_resume(call=call, by=world.desk, version=call.version)
    clock.advance(minutes=17)
    sweep.clock_sweep()
    found = results(call)
    assert found[("chain", NormKind.RESOLUTION)].used_seconds == 47 * 60
    assert found[("KCC", NormKind.RESOLUTION)].used_seconds == 47 * 60
    pause = ClockPause.objects.get(call=call)
    assert (pause.reason_kind, pause.note, pause.started_by) == (
        PauseReason.REQUESTER,
        "Kenteken gevraagd",
        world.desk,
    )
    assert pause.ended_at - pause.started_at == timedelta(minutes=125)
    assert pause.ended_by == world.desk
    kinds = list(call.events.values_list("kind", flat=True))
    assert kinds.count(EventKind.CLOCK_PAUSED) == kinds.count(EventKind.CLOCK_RESUMED) == 1


def test_a_paused_clock_stands_still_in_the_sweep(world, clock):
    call = register(world)
    clock.advance(minutes=10)
    pauses.call_pause(
        call=call, by=world.desk, version=call.version, reason_kind=PauseReason.PLANNED
    )
    clock.advance(hours=3)
    report = sweep.clock_sweep()
    assert results(call)[("chain", NormKind.RESOLUTION)].used_seconds == 600
    assert report.ticking == 0


def test_pausing_twice_resuming_unpaused_and_a_stale_version_are_refused(world, clock):
    call = register(world)
    with pytest.raises(services.CallActionRefused) as refused:
        pauses.call_resume(call=call, by=world.desk, version=call.version)
    assert refused.value.code == "not_paused"
    call = pauses.call_pause(
        call=call, by=world.desk, version=call.version, reason_kind=PauseReason.PLANNED
    )
    with pytest.raises(services.CallActionRefused) as refused:
        pauses.call_pause(
            call=call, by=world.desk, version=call.version, reason_kind=PauseReason.PLANNED
        )
    assert refused.value.code == "paused"
    with pytest.raises(ConflictError):
        pauses.call_resume(call=call, by=world.desk, version=call.version - 1)


def test_only_the_holder_or_a_coordinator_pauses_and_only_for_a_known_reason(world, clock):
    call = register(world)
    with pytest.raises(services.CallActionRefused) as refused:
        pauses.call_pause(
            call=call, by=world.requester, version=call.version, reason_kind=PauseReason.PLANNED
        )
    assert refused.value.code == "not_holder"
    with pytest.raises(services.CallActionRefused):  # an operator of another link
        pauses.call_pause(
            call=call, by=world.specialist, version=call.version, reason_kind=PauseReason.PLANNED
        )
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        pauses.call_pause(call=call, by=world.desk, version=call.version, reason_kind="lunch")
    assert not ClockPause.objects.filter(call=call).exists()
    pauses.call_pause(
        call=call, by=world.coordinator, version=call.version, reason_kind=PauseReason.PLANNED
    )


# --- Links and the chain -----------------------------------------------------------------


def test_a_hand_over_splits_the_time_so_each_link_is_measured_on_its_own_share(world, clock):
    link_agreements(world)
    call = register(world)
    call = complete(world, call, clock, 20)  # aannemen: the KCC and the chain respond
    call = complete(world, call, clock, 10)  # classificeren: handed to Parkeerbeheer
    assert call.current_link == world.links.specialists
    clock.advance(minutes=45)
    sweep.clock_sweep()
    found = results(call)
    front, specialists = (
        found[("KCC", NormKind.RESOLUTION)],
        found[("Parkeerbeheer", NormKind.RESOLUTION)],
    )
    assert (front.used_seconds, front.state, front.stopped_at) == (
        30 * 60,
        ClockState.MET,
        clock.now - timedelta(minutes=45),
    )
    assert (specialists.used_seconds, specialists.state) == (45 * 60, ClockState.RUNNING)
    assert found[("chain", NormKind.RESOLUTION)].used_seconds == 75 * 60
    assert found[("chain", NormKind.RESPONSE)].used_seconds == 20 * 60
    assert found[("KCC", NormKind.RESPONSE)].used_seconds == 20 * 60
    # Parkeerbeheer has completed no step yet: its response clock runs on, past its 30 minutes.
    response = found[("Parkeerbeheer", NormKind.RESPONSE)]
    assert (response.stopped_at, response.ticking_offset is None) == (None, False)
    assert (response.used_minutes, response.state) == (45, ClockState.BREACHED)
    assert ("ParkeerBV", NormKind.RESOLUTION) not in found


def test_a_link_that_gets_the_call_back_adds_the_new_stretch_to_its_share(world, clock):
    link_agreements(world)
    call = register(world)
    call = hand_over(world, call, world.links.specialists, clock, 10)
    call = hand_over(world, call, world.links.front, clock, 20)
    clock.advance(minutes=5)
    sweep.clock_sweep()
    found = results(call)
    assert found[("KCC", NormKind.RESOLUTION)].used_seconds == 15 * 60
    assert found[("Parkeerbeheer", NormKind.RESOLUTION)].used_seconds == 20 * 60


def walk_to_fulfilled(world, call: Call, clock: Clock) -> Call:
    for _ in range(40):
        if call.status == CallStatus.PROCESS_FULFILLED:
            return call
        actor = performer(world, call)
        offered = services.call_options(call=call, by=actor)
        clock.advance(minutes=10)
        target = "uitvoeren" if offered[0].name == "fork" else ""
        call = services.call_transition(
            call=call, by=actor, transition=offered[0].name, target=target, version=call.version
        )
    raise AssertionError("not fulfilled")


def close(world, call: Call, clock: Clock) -> Call:
    while call.status != CallStatus.CLOSED:
        call = complete(world, call, clock, 30)
    return call


def test_the_chain_clock_stops_at_the_confirmation_not_at_the_closure(world, clock):
    call = register(world)
    call = walk_to_fulfilled(world, call, clock)
    clock.advance(minutes=10)
    call = services.call_transition(
        call=call, by=world.requester, transition="confirm", version=call.version
    )
    confirmed = call.confirmed_at
    clock.advance(hours=2)
    call = close(world, call, clock)
    assert call.clocks_stale  # the transition left the recompute to the sweep
    sweep.clock_sweep()
    call.refresh_from_db()
    assert not call.clocks_stale
    chain = results(call)[("chain", NormKind.RESOLUTION)]
    assert call.closed_at > confirmed
    assert chain.stopped_at == confirmed
    assert chain.used_seconds == (confirmed - call.registered_at).total_seconds()
    assert chain.ticking_offset is None
    clock.advance(days=1)
    sweep.clock_sweep()
    assert results(call)[("chain", NormKind.RESOLUTION)].used_seconds == chain.used_seconds


def test_a_call_closed_while_paused_ends_its_pause_at_the_closure(world, clock):
    call = register(world)
    call = walk_to_fulfilled(world, call, clock)
    call = services.call_transition(
        call=call, by=world.requester, transition="confirm", version=call.version
    )
    call = pauses.call_pause(
        call=call, by=world.coordinator, version=call.version, reason_kind=PauseReason.PLANNED
    )
    call = close(world, call, clock)
    sweep.clock_sweep()
    pause = ClockPause.objects.get(call=call)
    assert pause.ended_at == call.closed_at
    assert call.events.filter(kind=EventKind.CLOCK_RESUMED, data__closed=True).count() == 1
    assert ClockResult.objects.filter(call=call, ticking_offset__isnull=False).count() == 0
    with pytest.raises(services.CallActionRefused):
        pauses.call_pause(
            call=call, by=world.coordinator, version=call.version, reason_kind=PauseReason.PLANNED
        )


def test_every_link_green_while_the_chain_is_red_is_stored_and_found(world, clock):
    """The watermelon case: three shares within their OLA/UC, together past the SA."""
    link_agreements(world, resolution=400)
    call = register(world)
    set_sa_resolution(world, call, 480)
    call = hand_over(world, call, world.links.specialists, clock, 30)
    call = hand_over(world, call, world.links.supplier, clock, 300)
    call = hand_over(world, call, world.links.specialists, clock, 300)
    sweep.clock_sweep()
    found = results(call)
    links = [
        r for (party, kind), r in found.items() if party != "chain" and kind == NormKind.RESOLUTION
    ]
    assert {r.state for r in links} <= {ClockState.MET, ClockState.RUNNING}
    assert all(r.used_seconds <= r.norm_minutes * 60 for r in links)
    chain = found[("chain", NormKind.RESOLUTION)]
    assert (chain.state, chain.used_minutes, chain.norm_minutes) == (ClockState.BREACHED, 630, 480)
    assert list(selectors.watermelon_calls(Call.objects.all())) == [call]
    other = register(world)
    sweep.clock_sweep()
    assert other not in selectors.watermelon_calls(Call.objects.all())


# --- Warnings and breaches ------------------------------------------------------------


def test_a_warning_at_75_percent_and_a_breach_past_100_percent(world, clock):
    call = register(world)
    set_sa_resolution(world, call, 100)
    sweep.clock_sweep(full=True)  # the new norm
    clock.advance(minutes=74)
    report = sweep.clock_sweep()
    chain = results(call)[("chain", NormKind.RESOLUTION)]
    assert (chain.warned_75_at, chain.state) == (None, ClockState.RUNNING)
    clock.advance(minutes=1)
    report = sweep.clock_sweep()
    chain.refresh_from_db()
    assert chain.warned_75_at == clock.now and chain.pk in report.warned_75
    assert chain.warned_100_at is None
    clock.advance(minutes=25)
    report = sweep.clock_sweep()
    chain.refresh_from_db()
    assert (chain.warned_100_at, chain.state) == (clock.now, ClockState.RUNNING)
    assert chain.pk in report.warned_100 and chain.pk not in report.warned_75
    clock.advance(minutes=1)
    report = sweep.clock_sweep()
    chain.refresh_from_db()
    assert chain.state == ClockState.BREACHED and report.breached >= 1
    assert chain.warned_75_at < chain.warned_100_at < clock.now


def test_the_sweep_gives_what_a_full_recompute_gives(world, clock):
    link_agreements(world)
    calls = [register(world) for _ in range(3)]
    calls[1] = hand_over(world, calls[1], world.links.specialists, clock, 40)
    pauses.call_pause(
        call=calls[2], by=world.desk, version=calls[2].version, reason_kind=PauseReason.PLANNED
    )
    clock.advance(hours=3)
    sweep.clock_sweep()
    swept = {
        r.pk: (r.used_seconds, r.state, r.warned_75_at)
        for r in clocks.used_now(ClockResult.objects.all())
    }
    sweep.clock_sweep(full=True)
    full = {r.pk: (r.used_seconds, r.state, r.warned_75_at) for r in ClockResult.objects.all()}
    assert swept == full


# --- Calendars ----------------------------------------------------------------------------


def office(world, name: str = "Kantoortijden", zone: str = "Europe/Amsterdam") -> BusinessCalendar:
    calendar = BusinessCalendar.objects.create(organisation=world.org, name=name, time_zone=zone)
    for weekday in range(1, 6):
        ServiceWindow.objects.create(
            organisation=world.org,
            calendar=calendar,
            weekday=weekday,
            start_minute=540,
            end_minute=1020,
        )
    return calendar


def test_closed_hours_and_closed_days_do_not_count(world, clock):
    calendar = office(world)
    ClosedDay.objects.create(
        organisation=world.org, calendar=calendar, date=datetime(2026, 3, 9).date(), name="Dicht"
    )
    AgreementVersion.objects.filter(pk=world.sa_version.pk).update(calendar=calendar)
    clock.now = datetime(2026, 3, 6, 16, 0, tzinfo=AMS)  # a Friday, an hour before closing
    call = register(world)
    clock.now = datetime(2026, 3, 10, 10, 30, tzinfo=AMS)  # Tuesday; Monday was closed
    sweep.clock_sweep()
    chain = results(call)[("chain", NormKind.RESOLUTION)]
    assert chain.used_minutes == 60 + 90
    assert chain.calendar == calendar


def test_a_link_is_measured_on_its_own_agreements_calendar(world, clock):
    link_agreements(world)
    calendar = office(world)
    AgreementVersion.objects.filter(agreement__link=world.links.front).update(calendar=calendar)
    clock.now = datetime(2026, 3, 2, 7, 0, tzinfo=AMS)
    call = register(world)
    clock.now = datetime(2026, 3, 2, 10, 0, tzinfo=AMS)
    sweep.clock_sweep()
    found = results(call)
    assert found[("KCC", NormKind.RESOLUTION)].used_minutes == 60  # from 09:00 only
    assert found[("chain", NormKind.RESOLUTION)].used_minutes == 180  # round the clock


def test_on_the_day_summer_time_starts_a_day_has_23_hours(world, clock):
    calendar = BusinessCalendar.objects.create(organisation=world.org, name="Altijd")
    for weekday in range(1, 8):
        ServiceWindow.objects.create(
            organisation=world.org,
            calendar=calendar,
            weekday=weekday,
            start_minute=0,
            end_minute=1440,
        )
    AgreementVersion.objects.filter(pk=world.sa_version.pk).update(calendar=calendar)
    clock.now = datetime(2026, 3, 28, 12, 0, tzinfo=AMS)
    call = register(world)
    clock.now = datetime(2026, 3, 29, 12, 0, tzinfo=AMS)  # clocks went forward at 02:00
    sweep.clock_sweep()
    assert results(call)[("chain", NormKind.RESOLUTION)].used_minutes == 23 * 60


def test_a_link_keeps_the_agreement_version_in_force_when_its_share_opened(world, clock):
    link_agreements(world, resolution=400)
    call = register(world)
    old = AgreementVersion.objects.get(agreement__link=world.links.front)
    AgreementVersion.objects.filter(pk=old.pk).update(
        status="superseded", superseded_at=clock.advance(minutes=5)
    )
    new = AgreementVersion.objects.create(
        organisation=world.org,
        agreement=old.agreement,
        number=2,
        status="active",
        activated_at=clock.now,
    )
    Norm.objects.create(
        organisation=world.org,
        agreement_version=new,
        priority=call.priority,
        response_minutes=5,
        resolution_minutes=10,
    )
    clock.advance(minutes=20)
    sweep.clock_sweep(full=True)
    front = results(call)[("KCC", NormKind.RESOLUTION)]
    assert (front.agreement_version_id, front.norm_minutes) == (old.pk, 400)


def test_the_command_sweeps(world, clock):
    register(world)
    out = StringIO()
    call_command("clock_sweep", stdout=out)
    assert "recomputed calls 1," in out.getvalue()  # the registration left it to the sweep
    clock.advance(minutes=1)
    out = StringIO()
    call_command("clock_sweep", stdout=out)
    # The chain's two clocks tick on, far from 75 % of their norms: nothing is written.
    assert "ticking 0, recomputed calls 0," in out.getvalue()
    out = StringIO()
    call_command("clock_sweep", stdout=out)
    assert "ticking 0," in out.getvalue()
