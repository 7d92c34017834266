"""Hero dependency: one person carrying most of a service, and the calls that
waited for them."""

from __future__ import annotations

from django.db.models import F, Max, Q, Sum

from stuurwiel.calls.models import Call
from stuurwiel.dashboard import figures
from stuurwiel.dashboard.conditions import waits_of
from stuurwiel.dashboard.figures import HERO_WAIT, HeroFigures, HeroRow
from stuurwiel.dashboard.models import FigureKind
from stuurwiel.dashboard.selectors.common import (
    calls_per_service,
    daily_figures,
    dashboard_calls,
    newest_days,
    shown,
    since,
)


def hero_dependency(
    *, organisation, member_access, start, end, service=None, totals: dict[int, int] | None = None
) -> HeroFigures:
    """Per service the person who completed most steps, and the share of the
    service's calls they carried; when flagged, the calls that waited for them
    (assigned to them, their next step there more than :data:`HERO_WAIT` later)."""
    from stuurwiel.core import clock

    where = {
        "organisation": organisation,
        "member_access": member_access,
        "start": start,
        "end": end,
        "service": service,
    }
    per_person = (
        daily_figures(**where, kind=FigureKind.STEPS, summed=True)
        .values("service_id", "service__name", "person_id")
        .annotate(steps=Sum("count"), carried=Sum("calls"), name=Max("person_name"))
        .order_by()
    )
    totals = calls_per_service(**where) if totals is None else totals
    best: dict[int, HeroRow] = {}
    for row in per_person:
        candidate = HeroRow(
            service_id=row["service_id"],
            service=row["service__name"],
            person_id=row["person_id"],
            person=row["name"],
            steps=row["steps"],
            calls=row["carried"],
            service_calls=totals.get(row["service_id"], 0),
        )
        current = best.get(candidate.service_id)
        if current is None or (candidate.steps, -candidate.person_id) > (
            current.steps,
            -current.person_id,
        ):
            best[candidate.service_id] = candidate
    rows = sorted(best.values(), key=lambda r: (not r.flagged, -r.share, r.service))
    heroes = {(row.service_id, row.person_id): row for row in rows if row.flagged}
    if heroes:
        _waited_for(where, heroes, clock.now())
    return HeroFigures(rows=rows)


def _waited_for(where: dict, heroes: dict[tuple[int, int], HeroRow], now) -> None:
    """The newest calls assigned to a hero (``(service, person)`` → row) whose
    next step by them came late, or has not come and the wait is longer already.
    The roll-up's waits (late or still open) say from which day on to look."""
    wanted = Q(pk__in=[])
    for service_id, person in heroes:
        wanted |= Q(service_id=service_id, person_id=person)
    waits = daily_figures(**where, kind=FigureKind.WAITS).filter(wanted)
    newest, _ = newest_days(waits.annotate(either=F("count") + F("running")), "either")
    for row in heroes.values():
        row.waited = []
    if newest is None:
        return
    calls = since(dashboard_calls(**where), newest)
    assigned = (
        waits_of(calls)
        .filter(operator__in=sorted({person for _, person in heroes}))
        .filter(
            Q(next_at__gt=F("at") + HERO_WAIT) | Q(next_at__isnull=True, at__lt=now - HERO_WAIT)
        )
        .order_by("-at", "-id")
        .values_list("call_id", "call__service_id", "operator")
    )
    chosen: dict[int, HeroRow] = {}
    waited: dict[int, list[int]] = {id(row): [] for row in heroes.values()}
    for call_id, service_id, person in assigned.iterator():
        hero = heroes.get((service_id, person))
        if hero is None or call_id in chosen:
            continue
        if len(waited[id(hero)]) < figures.LISTED:
            waited[id(hero)].append(call_id)
            chosen[call_id] = hero
        if all(len(ids) >= figures.LISTED for ids in waited.values()):
            break
    found = {call.pk: call for call in shown(Call.objects.filter(pk__in=chosen))}
    for row in heroes.values():
        row.waited = [found[pk] for pk in waited[id(row)]]
