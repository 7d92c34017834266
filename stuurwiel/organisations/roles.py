"""Role-based permissions as data.

A permission is ``"<area>.<action>"``. Areas match the apps whose objects a member
works with; actions are ``view`` and ``change`` (create, update and delete), plus
``organisations.manage`` for membership administration. The table below is the
single source of truth: views and the API both ask :func:`has_permission`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from stuurwiel.organisations.choices import Role, RoleLevel, SeparationPrinciple

VIEW_ALL = {
    "organisations.view",
    "parties.view",
    "frameworks.view",
    "graph.view",
}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.ORGANISATION_ADMIN: frozenset(
        VIEW_ALL | {"organisations.manage", "parties.change", "graph.change", "changelog.view"}
    ),
    Role.ARCHITECT: frozenset(VIEW_ALL | {"graph.change", "changelog.view"}),
    Role.MANAGER: frozenset(VIEW_ALL | {"graph.change", "parties.change", "changelog.view"}),
    Role.SERVICE_OWNER: frozenset(VIEW_ALL | {"graph.change", "parties.change"}),
    Role.WORKFLOW_MANAGER: frozenset(VIEW_ALL | {"graph.change"}),
    Role.WORKFLOW_COORDINATOR: frozenset(VIEW_ALL),
    Role.TEAM_COORDINATOR: frozenset(VIEW_ALL),
    # Whoever reads the model may read the frameworks it is looked at through.
    Role.OPERATOR: frozenset(
        {"organisations.view", "parties.view", "graph.view", "frameworks.view"}
    ),
    Role.REQUESTER: frozenset({"organisations.view", "graph.view", "frameworks.view"}),
    Role.SUPPLIER_USER: frozenset({"organisations.view", "graph.view", "frameworks.view"}),
    Role.AUDITOR: frozenset(VIEW_ALL | {"changelog.view"}),
}

ROLE_LEVELS: dict[str, str] = {
    Role.ARCHITECT: RoleLevel.ARCHITECTURE,
    Role.MANAGER: RoleLevel.MANAGEMENT,
    Role.SERVICE_OWNER: RoleLevel.MANAGEMENT,
    Role.WORKFLOW_MANAGER: RoleLevel.MANAGEMENT,
    Role.WORKFLOW_COORDINATOR: RoleLevel.COORDINATION,
    Role.TEAM_COORDINATOR: RoleLevel.COORDINATION,
    Role.OPERATOR: RoleLevel.EXECUTION,
    Role.SUPPLIER_USER: RoleLevel.EXECUTION,
    Role.REQUESTER: RoleLevel.NONE,
    Role.AUDITOR: RoleLevel.NONE,
    Role.ORGANISATION_ADMIN: RoleLevel.NONE,
}


def permissions_for_roles(roles: Iterable[str]) -> frozenset[str]:
    granted: set[str] = set()
    for role in roles:
        granted |= ROLE_PERMISSIONS.get(role, frozenset())
    return frozenset(granted)


def has_permission(roles: Iterable[str], permission: str) -> bool:
    return permission in permissions_for_roles(roles)


# --- Function separation -----------------------------------------------------


@dataclass(frozen=True)
class RoleConflict:
    """Two roles that USM's function separation says one person should not hold
    on the same scope, and the principle the combination breaks."""

    first: str
    second: str
    principle: str

    @property
    def roles_label(self) -> str:
        return _("{first} and {second}").format(
            first=Role(self.first).label, second=Role(self.second).label
        )

    @property
    def principle_label(self) -> str:
        return str(SeparationPrinciple(self.principle).label)


# The auditor judges; these roles design, steer, execute or administer, so an
# auditor holding one of them would judge their own work. The requester only asks.
CHANGING_ROLES: tuple[str, ...] = (
    Role.ARCHITECT,
    Role.MANAGER,
    Role.SERVICE_OWNER,
    Role.WORKFLOW_MANAGER,
    Role.WORKFLOW_COORDINATOR,
    Role.TEAM_COORDINATOR,
    Role.OPERATOR,
    Role.SUPPLIER_USER,
    Role.ORGANISATION_ADMIN,
)

# Pairs are unordered. "Managers don't execute; coordinators organise execution
# but don't execute" (§14.5) gives the pairs with the operator; "IT bepaalt niet
# de service, toeleveranciers bepalen niet de architectuur" gives the supplier pairs.
ROLE_CONFLICTS: tuple[RoleConflict, ...] = (
    RoleConflict(Role.ARCHITECT, Role.OPERATOR, SeparationPrinciple.OWN_DESIGN),
    RoleConflict(Role.MANAGER, Role.OPERATOR, SeparationPrinciple.OWN_PERFORMANCE),
    RoleConflict(Role.SERVICE_OWNER, Role.OPERATOR, SeparationPrinciple.OWN_PERFORMANCE),
    RoleConflict(Role.WORKFLOW_MANAGER, Role.OPERATOR, SeparationPrinciple.OWN_PERFORMANCE),
    RoleConflict(Role.WORKFLOW_COORDINATOR, Role.OPERATOR, SeparationPrinciple.OWN_EXCEPTIONS),
    RoleConflict(Role.TEAM_COORDINATOR, Role.OPERATOR, SeparationPrinciple.OWN_EXCEPTIONS),
    RoleConflict(Role.ARCHITECT, Role.SUPPLIER_USER, SeparationPrinciple.DOMAIN_SEPARATION),
    RoleConflict(Role.SERVICE_OWNER, Role.SUPPLIER_USER, SeparationPrinciple.DOMAIN_SEPARATION),
    *(
        RoleConflict(Role.AUDITOR, role, SeparationPrinciple.OWN_PERFORMANCE)
        for role in CHANGING_ROLES
    ),
)


def role_conflicts(roles: Iterable[str]) -> list[RoleConflict]:
    """The conflicts among ``roles``, all held on one scope.

    Only reports: refusing a combination per service or per call is for the
    workflow engine (a later issue), which knows who acts on which call.
    """
    held = set(roles)
    return [c for c in ROLE_CONFLICTS if c.first in held and c.second in held]


# --- Installation-wide -------------------------------------------------------


def may_create_organisation(user) -> bool:
    """Organisations belong to the installation, not to one organisation, so no
    member role grants this: only platform admins (Django ``is_staff``) do it."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_staff)
