"""The whole list behind a figure: the dashboard shows the newest few calls of
each signal, and links here for all of them. The list is asked call by call
(an ``EXISTS`` per call) while the register's index walks the period's calls
newest first, so a page (keyset-paged, :class:`~stuurwiel.core.pagination.KeysetPaginator`)
reads about its own calls and the ones between them, not the whole period."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from stuurwiel.calls.models import Call
from stuurwiel.dashboard.conditions import (
    INCIDENT,
    breached,
    escalated,
    handed_back,
    is_watermelon,
)
from stuurwiel.dashboard.selectors.common import dashboard_calls, shown
from stuurwiel.dashboard.selectors.escalations import exception_rows, normalised

#: The lists, by the name in their address, with their titles.
SIGNAL_LISTS = {
    "breached": _("Calls with a breached clock"),
    "watermelon": _("Watermelon calls"),
    "ping-pong": _("Calls handed back and forth"),
    "escalated": _("Escalated calls"),
    "exceptions": _("Calls with a normalised exception"),
    "recurring": _("Incidents of a recurring problem"),
}


def signal_calls(
    *, signal: str, organisation, member_access, start, end, service=None, category: str = ""
) -> QuerySet[Call]:
    """The calls behind ``signal`` (a key of :data:`SIGNAL_LISTS`) in the period,
    unordered (the paginator orders them); ``category`` names the recurring problem
    (with ``service``). The same conditions as the roll-up's (:mod:`..conditions`)."""
    where = {
        "organisation": organisation,
        "member_access": member_access,
        "start": start,
        "end": end,
        "service": service,
    }
    calls = shown(dashboard_calls(**where))
    if signal == "breached":
        return calls.filter(breached())
    if signal == "watermelon":
        return calls.filter(is_watermelon())
    if signal == "ping-pong":
        return calls.filter(handed_back())
    if signal == "escalated":
        return calls.filter(escalated())
    if signal == "exceptions":
        return calls.filter(normalised(exception_rows(**where), organisation=organisation))
    if signal == "recurring":
        return calls.filter(call_type=INCIDENT, category=category) if category else calls.none()
    raise ValueError(f"no list for the signal {signal!r}")
