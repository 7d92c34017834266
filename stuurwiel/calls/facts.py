"""The facts the workflow guards judge a member by, read from the call's events
and the member's roles (see :class:`stuurwiel.workflow.guards.Facts`)."""

from __future__ import annotations

from stuurwiel.calls.choices import EventKind
from stuurwiel.calls.models import CallEvent
from stuurwiel.organisations import access
from stuurwiel.organisations.choices import Role
from stuurwiel.workflow.definition import Definition
from stuurwiel.workflow.guards import Facts

_MANAGING = {Role.MANAGER, Role.SERVICE_OWNER}


def member_roles(user, organisation, service=None) -> set[str]:
    """The roles ``user`` holds in ``organisation`` (for ``service``: the
    unscoped ones and those scoped to its subject)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    membership = access.access_for(user, organisation).membership
    if membership is None:
        return set()
    return {
        assignment.role
        for assignment in membership.role_assignments.all()
        if service is None
        or assignment.subject_id is None
        or assignment.subject_id == service.subject_id
    }


def call_facts(call, by, definition: Definition) -> Facts:
    """What the guards need about ``call`` and the member ``by``."""
    from stuurwiel.calls.routing import is_member

    member_access = access.access_for(by, call.organisation)
    performed: dict[str, set[int]] = {}
    coordinators: set[int] = {call.coordinator_id} if call.coordinator_id else set()
    rows = CallEvent.objects.filter(
        call=call, kind__in=(EventKind.STEP_COMPLETED, EventKind.ASSIGNED)
    ).values_list("kind", "step", "actor_id")
    for kind, step, actor in rows:
        if actor is None:
            continue
        if kind == EventKind.STEP_COMPLETED:
            performed.setdefault(step, set()).add(actor)
        else:
            coordinators.add(actor)
    roles = member_roles(by, call.organisation, call.service)
    link = call.current_link
    actor = getattr(by, "pk", None)
    return Facts(
        actor=actor,
        may_work=access.permitted(member_access, "work", call),
        may_evaluate=access.permitted(member_access, "evaluate", call),
        is_requester=actor is not None and actor == call.requester_id,
        requester=call.requester_id,
        assigned=call.assignee_id,
        in_link=link is None or call.assignee_id is not None or is_member(link, by),
        coordinators=frozenset(coordinators),
        manages_service=bool(roles & _MANAGING)
        or (actor is not None and getattr(call.service.owner, "user_id", None) == actor),
        performed={step: frozenset(users) for step, users in performed.items()},
    )


def relaxed_rules(call) -> frozenset[str]:
    """The separation rules the organisation relaxed for the team of the link
    that holds the call."""
    from stuurwiel.calls.models import SeparationRelaxation

    link = call.current_link
    if link is None or not link.team_id:
        return frozenset()
    return frozenset(
        SeparationRelaxation.objects.filter(
            organisation_id=call.organisation_id, team_id=link.team_id, active=True
        ).values_list("rule", flat=True)
    )
