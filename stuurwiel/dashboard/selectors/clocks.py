"""The clock signals: norms met and breached, and watermelons (every link green,
the chain red)."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Sum

from stuurwiel.calls.clocks import used_now
from stuurwiel.calls.models import ClockResult
from stuurwiel.dashboard.conditions import breached, watermelon_ids
from stuurwiel.dashboard.figures import (
    NormFigures,
    NormRow,
    WatermelonCall,
    WatermelonFigures,
)
from stuurwiel.dashboard.models import FigureKind
from stuurwiel.dashboard.selectors.common import (
    LINK_NAMES,
    daily_figures,
    dashboard_calls,
    link_label,
    listed,
    newest_days,
    since,
)


def norms(*, organisation, member_access, start, end, service=None) -> NormFigures:
    """Clocks met, breached and running, per service, link (or the chain) and norm
    kind; and the newest calls with a breached clock (and how many there are)."""
    where = {
        "organisation": organisation,
        "member_access": member_access,
        "start": start,
        "end": end,
        "service": service,
    }
    grouped = (
        daily_figures(**where, kind=FigureKind.CLOCKS, summed=True)
        .values(
            "service_id", "service__name", "link_id", "link__position", *LINK_NAMES, "norm_kind"
        )
        .annotate(met=Sum("met"), breached=Sum("breached"), running=Sum("running"))
        .order_by()
    )
    rows = [
        NormRow(
            service_id=row["service_id"],
            service=row["service__name"],
            link_id=row["link_id"],
            link=link_label(row),
            position=row["link__position"] or 0,
            norm_kind=row["norm_kind"],
            met=row["met"],
            breached=row["breached"],
            running=row["running"],
        )
        for row in grouped
    ]
    rows.sort(key=lambda r: (r.service, r.link_id is not None, r.position, r.norm_kind))
    newest, count = newest_days(daily_figures(**where, kind=FigureKind.BREACHED_CALLS))
    calls = since(dashboard_calls(**where), newest).filter(breached())
    return NormFigures(
        rows=rows, breached_calls=listed(calls) if newest else [], breached_count=count
    )


def watermelon(*, organisation, member_access, start, end, service=None) -> WatermelonFigures:
    """Calls whose every link clock (OLA/UC) of a norm kind is met while the chain's
    SA clock of that kind is breached: every link green, the chain red."""
    where = {
        "organisation": organisation,
        "member_access": member_access,
        "start": start,
        "end": end,
        "service": service,
    }
    summed = daily_figures(**where, kind=FigureKind.WATERMELONS, summed=True)
    per_service = {
        row["service__name"]: row["n"]
        for row in summed.values("service__name").annotate(n=Sum("count")).order_by()
    }
    newest, _ = newest_days(daily_figures(**where, kind=FigureKind.WATERMELONS))
    calls = since(dashboard_calls(**where), newest)
    found_calls = listed(calls.filter(pk__in=watermelon_ids(calls))) if newest else []
    clocks = used_now(  # a ticking clock's use up to now (calls/clocks.py)
        ClockResult.objects.filter(call__in=[call.pk for call in found_calls]).select_related(
            "link__team", "link__supplier", "calendar"
        )
    )
    by_call: dict[int, list[ClockResult]] = defaultdict(list)
    for clock_row in clocks if found_calls else []:
        by_call[clock_row.call_id].append(clock_row)
    found = []
    for call in found_calls:
        own = by_call[call.pk]
        links = sorted(
            (c for c in own if c.link_id is not None),
            key=lambda c: (c.link.position if c.link else 0, c.norm_kind),
        )
        chain = sorted((c for c in own if c.link_id is None), key=lambda c: c.norm_kind)
        found.append(WatermelonCall(call=call, chain=chain, links=links))
    return WatermelonFigures(per_service=per_service, count=sum(per_service.values()), calls=found)
