"""The signals of a working system (issue 7 item 7), read from the roll-ups.

Each signal is one function with the same keyword-only arguments (the
organisation, the member's access, the period, optionally one service) and
returns a plain dataclass (:mod:`~stuurwiel.dashboard.figures`) with the figures
and the newest calls behind them; one module per concern:

- :mod:`.clocks`: norms met and breached, watermelons;
- :mod:`.handovers`: hand-over ping-pong;
- :mod:`.escalations`: structural escalations and normalised exceptions;
- :mod:`.heroes`: hero dependency;
- :mod:`.recurring`: recurring problems and their risks;
- :mod:`.lists`: the whole list behind a figure (its own page);
- :mod:`.common`: what they share (the member's calls, the roll-up rows).

The figures are sums of :class:`~stuurwiel.dashboard.models.DailyFigure` rows
(:mod:`~stuurwiel.dashboard.rollup` keeps them, every minute): at most one row
per day of the period and service, link, person or label, whatever the number
of calls. A period counts the days that *begin* inside it (the last 90 days:
the 90 days up to and including today), and the figures are those of the last
roll-up (:func:`figures_as_of`; the pages say so).

The calls behind a figure are read from the register directly, but bounded: at
most :data:`~stuurwiel.dashboard.figures.LISTED` per list, and the roll-up says
which of the newest days hold them, so only the calls registered since then are
asked (with the same conditions as the roll-up's,
:mod:`~stuurwiel.dashboard.conditions`); the count of all of them comes from the
roll-up, the whole list from :func:`signal_calls`. Which calls a member may see
is the access layer's ``dashboard.view`` (a service owner: the calls of their
services); the figures are kept per service, so restricting the services
restricts the figures.
"""

from __future__ import annotations

from stuurwiel.calls.models import SeparationRelaxation
from stuurwiel.dashboard.conditions import INCIDENT, RISK
from stuurwiel.dashboard.figures import (
    ESCALATION_MIN_COUNT,
    ESCALATION_MIN_SHARE,
    EXCEPTION_MIN_COUNT,
    HERO_MIN_CALLS,
    HERO_MIN_SHARE,
    HERO_WAIT,
    LISTED,
    RECURRING_MIN_COUNT,
    NormFigures,
    Signals,
)
from stuurwiel.dashboard.rollup import figures_as_of
from stuurwiel.dashboard.selectors.clocks import norms, watermelon
from stuurwiel.dashboard.selectors.common import (
    calls_per_service,
    daily_figures,
    dashboard_calls,
    dashboard_services,
    period_days,
)
from stuurwiel.dashboard.selectors.escalations import escalations, normalised_exceptions
from stuurwiel.dashboard.selectors.handovers import ping_pong
from stuurwiel.dashboard.selectors.heroes import hero_dependency
from stuurwiel.dashboard.selectors.lists import SIGNAL_LISTS, signal_calls
from stuurwiel.dashboard.selectors.recurring import recurring_incidents, recurring_problems

__all__ = [
    "ESCALATION_MIN_COUNT",
    "ESCALATION_MIN_SHARE",
    "EXCEPTION_MIN_COUNT",
    "HERO_MIN_CALLS",
    "HERO_MIN_SHARE",
    "HERO_WAIT",
    "INCIDENT",
    "LISTED",
    "RECURRING_MIN_COUNT",
    "RISK",
    "SIGNAL_LISTS",
    "NormFigures",
    "Signals",
    "calls_per_service",
    "daily_figures",
    "dashboard_calls",
    "dashboard_services",
    "escalations",
    "figures_as_of",
    "hero_dependency",
    "normalised_exceptions",
    "norms",
    "period_days",
    "ping_pong",
    "recurring_incidents",
    "recurring_problems",
    "signal_calls",
    "signals",
    "standing_findings",
    "watermelon",
]


def standing_findings(*, organisation) -> list[SeparationRelaxation]:
    """Every separation rule relaxed for a team and still in effect."""
    return list(
        SeparationRelaxation.objects.filter(organisation=organisation, active=True)
        .select_related("team")
        .order_by("-decided_at")
    )


def signals(*, organisation, member_access, start, end, service=None) -> Signals:
    """Every signal for one period (and service), for the dashboard and the API."""
    where = {
        "organisation": organisation,
        "member_access": member_access,
        "start": start,
        "end": end,
        "service": service,
    }
    norm_figures = norms(**where)
    melons = watermelon(**where)
    melons.norms = norm_figures
    # The calls per service, summed once: the total and two signals' shares read it.
    totals = calls_per_service(**where)
    return Signals(
        start=start,
        end=end,
        calls=sum(totals.values()),
        findings=standing_findings(organisation=organisation),
        norms=norm_figures,
        watermelon=melons,
        ping_pong=ping_pong(**where),
        escalations=escalations(**where, totals=totals),
        exceptions=normalised_exceptions(**where),
        heroes=hero_dependency(**where, totals=totals),
        recurring=recurring_problems(**where),
        as_of=figures_as_of(organisation=organisation),
    )
