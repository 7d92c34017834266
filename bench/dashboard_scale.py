"""The management dashboard at 10,000 and 1,000,000 calls in one organisation (issue 7:
p95 < 150 ms, query counts constant in the number of calls).

Run from the repository root, on the data of ``calls_lists.py`` (its organisations are
built when missing)::

    STUURWIEL_DEMO=1 .venv/bin/python bench/dashboard_scale.py --reuse --sqlite FILE
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/stuurwiel_benchlists STUURWIEL_DEMO=1 \\
        .venv/bin/python bench/dashboard_scale.py --reuse

The call lists' data has calls with few events and segments and no clocks; the dashboard
reads clocks, steps, hand-overs, segments, escalations and exceptions. So first, once per
organisation (skipped when its clocks are there), every call registered in the last
``--rich-days`` days (default 180, about 16 % of three years of calls) gets (seeded):

- about six ``step_completed`` events by operators: its assignee, and on each service one
  "hero" operator who completes a step on 60 % of the service's calls; an ``assigned`` event
  (to the hero on those calls) a few hours in;
- one or two hand-overs: the first routed (``data.routed`` true) from link 1 to link 2,
  the second (40 % of calls) either routed on to link 3 or, on one call in four of those,
  handed back by hand to link 1 (``routed`` false: ping-pong); a link segment per link held;
- four clocks: the chain's (SA) and its current link's (OLA/UC), response and resolution;
  90 % met, 10 % breached, running while the call is open; on 2 % of the calls every link
  clock met and the chain's resolution breached (watermelons);
- an escalation on 4 % of the calls (at link 1 on service 0, so it is structural there),
  an exception on 1 % (70 % approved), and a category on the incidents (five per service,
  so recurring problems show).

Then the roll-up (:mod:`stuurwiel.dashboard.rollup`) the dashboard reads: its time in full
(every day of the organisation's calls), and incrementally after 1,000 new calls (copies of
calls of the rich window, registered today; they stay in a reused database).

Then it measures, as a manager (organisation-wide ``dashboard.view``) and as a service
owner (scoped to one service), the dashboard page (default 90 days), 180 days, one service,
the watermelon page and the API signals: p50/p95 server time (test client, in-process) and
queries over ``--runs`` requests, and the ratio of the largest size to the smallest.
Nothing is asserted; times depend on the machine.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import calls_lists  # noqa: E402 (the world and the measuring are the call lists')

BATCH = 2000


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,1000000", help="calls, comma-separated")
    parser.add_argument("--runs", type=int, default=20, help="timed requests per page")
    parser.add_argument("--reuse", action="store_true", help="keep and reuse the data")
    parser.add_argument("--sqlite", default=str(calls_lists.ROOT / "var/bench/calls_lists.sqlite3"))
    parser.add_argument("--rich-days", type=int, default=180, help="days of rich data")
    parser.add_argument("--pages", default="", help="only pages whose label contains this")
    return parser.parse_args()


# --- The rich data ------------------------------------------------------------------------


def _dashboard_members(world) -> None:
    """A manager (organisation-wide) and a service owner scoped to the first service."""
    from django.contrib.auth import get_user_model

    from stuurwiel.organisations.choices import Role
    from stuurwiel.organisations.models import Membership, RoleAssignment
    from stuurwiel.services.models import Service

    User = get_user_model()
    org = world.organisation
    first = Service.objects.filter(organisation=org).order_by("pk").first()
    for label, role, subject in (
        ("manager", Role.MANAGER, None),
        ("service owner", Role.SERVICE_OWNER, first.subject),
    ):
        user, _ = User.objects.get_or_create(username=f"{org.slug}-{role}")
        membership, _ = Membership.objects.get_or_create(organisation=org, user=user)
        RoleAssignment.objects.get_or_create(membership=membership, role=role, subject=subject)
        world.members[label] = user
    world.service = first


def enrich(world, days: int) -> None:
    """The rich data for the calls registered in the last ``days`` days (see the module)."""
    from stuurwiel.agreements.models import AgreementVersion
    from stuurwiel.calls.choices import (
        CallStatus,
        ClockState,
        EventKind,
        ExceptionDecision,
        ExceptionKind,
        NormKind,
    )
    from stuurwiel.calls.models import Call, CallEvent, CallException, ClockResult, LinkSegment
    from stuurwiel.core import clock
    from stuurwiel.parties.models import Person
    from stuurwiel.services.models import Link

    org = world.organisation
    if ClockResult.objects.filter(organisation=org).exists():
        print(f"rich data of {org.slug} there already")
        return
    started = time.perf_counter()
    now = clock.now()
    rng = random.Random(world.size + 7)
    chains: dict[int, list] = {}
    for link in Link.objects.filter(organisation=org).order_by("position"):
        chains.setdefault(link.service_id, []).append(link)
    versions = {
        v.agreement.service_id: v
        for v in AgreementVersion.objects.filter(organisation=org).select_related("agreement")
    }
    operators = list(
        Person.objects.filter(organisation=org, user__username__contains="-op-")
        .order_by("pk")
        .values_list("user_id", "name", "team_id")
    )
    names = {user: name for user, name, _ in operators}
    by_team: dict[int, list[int]] = {}
    for user, _, team in operators:
        by_team.setdefault(team, []).append(user)
    all_operators = [user for user, _, _ in operators]
    services = sorted(chains)
    heroes = {
        service: all_operators[i * 7 % len(all_operators)] for i, service in enumerate(services)
    }
    window = Call.objects.filter(
        organisation=org, registered_at__gte=now - timedelta(days=days), registered_at__lt=now
    ).order_by("pk")
    ids = list(window.values_list("pk", flat=True))
    counts = {"calls": len(ids), "events": 0, "segments": 0, "clocks": 0, "exceptions": 0}
    for first in range(0, len(ids), BATCH):
        batch = list(
            Call.objects.filter(pk__in=ids[first : first + BATCH]).only(
                "pk", "service_id", "current_link_id", "assignee_id", "status",
                "registered_at", "call_type", "sa_version_id",
            )
        )  # fmt: skip
        segmented = set(
            LinkSegment.objects.filter(call__in=batch).values_list("call_id", "link_id")
        )
        events, segments, clocks, exceptions = [], [], [], []
        categories: dict[str, list[int]] = {}
        for call in batch:
            chain = chains[call.service_id]
            t0 = call.registered_at
            hero = heroes[call.service_id]
            by_hero = rng.random() < 0.6
            doer = hero if by_hero else (call.assignee_id or rng.choice(all_operators))
            base = {"organisation": org, "call": call}

            def event(kind, at, actor=None, events=events, base=base, **extra):
                events.append(
                    CallEvent(
                        **base, kind=kind, at=at, actor_id=actor,
                        actor_name=names.get(actor, ""), **extra,
                    )
                )  # fmt: skip

            event(EventKind.ASSIGNED, t0 + timedelta(hours=1), data={"operator": doer})
            held = [(chain[0], t0)]
            at = t0 + timedelta(hours=4)
            event(EventKind.HANDED_OVER, at, link=chain[0], to_link=chain[1], data={"routed": True})
            held.append((chain[1], at))
            if rng.random() < 0.4:
                at = at + timedelta(hours=6)
                if rng.random() < 0.25:
                    to, routed = chain[0], False
                else:
                    to, routed = chain[2], True
                event(EventKind.HANDED_OVER, at, link=chain[1], to_link=to, data={"routed": routed})
                held.append((to, at))
            for n in range(rng.choice((5, 6, 6, 7))):
                actor = (
                    doer
                    if n % 3 != 2
                    else rng.choice(by_team.get(chain[0].team_id) or all_operators)
                )
                event(
                    EventKind.STEP_COMPLETED,
                    t0 + timedelta(hours=1 + n * 3),
                    actor,
                    step=f"stap-{n}",
                )
            if rng.random() < 0.04:
                link = chain[0] if call.service_id == services[0] else rng.choice(chain)
                event(EventKind.ESCALATED, t0 + timedelta(hours=5), link=link, text="Te traag.")
            for link, since in held:
                if (call.pk, link.pk) not in segmented:
                    segmented.add((call.pk, link.pk))
                    segments.append(LinkSegment(**base, link=link, started_at=since))
            version = versions.get(call.service_id)
            closed = call.status == CallStatus.CLOSED
            melon = closed and rng.random() < 0.02
            for link in (None, call.current_link_id):
                for kind in (NormKind.RESPONSE, NormKind.RESOLUTION):
                    if not closed and kind == NormKind.RESOLUTION:
                        state = ClockState.RUNNING
                    elif melon:
                        state = (
                            ClockState.BREACHED
                            if link is None and kind == NormKind.RESOLUTION
                            else ClockState.MET
                        )
                    else:
                        state = ClockState.MET if rng.random() < 0.9 else ClockState.BREACHED
                    clocks.append(
                        ClockResult(
                            **base, link_id=link, agreement_version=version, norm_kind=kind,
                            norm_minutes=60 if kind == NormKind.RESPONSE else 960,
                            used_minutes=30, used_seconds=1800, state=state, computed_at=now,
                            stopped_at=None
                            if state == ClockState.RUNNING
                            else t0 + timedelta(days=1),
                        )
                    )  # fmt: skip
            if rng.random() < 0.01:
                approved = rng.random() < 0.7
                exceptions.append(
                    CallException(
                        **base, kind=rng.choice(ExceptionKind.values), description="Afwijking.",
                        requested_by_id=doer, requested_by_name=names.get(doer, ""),
                        requested_at=t0 + timedelta(hours=2),
                        decision=ExceptionDecision.APPROVED
                        if approved
                        else ExceptionDecision.PENDING,
                    )
                )  # fmt: skip
            if call.call_type == "incident":
                categories.setdefault(f"categorie-{rng.randrange(5)}", []).append(call.pk)
        CallEvent.objects.bulk_create(events, batch_size=1000)
        LinkSegment.objects.bulk_create(segments, batch_size=1000)
        ClockResult.objects.bulk_create(clocks, batch_size=1000)
        CallException.objects.bulk_create(exceptions, batch_size=1000)
        for category, pks in categories.items():
            Call.objects.filter(pk__in=pks).update(category=category)
        counts["events"] += len(events)
        counts["segments"] += len(segments)
        counts["clocks"] += len(clocks)
        counts["exceptions"] += len(exceptions)
    print(
        f"rich data of {org.slug} in {time.perf_counter() - started:.0f} s: "
        + ", ".join(f"{n:,} {what}" for what, n in counts.items())
    )


# --- The roll-up --------------------------------------------------------------------------


def new_calls(world, n: int) -> int:
    """``n`` copies of the newest calls of the rich window, registered in the last hour
    (what a busy hour adds before the next roll-up). Returns how many were written."""
    from stuurwiel.calls.models import Call
    from stuurwiel.core import clock

    now = clock.now()
    stamp = int(time.time()) % 100000
    fields = [f for f in Call._meta.concrete_fields if not f.primary_key]
    copies = []
    newest = Call.objects.filter(organisation=world.organisation).order_by("-registered_at")[:n]
    for i, call in enumerate(newest):
        copy = Call(**{f.attname: getattr(call, f.attname) for f in fields})
        copy.number = f"R{stamp}-{i}"
        copy.registered_at = now - timedelta(minutes=1 + i % 50)
        copies.append(copy)
    Call.objects.bulk_create(copies, batch_size=BATCH)
    return len(copies)


def rollup_times(world) -> str:
    """The full roll-up, then an incremental one after 1,000 new calls."""
    from stuurwiel.dashboard.rollup import dashboard_rollup

    full = dashboard_rollup(organisation=world.organisation, full=True)
    added = new_calls(world, 1000)
    incremental = dashboard_rollup(organisation=world.organisation)
    return (
        f"roll-up of {world.size:,} calls: full {full.seconds:.1f} s ({full.days} days, "
        f"{full.rows:,} figures); incremental after {added:,} new calls "
        f"{incremental.seconds * 1000:.0f} ms ({incremental.days} days)"
    )


# --- The pages ----------------------------------------------------------------------------


def _url(name: str, world, **query) -> str:
    return calls_lists._url(name, world, **query)


PAGES = []
for _member in ("manager", "service owner"):
    PAGES += [
        ("dashboard 90 days", _member, lambda w: _url("dashboard:dashboard", w)),
        ("dashboard 180 days", _member, lambda w: _url("dashboard:dashboard", w, days=180)),
        (
            "dashboard one service",
            _member,
            lambda w: _url("dashboard:dashboard", w, service=w.service.pk),
        ),
        ("watermelon", _member, lambda w: _url("dashboard:watermelon", w)),
        ("API signals", _member, lambda w: _url("dashboard-api:signals-list", w)),
    ]


def main() -> None:
    args = parse_args()
    workdir = calls_lists.setup_django(args)
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    sizes = [int(size) for size in args.sizes.split(",")]
    pages = [page for page in PAGES if args.pages in page[0]]
    try:
        call_command("migrate", verbosity=0)
        worlds = []
        for size in sizes:
            world = calls_lists.world_for(size, args.reuse)
            _dashboard_members(world)
            enrich(world, args.rich_days)
            worlds.append(world)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        for world in worlds:
            print(rollup_times(world))
        print(
            f"\ndatabase: {connection.vendor} ({settings.DATABASES['default']['NAME']}); "
            f"{args.runs} runs; ms p50/p95, q = queries; test client in-process\n"
        )
        head = f"{'page':<24}{'member':<16}" + "".join(f"{f'{s:,} calls':>24}" for s in sizes)
        print(head + f"{'p95 ratio':>11}")
        print("-" * (len(head) + 11))
        clients = {}
        for label, member, address in pages:
            cells, p95s, statuses = [], [], set()
            for world in worlds:
                key = (world.size, member)
                if key not in clients:
                    clients[key] = Client(HTTP_ACCEPT_LANGUAGE="nl")
                    clients[key].force_login(world.members[member])
                url = address(world)
                r = calls_lists.measure(lambda c=clients[key], u=url: c.get(u), args.runs)
                statuses.add(r.status)
                p95s.append(r.p95)
                cells.append(f"{r.p50:8.1f}/{r.p95:7.1f} {r.queries:3d}q")
            ratio = p95s[-1] / p95s[0] if p95s[0] else 0
            flag = "" if statuses == {200} else f"  HTTP {sorted(statuses)}"
            print(
                f"{label:<24}{member:<16}"
                + "".join(f"{c:>24}" for c in cells)
                + f"{ratio:>10.2f}×"
                + flag
            )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
