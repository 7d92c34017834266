"""Writes from the management dashboard: registering a recurring problem as a
risk for the system (USM: the same incident returning asks for an improvement,
not another fix)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from stuurwiel.calls import services as call_services
from stuurwiel.calls.choices import Channel
from stuurwiel.calls.models import Call
from stuurwiel.dashboard import selectors
from stuurwiel.organisations import access


@transaction.atomic
def recurring_problem_register_risk(
    *, organisation, service, category: str, start, end, by
) -> Call:
    """Register a risk for a recurring problem of ``service`` and ``category`` in the
    period, raised from the latest of its incidents. Needs ``calls.register`` on
    the service (the calls service checks it); refused when the incidents do not
    (or no longer) make a recurring problem."""
    member_access = access.access_for(by, organisation)
    incidents = selectors.recurring_incidents(
        organisation=organisation,
        member_access=member_access,
        start=start,
        end=end,
        service=service,
        category=category,
    )
    if len(incidents) < selectors.RECURRING_MIN_COUNT:
        raise ValidationError(
            _("These incidents do not make a recurring problem (fewer than {n}).").format(
                n=selectors.RECURRING_MIN_COUNT
            ),
            code="not_recurring",
        )
    latest = incidents[0]
    numbers = ", ".join(call.number for call in incidents[: selectors.LISTED])
    return call_services.call_register(
        organisation=organisation,
        service=service,
        call_type=selectors.RISK,
        title=_("Recurring problem: {category}").format(category=category)[:200],
        description=_(
            "{n} incidents of this service in the category “{category}” ({numbers}). "
            "Raised from the management dashboard to improve the system rather than "
            "fix the incident once more."
        ).format(n=len(incidents), category=category, numbers=numbers),
        category=category,
        channel=Channel.EVALUATION,
        by=by,
        origin=latest,
    )
