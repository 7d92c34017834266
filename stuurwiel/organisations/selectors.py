"""Reads for organisations and memberships."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from stuurwiel.organisations.models import Membership, Organisation, RoleAssignment
from stuurwiel.organisations.roles import permissions_for_roles


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
        return (
            Membership.objects.select_related("organisation")
            .prefetch_related(
                Prefetch("role_assignments", queryset=RoleAssignment.objects.all())
            )
            .get(organisation__slug=org_slug, user=user, is_active=True)
        )
    except Membership.DoesNotExist as exc:
        raise Http404 from exc


def membership_permissions(membership: Membership) -> frozenset[str]:
    """Organisation-wide permissions; roles scoped to one subject do not count here."""
    roles = [a.role for a in membership.role_assignments.all() if a.subject_id is None]
    return permissions_for_roles(roles)


def membership_list(*, organisation: Organisation) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .prefetch_related("role_assignments__subject")
    )


def organisation_summary(*, organisation: Organisation) -> dict[str, int]:
    """Counts for the dashboard; one aggregate query per table."""
    from stuurwiel.graph.models import Element, Relation, Subject
    from stuurwiel.parties.models import Person, Stakeholder, Supplier, Team

    return {
        "subjects": Subject.objects.filter(organisation=organisation).count(),
        "elements": Element.objects.filter(organisation=organisation).count(),
        "relations": Relation.objects.filter(organisation=organisation).count(),
        "teams": Team.objects.filter(organisation=organisation).count(),
        "persons": Person.objects.filter(organisation=organisation).count(),
        "suppliers": Supplier.objects.filter(organisation=organisation).count(),
        "stakeholders": Stakeholder.objects.filter(organisation=organisation).count(),
        "members": Membership.objects.filter(organisation=organisation, is_active=True).count(),
    }
