"""Role-based permissions as data.

A permission is ``"<area>.<action>"``. Areas match the apps whose objects a member
works with; actions are ``view`` and ``change`` (create, update and delete), plus
``organisations.manage`` for membership administration. The table below is the
single source of truth: views and the API both ask :func:`has_permission`.
"""

from __future__ import annotations

from collections.abc import Iterable

from stuurwiel.organisations.choices import Role, RoleLevel

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
    Role.OPERATOR: frozenset({"organisations.view", "parties.view", "graph.view"}),
    Role.REQUESTER: frozenset({"organisations.view", "graph.view"}),
    Role.SUPPLIER_USER: frozenset({"organisations.view", "graph.view"}),
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
