"""Hand-over ping-pong: calls handed back by a person to a link that held them
before (A → B → A)."""

from __future__ import annotations

from django.db.models import Sum

from stuurwiel.dashboard.conditions import handed_back
from stuurwiel.dashboard.figures import PingPongFigures, PingPongPair
from stuurwiel.dashboard.models import FigureKind
from stuurwiel.dashboard.selectors.common import (
    daily_figures,
    dashboard_calls,
    link_names,
    listed,
    newest_days,
    since,
)


def ping_pong(*, organisation, member_access, start, end, service=None) -> PingPongFigures:
    """Calls handed back by a person to a link that held them before (see
    :func:`~stuurwiel.dashboard.conditions.returns_of`): the calls per service,
    the returns per pair of links, and the newest calls."""
    where = {
        "organisation": organisation,
        "member_access": member_access,
        "start": start,
        "end": end,
        "service": service,
    }
    with_returns = daily_figures(**where, kind=FigureKind.PING_PONG_CALLS)
    summed = daily_figures(**where, kind=FigureKind.PING_PONG_CALLS, summed=True)
    per_service = {
        row["service__name"]: row["n"]
        for row in summed.values("service__name").annotate(n=Sum("count")).order_by()
    }
    grouped = (
        daily_figures(**where, kind=FigureKind.RETURNS, summed=True)
        .values("service__name", "link_id", "other_link_id")
        .annotate(n=Sum("count"))
        .order_by()
    )
    pairs: dict[tuple[str, int, int], int] = {
        (row["service__name"], row["link_id"], row["other_link_id"]): row["n"] for row in grouped
    }
    names: dict[int, str] = {}
    link_names(names, {a for _, a, _ in pairs} | {b for _, _, b in pairs})
    newest, _ = newest_days(with_returns)
    calls = since(dashboard_calls(**where), newest)
    return PingPongFigures(
        per_service=dict(sorted(per_service.items())),
        pairs=sorted(
            (
                PingPongPair(
                    service=s,
                    returning_link=names.get(a, ""),
                    between_link=names.get(b, ""),
                    count=n,
                )
                for (s, a, b), n in pairs.items()
            ),
            key=lambda pair: (-pair.count, pair.service),
        ),
        calls=listed(calls.filter(handed_back())) if newest else [],
    )
