"""How long the minute's clock sweep takes over many open calls (target: 100,000 open calls < 5 s).

Run from the repository root::

    STUURWIEL_DEMO=1 .venv/bin/python bench/clock_sweep.py [--sizes 10000,100000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench STUURWIEL_DEMO=1 \\
        .venv/bin/python bench/clock_sweep.py

It builds one live service with a chain of three links (an OLA for each team link,
a UC for the supplier, an SA; office hours Monday to Friday 08:30-17:00 with a closed
day), registers one call through the services and clones it with ``bulk_create``
up to each size: registered over the ten days before the last hour, priorities 1-5, a third still
with the first link, a third handed over to the second link after its intake, a
third handed over twice; one in ten paused. Then it times, per size:

- the full recompute (``clock_sweep(full=True)``: every open call's clocks from
  its segments, pauses and events, in Python; it runs once, and after a calendar
  is edited);
- the minute's sweep (``clock_sweep()``, what the job runner runs every minute),
  a minute later each run: median and worst of ``--runs``; it touches only the
  clocks that reached 75 % or 100 % of their norm since the last run;
- the warnings that follow it (``clock_warnings_record``, the rest of the minute job);
- beside it, in the same run and on the same rows, the sweep as it was before
  the due positions (:func:`old_sweep`: every ticking clock's use rewritten per
  calendar, then the warnings and breaches found by comparing use and norm).

The full recompute runs up to ``--full-upto`` calls (default 10,000; on a busy
machine it costs a few milliseconds a call). Beyond that the clocks of the further
calls are copied in SQL from the computed ones (call n gets the clocks of call
n mod the computed count, which has the same chain pattern), so the sweep has a
realistic number of ticking clocks to move; the sweep does the same work whatever
the values.

Also per size, the catch-up: the first warnings after the full recompute (or the
copy), when every clock that had already passed 75 % or 100 % of its norm gets its
event and its e-mail at once (a one-off after a repair, thousands of events; the
minute job afterwards warns a handful). It is timed apart and a line is printed
before each long step, so a slow step shows as that step.

The sweep, the full recompute and the warnings are global (every organisation's
open calls, as the job runner runs them), so the bench needs a database without
other open calls: with ``DATABASE_URL`` it refuses one that has some (a database
reused from an earlier run, or from another bench, would make the full recompute
and the catch-up work through all of those as well; on PostgreSQL that took the
lead's run past a quarter of an hour). After loading it runs ``ANALYZE`` (on
PostgreSQL), as a database in use has statistics: without them the planner
misjudges the warnings' read by a hundredfold and spends about a second a minute
in JIT compilation.

Times depend on the machine; nothing is asserted. Without ``DATABASE_URL`` the data
lives in a throwaway SQLite file; with it, in that database (the rows stay behind:
drop the database afterwards, or make a new one for the next run).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
BATCH = 5000


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    workdir = tempfile.mkdtemp(prefix="stuurwiel-bench-")
    os.makedirs(f"{workdir}/static")
    os.environ.setdefault("STUURWIEL_DATA_DIR", workdir)
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    os.environ.setdefault("STUURWIEL_DEMO", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stuurwiel.settings")
    import django

    django.setup()


def build_world():
    """The service, its chain and agreements, and one registered call as the template."""
    from django.contrib.auth import get_user_model

    from stuurwiel.agreements.models import Agreement, AgreementVersion, Norm
    from stuurwiel.calendars.models import BusinessCalendar, ClosedDay, ServiceWindow
    from stuurwiel.calls import services
    from stuurwiel.graph.models import Subject
    from stuurwiel.organisations.choices import Role
    from stuurwiel.organisations.models import Membership, Organisation, RoleAssignment
    from stuurwiel.parties.models import Supplier, Team
    from stuurwiel.services.models import Link, Service

    stamp = int(time.time())
    org = Organisation.objects.create(name=f"Bench klokken {stamp}", slug=f"bench-clock-{stamp}")
    calendar = BusinessCalendar.objects.create(organisation=org, name="Kantoor")
    for weekday in range(1, 6):
        ServiceWindow.objects.create(
            organisation=org, calendar=calendar, weekday=weekday, start_minute=510, end_minute=1020
        )
    ClosedDay.objects.create(organisation=org, calendar=calendar, date="2026-12-25", name="Kerst")
    subject = Subject.objects.create(organisation=org, name="Melding", kind="service")
    service = Service.objects.create(
        organisation=org, subject=subject, name="Parkeren", status="live", calendar=calendar
    )
    front = Team.objects.create(organisation=org, name="KCC")
    back = Team.objects.create(organisation=org, name="Parkeerbeheer")
    supplier = Supplier.objects.create(organisation=org, name="ParkeerBV")
    links = [
        Link.objects.create(
            organisation=org, service=service, team=front, position=1, steps=["herstellen-aannemen"]
        ),
        Link.objects.create(organisation=org, service=service, team=back, position=2, steps=[]),
        Link.objects.create(
            organisation=org, service=service, supplier=supplier, position=3, steps=[]
        ),
    ]
    for kind, link in (("sa", None), ("ola", links[0]), ("ola", links[1]), ("uc", links[2])):
        agreement = Agreement.objects.create(
            organisation=org, service=service, kind=kind, link=link, name=f"{kind} {link}"
        )
        version = AgreementVersion.objects.create(
            organisation=org, agreement=agreement, number=1, status="active", calendar=calendar
        )
        for priority in range(1, 10):
            Norm.objects.create(
                organisation=org,
                agreement_version=version,
                priority=priority,
                response_minutes=30 * priority,
                resolution_minutes=(960 if kind == "sa" else 480) * priority,
            )
    user = get_user_model().objects.create_user(username=f"bench-clock-{stamp}")
    membership = Membership.objects.create(organisation=org, user=user)
    RoleAssignment.objects.create(membership=membership, role=Role.REQUESTER)
    template = services.call_register(
        organisation=org,
        service=service,
        call_type="incident",
        title="Parkeerautomaat defect",
        by=user,
        impact="medium",
        urgency="high",
    )
    return org, links, template


def grow(org, links, template, first: int, last: int, now) -> None:
    """Calls ``first`` … ``last - 1``: cloned from the template, with their segments,
    responses and pauses."""
    from stuurwiel.calls.choices import EventKind, PauseReason
    from stuurwiel.calls.models import Call, CallEvent, ClockPause, LinkSegment

    for start in range(first, last, BATCH):
        numbers = range(start, min(last, start + BATCH))
        calls = []
        for n in numbers:
            call = Call(
                organisation=org,
                number=f"BC-{n:08d}",
                service_id=template.service_id,
                call_type=template.call_type,
                title=template.title,
                channel=template.channel,
                priority=1 + n % 5,
                workflow_id=template.workflow_id,
                state=template.state,
                process=template.process,
                step=template.step,
                current_link=links[n % 3],
                sa_version_id=template.sa_version_id,
                registered_at=now - timedelta(minutes=60 + (n * 7) % (10 * 24 * 60)),
            )
            calls.append(call)
        calls = Call.objects.bulk_create(calls, batch_size=1000)
        segments, events, paused = [], [], []
        for n, call in zip(numbers, calls, strict=True):
            moments = [call.registered_at + timedelta(minutes=20 * i) for i in range(n % 3 + 1)]
            for i, opened in enumerate(moments):
                ended = moments[i + 1] if i + 1 < len(moments) else None
                segments.append(
                    LinkSegment(
                        organisation=org,
                        call=call,
                        link=links[i],
                        started_at=opened,
                        ended_at=ended,
                    )
                )
                if ended is not None:
                    events.append(
                        CallEvent(
                            organisation=org,
                            call=call,
                            at=ended - timedelta(minutes=5),
                            kind=EventKind.STEP_COMPLETED,
                            link=links[i],
                        )
                    )
            if n % 10 == 0:
                paused.append(
                    ClockPause(
                        organisation=org,
                        call=call,
                        reason_kind=PauseReason.REQUESTER,
                        started_at=moments[-1] + timedelta(minutes=1),
                    )
                )
        LinkSegment.objects.bulk_create(segments, batch_size=1000)
        CallEvent.objects.bulk_create(events, batch_size=1000)
        ClockPause.objects.bulk_create(paused, batch_size=1000)


def copy_clocks(org, computed: int, size: int) -> None:
    """Give calls ``computed`` … ``size - 1`` the clocks of the computed calls."""
    from django.db import connection

    from stuurwiel.calls.models import Call, ClockResult

    base = Call.objects.get(organisation=org, number="BC-00000001").pk - 1
    ClockResult.objects.filter(call_id__gte=base + computed, call__organisation=org).delete()
    source = computed - 1  # calls 1 … computed - 1 have computed clocks
    columns = (
        "organisation_id, link_id, agreement_version_id, calendar_id, norm_kind, "
        "norm_minutes, used_seconds, used_minutes, ticking_offset, due_75_position, "
        "due_100_position, state, stopped_at, "
        "warned_75_at, warned_100_at, computed_at"
    )
    picked = ", ".join(f"r.{c.strip()}" for c in columns.split(","))
    table, calls = ClockResult._meta.db_table, Call._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (call_id, {columns}) SELECT c.id, {picked} "
            f"FROM {calls} c JOIN {table} r ON r.call_id = %s + 1 + ((c.id - %s - 1) %% %s) "
            f"WHERE c.organisation_id = %s AND c.id >= %s AND c.id < %s",
            [base, base, source, org.pk, base + computed, base + size],
        )


def old_sweep(now) -> int:
    """The minute's sweep before the due positions (for comparison): every ticking
    clock's use rewritten per calendar, the thresholds found by comparing use and
    norm over every ticking clock, the warned ids read back by their moment."""
    from django.db import transaction
    from django.db.models import F

    from stuurwiel.calls.choices import ClockState
    from stuurwiel.calls.clocks import Context, position
    from stuurwiel.calls.models import ClockResult

    with transaction.atomic():
        ctx = Context()
        ticking = ClockResult.objects.filter(ticking_offset__isnull=False)
        calendar_ids = set(ticking.order_by().values_list("calendar_id", flat=True).distinct())
        ctx._load_calendars(calendar_ids)
        moved = 0
        for calendar_id in calendar_ids:
            here = position(ctx.calendar(calendar_id), now)
            moved += (
                ticking.filter(calendar_id=calendar_id)
                .exclude(used_seconds=F("ticking_offset") + here)
                .update(
                    used_seconds=F("ticking_offset") + here,
                    used_minutes=(F("ticking_offset") + here) / 60,
                    computed_at=now,
                )
            )
        ticking.filter(warned_75_at__isnull=True, used_seconds__gte=F("norm_minutes") * 45).update(
            warned_75_at=now
        )
        ticking.filter(warned_100_at__isnull=True, used_seconds__gte=F("norm_minutes") * 60).update(
            warned_100_at=now
        )
        ticking.filter(state=ClockState.RUNNING, used_seconds__gt=F("norm_minutes") * 60).update(
            state=ClockState.BREACHED
        )
        list(ClockResult.objects.filter(warned_75_at=now).values_list("pk", flat=True))
        list(ClockResult.objects.filter(warned_100_at=now).values_list("pk", flat=True))
    return moved


def refuse_others(parser) -> None:
    """Stop when the database holds open calls already (see the module's docstring)."""
    from stuurwiel.calls.choices import CallStatus
    from stuurwiel.calls.models import Call

    found = Call.objects.exclude(status=CallStatus.CLOSED).count()
    if found:
        parser.error(
            f"the database holds {found} open calls already (an earlier run?); the sweep "
            "and the full recompute are global, so they would work through those too: "
            "use an empty database (e.g. createdb a new one)"
        )


def analyze() -> None:
    """Statistics for the planner after a bulk load (PostgreSQL; SQLite plans
    without them here)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def step(text: str) -> None:
    print(f"# {time.strftime('%H:%M:%S')} {text}", flush=True)


def load() -> str:
    return "load average " + " ".join(f"{value:.2f}" for value in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000", help="open calls, comma-separated")
    parser.add_argument("--runs", type=int, default=5, help="minute sweeps timed per size")
    parser.add_argument(
        "--full-upto", type=int, default=10_000, help="recompute in full up to this many calls"
    )
    args = parser.parse_args()
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    from stuurwiel.calls.models import ClockResult
    from stuurwiel.calls.sweep import clock_sweep
    from stuurwiel.calls.warnings import LOOKBACK, clock_warnings_record

    call_command("migrate", verbosity=0)
    refuse_others(parser)
    org, links, template = build_world()
    # Inside service hours (a Wednesday 11:00 in Amsterdam, after the template call was
    # registered), so every sweep moves every
    # ticking clock: outside them the sweep only reads (nothing changed to write).
    now = datetime(2027, 1, 13, 11, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
    print(f"database: {connection.vendor}; {load()}")
    heads = (
        "open calls",
        "clocks",
        "ticking",
        "touched",
        "full s",
        "sweep p50 s",
        "max s",
        "catch-up s",
        "warn p50 s",
        "old p50 s",
        "old max s",
    )
    print(" ".join(f"{head:>11}" for head in heads))
    done = computed = 1
    for size in (int(s) for s in args.sizes.split(",")):
        step(f"{size} open calls: building")
        started = time.perf_counter()
        grow(org, links, template, done, size, now)
        analyze()
        built = time.perf_counter() - started
        done = size
        full = None
        if size <= args.full_upto:
            step("full recompute")
            started = time.perf_counter()
            clock_sweep(now, full=True)
            full = time.perf_counter() - started
            computed = size
        elif computed < 2:
            parser.error("the first size must be <= --full-upto: the copies need computed clocks")
        else:
            step("copying the clocks")
            copy_clocks(org, computed, size)
        analyze()
        # Catch up as the minutes before would have: the warnings the full recompute
        # (or the copy) gave, then an hour on, so the warnings' look-back (an hour)
        # holds what a steady minute holds, not the whole history at once.
        step("catch-up: the warnings of the clocks already past 75 % / 100 %")
        started = time.perf_counter()
        caught = clock_warnings_record(report=clock_sweep(now), now=now)
        catch_up = time.perf_counter() - started
        step(f"catch-up: {caught.warned_75} + {caught.warned_100} warnings in {catch_up:.1f} s")
        moment = now + LOOKBACK
        clock_warnings_record(report=clock_sweep(moment), now=moment)
        now += LOOKBACK
        step("the minute's sweeps")
        sweeps, warns, olds, touched = [], [], [], 0
        for run in range(1, args.runs + 1):
            moment = now + timedelta(minutes=run)
            started = time.perf_counter()
            report = clock_sweep(moment)
            sweeps.append(time.perf_counter() - started)
            started = time.perf_counter()
            clock_warnings_record(report=report, now=moment)
            warns.append(time.perf_counter() - started)
            touched += report.ticking
            # The old sweep on the same rows, half a minute on (it rewrites every
            # ticking clock; the new one's warnings leave it nothing new to warn).
            started = time.perf_counter()
            old_sweep(moment + timedelta(seconds=30))
            olds.append(time.perf_counter() - started)
        now += timedelta(minutes=args.runs)
        clocks = ClockResult.objects.count()
        ticking = ClockResult.objects.filter(ticking_offset__isnull=False).count()
        figures = (
            f"{size:>11} {clocks:>11} {ticking:>11} {touched:>11} "
            f"{'copied' if full is None else format(full, '.2f'):>11} "
            f"{statistics.median(sweeps):>11.3f} {max(sweeps):>11.3f} {catch_up:>11.1f} "
            f"{statistics.median(warns):>11.3f} "
            f"{statistics.median(olds):>11.3f} {max(olds):>11.3f}"
        )
        print(f"{figures}   (built in {built:.1f} s; {load()})")


if __name__ == "__main__":
    main()
