"""Reads for organisations and memberships."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from stuurwiel.organisations.models import Membership, Organisation, RoleAssignment
from stuurwiel.organisations.roles import (
    RoleConflict,
    SeparationRule,
    role_conflicts,
    separation_rules,
)


def organisations_for_user(user) -> QuerySet[Organisation]:
    if not getattr(user, "is_authenticated", False):
        return Organisation.objects.none()
    return Organisation.objects.filter(
        memberships__user=user, memberships__is_active=True
    ).order_by("name")


def membership_get(*, user, org_slug: str) -> Membership:
    """The user's active membership of the organisation, or 404.

    404 rather than 403: a non-member learns nothing of the organisation's existence.
    """
    if not getattr(user, "is_authenticated", False):
        raise Http404
    try:
        membership = (
            Membership.objects.select_related("organisation")
            .prefetch_related(Prefetch("role_assignments", queryset=RoleAssignment.objects.all()))
            .get(organisation__slug=org_slug, user=user, is_active=True)
        )
    except Membership.DoesNotExist as exc:
        raise Http404 from exc
    # The requesting user object itself, so the access built from this membership
    # is cached on it and services called with ``by=request.user`` reuse it.
    membership.user = user
    return membership


def membership_queryset() -> QuerySet[Membership]:
    """Memberships with what the member pages and the API show (no N+1)."""
    return Membership.objects.select_related("organisation", "user").prefetch_related(
        "role_assignments__subject"
    )


def membership_list(*, organisation: Organisation) -> QuerySet[Membership]:
    return membership_queryset().filter(organisation=organisation)


@dataclass(frozen=True)
class ScopedRoleConflict:
    """A role conflict found on one scope: a subject, or ``None`` for the
    whole organisation."""

    scope: Any
    conflict: RoleConflict

    @property
    def scope_label(self) -> str:
        return str(self.scope) if self.scope is not None else str(_("whole organisation"))

    def __str__(self) -> str:
        return _("{roles} ({scope}): {principle}").format(
            roles=self.conflict.roles_label,
            scope=self.scope_label,
            principle=self.conflict.principle_label,
        )


def membership_role_conflicts(
    membership: Membership, rules: Sequence[SeparationRule] | None = None
) -> list[ScopedRoleConflict]:
    """Role combinations function separation advises against, per scope.

    A role held for the whole organisation also holds on every subject, so a
    subject's scope is its own roles plus the organisation-wide ones; a conflict
    made only of organisation-wide roles is listed once, for the organisation.
    These are warnings: refusing combinations per service or per call comes with
    the workflow engine (a later issue). Uses prefetched ``role_assignments``.
    """
    rules = separation_rules() if rules is None else rules
    assignments = list(membership.role_assignments.all())
    org_wide = {a.role for a in assignments if a.subject_id is None}
    found = [ScopedRoleConflict(None, c) for c in role_conflicts(org_wide, rules)]
    scoped: dict[int, tuple[Any, set[str]]] = {}
    for a in assignments:
        if a.subject_id is not None:
            scoped.setdefault(a.subject_id, (a.subject, set()))[1].add(a.role)
    for subject, roles in sorted(scoped.values(), key=lambda item: str(item[0])):
        for conflict in role_conflicts(roles | org_wide, rules):
            if not (conflict.first in org_wide and conflict.second in org_wide):
                found.append(ScopedRoleConflict(subject, conflict))
    return found


def organisation_summary(*, organisation: Organisation, access: Any) -> dict[str, int]:
    """Counts for the dashboard of what the member may see; one query per table."""
    from stuurwiel.graph.models import Element, Relation, Subject
    from stuurwiel.organisations.access import restrict
    from stuurwiel.parties.models import Person, Stakeholder, Supplier, Team

    def count(queryset: QuerySet) -> int:
        return restrict(queryset.filter(organisation=organisation), access).count()

    return {
        "subjects": count(Subject.objects.all()),
        "elements": count(Element.objects.all()),
        "relations": count(Relation.objects.all()),
        "teams": count(Team.objects.all()),
        "persons": count(Person.objects.all()),
        "suppliers": count(Supplier.objects.all()),
        "stakeholders": count(Stakeholder.objects.all()),
        "members": count(Membership.objects.filter(is_active=True)),
    }
