"""Structural escalations and normalised exceptions: the system's own rules no
longer fitting the work."""

from __future__ import annotations

from django.db.models import Q, Sum

from stuurwiel.calls.choices import ExceptionDecision
from stuurwiel.calls.models import CallException
from stuurwiel.dashboard.conditions import escalated
from stuurwiel.dashboard.figures import (
    EscalationFigures,
    EscalationRow,
    ExceptionFigures,
    ExceptionRow,
)
from stuurwiel.dashboard.models import FigureKind
from stuurwiel.dashboard.selectors.common import (
    LINK_NAMES,
    calls_per_service,
    daily_figures,
    dashboard_calls,
    link_label,
    listed,
    newest_days,
    since,
)


def escalations(
    *, organisation, member_access, start, end, service=None, totals: dict[int, int] | None = None
) -> EscalationFigures:
    """Escalations per service and link, with the share of the service's calls
    escalated at that link; structural at the thresholds of :mod:`..figures`."""
    where = {
        "organisation": organisation,
        "member_access": member_access,
        "start": start,
        "end": end,
        "service": service,
    }
    grouped = (
        daily_figures(**where, kind=FigureKind.ESCALATIONS, summed=True)
        .values("service_id", "service__name", "link_id", *LINK_NAMES)
        .annotate(n=Sum("count"), escalated=Sum("calls"))
        .order_by()
    )
    totals = calls_per_service(**where) if totals is None else totals
    rows = [
        EscalationRow(
            service=row["service__name"],
            link=link_label(row),
            escalations=row["n"],
            calls_escalated=row["escalated"],
            service_calls=totals.get(row["service_id"], 0),
        )
        for row in grouped
    ]
    rows.sort(key=lambda r: (not r.structural, -r.escalations, r.service))
    newest, count = newest_days(daily_figures(**where, kind=FigureKind.ESCALATED_CALLS))
    calls = since(dashboard_calls(**where), newest).filter(escalated())
    return EscalationFigures(
        rows=rows, calls=listed(calls) if newest else [], escalated_count=count
    )


def normalised(rows: list[ExceptionRow], *, organisation) -> Q:
    """The calls with an approved exception of a normalised kind of their service.
    Asked of the exceptions (about one call in a hundred has one), not as an
    ``EXISTS`` per flagged kind of every call: that was 65 ms at a million calls."""
    flagged = Q(pk__in=[])
    for row in rows:
        if row.normalised:
            flagged |= Q(kind=row.kind, call__service_id=row.service_id)
    if flagged == Q(pk__in=[]):
        return flagged
    approved = CallException.objects.filter(
        flagged, organisation=organisation, decision=ExceptionDecision.APPROVED
    )
    return Q(pk__in=approved.values("call_id"))


def exception_rows(*, organisation, member_access, start, end, service=None) -> list[ExceptionRow]:
    """Approved exceptions per service and kind, normalised ones first."""
    from stuurwiel.calls.choices import ExceptionKind

    grouped = (
        daily_figures(
            organisation=organisation,
            member_access=member_access,
            start=start,
            end=end,
            service=service,
            kind=FigureKind.EXCEPTIONS,
            summed=True,
        )
        .values("service_id", "service__name", "label")
        .annotate(n=Sum("count"), improved_n=Sum("improved"))
        .order_by()
    )
    labels = dict(ExceptionKind.choices)
    rows = [
        ExceptionRow(
            service_id=row["service_id"],
            service=row["service__name"],
            kind=row["label"],
            kind_label=str(labels.get(row["label"], row["label"])),
            approved=row["n"],
            improved=row["improved_n"],
        )
        for row in grouped
    ]
    rows.sort(key=lambda r: (not r.normalised, -r.approved, r.service))
    return rows


def normalised_exceptions(
    *, organisation, member_access, start, end, service=None
) -> ExceptionFigures:
    """Approved exceptions per service and kind; normalised ("the exception has
    become the rule") when approved at least :data:`~..figures.EXCEPTION_MIN_COUNT`
    times and none of those calls raised a risk."""
    where = {
        "organisation": organisation,
        "member_access": member_access,
        "start": start,
        "end": end,
        "service": service,
    }
    rows = exception_rows(**where)
    found = []
    if any(row.normalised for row in rows):
        flagged_rows = Q(pk__in=[])
        for row in rows:
            if row.normalised:
                flagged_rows |= Q(service_id=row.service_id, label=row.kind)
        figures = daily_figures(**where, kind=FigureKind.EXCEPTIONS).filter(flagged_rows)
        newest, _ = newest_days(figures, "calls")
        found = listed(
            since(dashboard_calls(**where), newest).filter(
                normalised(rows, organisation=organisation)
            )
        )
    return ExceptionFigures(rows=rows, calls=found)
