"""What every signal reads: the calls a member's dashboard reaches, the roll-up
rows of a period, and the few calls listed behind a figure."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet, Sum

from stuurwiel.calls.models import Call
from stuurwiel.dashboard import figures
from stuurwiel.dashboard.forms import PERIOD_DAYS
from stuurwiel.dashboard.models import DailyFigure, DashboardRollup, FigureKind
from stuurwiel.dashboard.rollup import SUMMED_KINDS, day_of, midnight
from stuurwiel.organisations import access
from stuurwiel.services.models import Service


def dashboard_calls(
    *, organisation, member_access: access.Access, start, end, service=None
) -> QuerySet[Call]:
    """The calls the signals count: registered in ``[start, end)``, of the
    organisation, that the member's ``dashboard.view`` (and sight of calls) reaches."""
    calls = Call.objects.filter(
        organisation=organisation, registered_at__gte=start, registered_at__lt=end
    )
    if service is not None:
        calls = calls.filter(service=service)
    calls = access.restrict(calls, member_access, permission="dashboard.view")
    return access.restrict(calls, member_access)


def _seen_services(organisation, member_access: access.Access) -> QuerySet[Service]:
    services = Service.objects.filter(organisation=organisation)
    services = access.restrict(services, member_access, permission="dashboard.view")
    return access.restrict(services, member_access)


def dashboard_services(*, organisation, member_access: access.Access) -> list[Service]:
    """The services a member may choose on the dashboard (its service filter)."""
    services = _seen_services(organisation, member_access).order_by("name")
    return list(services.only("pk", "name"))


def period_days(start, end) -> tuple[datetime.date, datetime.date]:
    """The first and last day that begin inside ``[start, end)``."""
    first, last = day_of(start), day_of(end)
    if midnight(first) < start:
        first += datetime.timedelta(days=1)
    if midnight(last) >= end:
        last -= datetime.timedelta(days=1)
    return first, last


def daily_figures(
    *, organisation, member_access, start, end, service=None, kind: FigureKind, summed=False
) -> QuerySet[DailyFigure]:
    """The roll-up rows of ``kind`` for the days of the period the member may see:
    a row per day, or (``summed``, for a sum over the whole period) the roll-up's
    sums of the period when it is a standard one ending today and they are there
    (one row where there were one per day; see :func:`~..rollup._sum_periods`)."""
    first, last = period_days(start, end)
    span = (last - first).days + 1
    rows = DailyFigure.objects.filter(organisation=organisation, kind=kind)
    if (
        summed
        and span in PERIOD_DAYS
        and kind in SUMMED_KINDS
        and DashboardRollup.objects.filter(organisation=organisation, summed_day=last).exists()
    ):
        rows = rows.filter(days=span, day=last)
    else:
        rows = rows.filter(days=0, day__gte=first, day__lte=last)
    if service is not None:
        rows = rows.filter(service=service)
    if not member_access.holds_everywhere("dashboard.view"):
        rows = rows.filter(service__in=_seen_services(organisation, member_access).values("pk"))
    return rows


def newest_days(
    rows: QuerySet[DailyFigure], field: str = "count"
) -> tuple[datetime.date | None, int]:
    """The oldest of the newest days that together hold :data:`~.figures.LISTED`
    of the calls ``rows`` count (``None``: no day holds any), and how many calls
    all of ``rows`` count (one query: the per-day sums carry the total along)."""
    found = None
    total = 0
    per_day = (
        rows.values("day")
        .annotate(n=Sum(field))
        .filter(n__gt=0)
        .order_by("-day")
        .values_list("day", "n")
    )
    for day, n in per_day:
        if total < figures.LISTED:
            found = day
        total += n
    return found, total


def since(calls: QuerySet[Call], day: datetime.date | None) -> QuerySet[Call]:
    """``calls`` registered from the start of ``day`` on (none without a day)."""
    return calls.none() if day is None else calls.filter(registered_at__gte=midnight(day))


#: What a listed call shows (its number, title and service, and the API its type
#: and time): whole calls with their organisation were most of a list's time.
SHOWN = (
    "organisation_id",
    "number",
    "title",
    "call_type",
    "category",
    "registered_at",
    "service_id",
    "service__name",
)


def shown(calls: QuerySet[Call]) -> QuerySet[Call]:
    return calls.select_related("service").only(*SHOWN)


def listed(calls: QuerySet[Call]) -> list[Call]:
    """The newest :data:`~.figures.LISTED` of ``calls``."""
    return list(shown(calls).order_by("-registered_at", "-id")[: figures.LISTED])


LINK_NAMES = ("link__team__name", "link__supplier__name")


def link_label(row: dict[str, Any]) -> str:
    return row.get("link__team__name") or row.get("link__supplier__name") or ""


def link_names(names: dict[int, str], wanted: set[int]) -> None:
    """Fill in the names of the links in ``wanted`` (one query for all of them)."""
    from stuurwiel.services.models import Link

    missing = wanted - set(names) - {None}
    if missing:
        for link in Link.objects.filter(pk__in=missing).select_related("team", "supplier"):
            names[link.pk] = str(link)


def calls_per_service(*, organisation, member_access, start, end, service=None) -> dict[int, int]:
    """The calls registered in the period per service (from the roll-up)."""
    rows = daily_figures(
        organisation=organisation,
        member_access=member_access,
        start=start,
        end=end,
        service=service,
        kind=FigureKind.CALLS,
        summed=True,
    )
    return {
        row["service_id"]: row["n"]
        for row in rows.values("service_id").annotate(n=Sum("count")).order_by()
    }
