"""The permission matrix and the function-separation table are data; these tests
keep them complete and consistent with each other."""

import pytest
from django.utils import translation

from stuurwiel.organisations.choices import Role, SeparationPrinciple
from stuurwiel.organisations.roles import (
    CHANGING_ROLES,
    ROLE_CONFLICTS,
    ROLE_LEVELS,
    ROLE_PERMISSIONS,
    has_permission,
    permissions_for_roles,
    role_conflicts,
)

AREAS = {"organisations", "parties", "frameworks", "graph", "changelog"}


def _writes(permission: str) -> bool:
    return permission.endswith((".change", ".manage"))


def test_every_role_has_an_entry_in_the_permission_matrix_and_a_level():
    assert set(ROLE_PERMISSIONS) == set(Role.values)
    assert set(ROLE_LEVELS) == set(Role.values)


@pytest.mark.parametrize("role", Role.values)
def test_every_permission_names_a_known_area_and_action(role):
    for permission in ROLE_PERMISSIONS[role]:
        area, action = permission.split(".")
        assert area in AREAS and action in {"view", "change", "manage"}, permission


@pytest.mark.parametrize("role", Role.values)
def test_every_role_may_see_its_organisation(role):
    assert has_permission([role], "organisations.view")


def test_auditor_has_no_change_permission():
    assert not [p for p in ROLE_PERMISSIONS[Role.AUDITOR] if _writes(p)]
    assert "changelog.view" in ROLE_PERMISSIONS[Role.AUDITOR]


def test_only_the_organisation_admin_manages_members():
    managers = [r for r, perms in ROLE_PERMISSIONS.items() if "organisations.manage" in perms]
    assert managers == [Role.ORGANISATION_ADMIN]


def test_permissions_of_several_roles_add_up():
    granted = permissions_for_roles([Role.OPERATOR, Role.AUDITOR])
    assert "changelog.view" in granted and "parties.view" in granted
    assert not has_permission([], "organisations.view")
    assert not has_permission(["no-such-role"], "organisations.view")


def test_conflict_table_names_known_roles_and_principles_once():
    pairs = [frozenset((c.first, c.second)) for c in ROLE_CONFLICTS]
    assert len(pairs) == len(set(pairs)), "a pair is listed twice"
    for conflict in ROLE_CONFLICTS:
        assert conflict.first in Role.values and conflict.second in Role.values
        assert conflict.first != conflict.second
        assert conflict.principle in SeparationPrinciple.values


@pytest.mark.parametrize(
    "first,second",
    [
        (Role.ARCHITECT, Role.OPERATOR),
        (Role.WORKFLOW_MANAGER, Role.OPERATOR),
        (Role.WORKFLOW_COORDINATOR, Role.OPERATOR),
        (Role.AUDITOR, Role.MANAGER),
    ],
)
def test_usm_examples_are_conflicts_in_either_order(first, second):
    assert role_conflicts([first, second]) == role_conflicts([second, first])
    assert len(role_conflicts([first, second])) == 1


def test_auditor_conflicts_with_every_role_that_may_change_something():
    changers = {r for r, perms in ROLE_PERMISSIONS.items() if any(_writes(p) for p in perms)}
    assert changers <= set(CHANGING_ROLES)
    for role in CHANGING_ROLES:
        assert role_conflicts([Role.AUDITOR, role]), role


def test_auditor_may_also_be_requester_and_architect_manager_is_fine():
    assert role_conflicts([Role.AUDITOR, Role.REQUESTER]) == []
    assert role_conflicts([Role.ARCHITECT, Role.MANAGER]) == []


def test_conflict_labels_are_readable():
    (conflict,) = role_conflicts([Role.ARCHITECT, Role.OPERATOR])
    with translation.override("en"):
        assert conflict.roles_label == "Architect and Operator"
        assert conflict.principle_label == "Nobody designs their own work."
