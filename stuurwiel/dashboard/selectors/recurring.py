"""Recurring problems: incidents of one service and category that keep coming
back, with the risk registered for them when there is one."""

from __future__ import annotations

import datetime

from django.db.models import F, Q, Sum, Window
from django.db.models.functions import RowNumber

from stuurwiel.calls.models import Call
from stuurwiel.dashboard import figures
from stuurwiel.dashboard.conditions import INCIDENT, RISK
from stuurwiel.dashboard.figures import RECURRING_MIN_COUNT, RecurringFigures, RecurringRow
from stuurwiel.dashboard.models import FigureKind
from stuurwiel.dashboard.rollup import midnight
from stuurwiel.dashboard.selectors.common import daily_figures, dashboard_calls, shown
from stuurwiel.organisations import access


def recurring_problems(
    *, organisation, member_access, start, end, service=None
) -> RecurringFigures:
    """At least :data:`RECURRING_MIN_COUNT` incidents of one service and category:
    propose a risk for the system, and show the risk when one exists already (of
    the same service and category, or raised from one of those incidents)."""
    where = {
        "organisation": organisation,
        "member_access": member_access,
        "start": start,
        "end": end,
        "service": service,
    }
    per_day = (
        daily_figures(**where, kind=FigureKind.INCIDENTS)
        .values("service_id", "service__name", "label", "day")
        .annotate(n=Sum("count"))
        .order_by("-day")
    )
    rows: dict[tuple[int, str], RecurringRow] = {}
    since: dict[tuple[int, str], datetime.date] = {}  # per group: the newest LISTED from here
    for found in per_day:
        key = (found["service_id"], found["label"])
        row = rows.setdefault(
            key,
            RecurringRow(
                service_id=found["service_id"],
                service=found["service__name"],
                category=found["label"],
                incidents=0,
            ),
        )
        if row.incidents < figures.LISTED:
            since[key] = found["day"]
        row.incidents += found["n"]
    rows = {key: row for key, row in rows.items() if row.incidents >= RECURRING_MIN_COUNT}
    if not rows:
        return RecurringFigures(rows=[])
    groups, newest_of_groups = Q(pk__in=[]), Q(pk__in=[])
    for service_id, category in rows:
        groups |= Q(service_id=service_id, category=category)
        newest_of_groups |= Q(
            service_id=service_id,
            category=category,
            registered_at__gte=midnight(since[(service_id, category)]),
        )
    incidents = dashboard_calls(**where).filter(call_type=INCIDENT).exclude(category="")
    # Only the newest LISTED of each group are read (numbered per group in SQL),
    # from the days the roll-up says hold them; the oldest of those days bounds
    # the index range too (given only inside the OR, both databases walked every
    # incident of the period: 0.4 s at a million calls).
    oldest = midnight(min(since.values()))
    newest = (
        shown(incidents.filter(newest_of_groups, registered_at__gte=oldest))
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("service_id"), F("category")],
                order_by=[F("registered_at").desc(), F("id").desc()],
            )
        )
        .filter(rank__lte=figures.LISTED)
        .order_by("-registered_at", "-id")
    )
    for call in newest:
        row = rows[(call.service_id, call.category)]
        row.latest_id = row.latest_id or call.pk  # newest first: the first is the latest
        row.calls.append(call)
    _risks_of(rows, groups, where)
    ordered = sorted(rows.values(), key=lambda r: (-r.incidents, r.service, r.category))
    return RecurringFigures(rows=ordered)


def _risks_of(rows: dict[tuple[int, str], RecurringRow], groups: Q, where: dict) -> None:
    """The risk of each recurring problem, when there is one. Risks are few: those
    of the groups from their own index (calls 0006), those raised from an
    incident of the period from the origin index. Asked as one query with OR,
    both databases walked the organisation's calls instead."""
    member_access = where["member_access"]
    risks = Call.objects.filter(organisation=where["organisation"], call_type=RISK)
    found = list(
        access.restrict(risks.filter(groups), member_access).select_related(
            "organisation", "origin"
        )
    ) + list(
        access.restrict(
            risks.filter(
                origin__isnull=False,
                origin__call_type=INCIDENT,
                origin__registered_at__gte=where["start"],
                origin__registered_at__lt=where["end"],
            ),
            member_access,
        ).select_related("organisation", "origin")
    )
    for risk in sorted(found, key=lambda risk: (risk.registered_at, risk.pk)):
        key = (risk.service_id, risk.category)
        if key not in rows and risk.origin is not None:
            key = (risk.origin.service_id, risk.origin.category)
        if key in rows and rows[key].risk is None:
            rows[key].risk = risk


def recurring_incidents(
    *, organisation, member_access, start, end, service, category: str
) -> list[Call]:
    """The incidents of one recurring problem, newest first (for registering its risk)."""
    calls = dashboard_calls(
        organisation=organisation,
        member_access=member_access,
        start=start,
        end=end,
        service=service,
    )
    return list(
        calls.filter(call_type=INCIDENT, category=category).order_by("-registered_at", "-id")
    )
