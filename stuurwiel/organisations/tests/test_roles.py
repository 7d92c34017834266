"""The permission matrix and the function-separation rules are data; these tests
keep them complete and consistent with each other. The separation rules come from
the USM library alone (one source): here from its bundled file, and, once loaded,
from the database — the same rules either way."""

import pytest
from django.utils import translation

from stuurwiel.frameworks.loader import validate_libraries, write_libraries
from stuurwiel.organisations.access import PERMISSION_MATRIX, Reach
from stuurwiel.organisations.choices import Role, SeparationPrinciple
from stuurwiel.organisations.roles import (
    ROLE_LEVELS,
    USM_LIBRARY,
    _bundled_separation_rules,
    role_conflicts,
    separation_rules,
)

AREAS = {
    "organisations",
    "parties",
    "frameworks",
    "graph",
    "coherence",
    "changelog",
    "services",
    "agreements",
    "calendars",
    "calls",
    "notifications",
    "dashboard",
    "webhooks",
}
# view and change; manage (members; the e-mail notifications; webhook endpoints); approve (a
# service design); catalogue (the requester catalogue of live services).
# On calls: register (report one), work (do its steps), coordinate (assign and
# steer), evaluate, approve_exception, relax (a separation rule for a team).
ACTIONS = {
    "view",
    "change",
    "manage",
    "approve",
    "catalogue",
    "register",
    "work",
    "coordinate",
    "evaluate",
    "approve_exception",
    "relax",
    # On coherence: review (mark that the board reviewed the overview).
    "review",
}
CALL_WRITES = (".work", ".coordinate", ".evaluate", ".approve_exception", ".relax")


def _writes(permission: str) -> bool:
    """Whether a permission changes the organisation's records (reporting a call
    is asking, not changing)."""
    return permission.endswith((".change", ".manage", ".approve", *CALL_WRITES))


def test_every_role_has_an_entry_in_the_permission_matrix_and_a_level():
    assert set(PERMISSION_MATRIX) == set(Role.values)
    assert set(ROLE_LEVELS) == set(Role.values)


@pytest.mark.parametrize("role", Role.values)
def test_every_permission_names_a_known_area_and_action(role):
    for permission in PERMISSION_MATRIX[role]:
        area, action = permission.split(".")
        assert area in AREAS and action in ACTIONS, permission


@pytest.mark.parametrize("role", Role.values)
def test_every_role_may_see_its_organisation(role):
    assert "organisations.view" in PERMISSION_MATRIX[role]


def test_auditor_has_no_change_permission():
    assert not [p for p in PERMISSION_MATRIX[Role.AUDITOR] if _writes(p)]
    assert "changelog.view" in PERMISSION_MATRIX[Role.AUDITOR]


def test_only_the_organisation_admin_manages_members():
    managers = [r for r, grants in PERMISSION_MATRIX.items() if "organisations.manage" in grants]
    assert managers == [Role.ORGANISATION_ADMIN]


def test_suppliers_and_requesters_never_reach_the_whole_organisation_model():
    for role in (Role.SUPPLIER_USER, Role.REQUESTER):
        grants = PERMISSION_MATRIX[role]
        assert grants.get("graph.view") in (None, Reach.LINKED)
        assert grants.get("parties.view") in (None, Reach.OWN)
        assert grants["organisations.view"] == Reach.OWN
        # Their only write: working on the calls handed to the supplier's own link.
        assert [p for p in grants if _writes(p)] in ([], ["calls.work"])
        assert grants.get("calls.work") in (None, Reach.OWN)
        assert grants["calls.view"] == Reach.OWN


def test_the_separation_rules_name_known_roles_and_principles():
    rules = _bundled_separation_rules()
    assert len(rules) >= 8
    for rule in rules:
        assert rule.first in Role.values and set(rule.others) <= set(Role.values)
        assert rule.first not in rule.others
        assert rule.principle in SeparationPrinciple.values
        assert rule.message_nl and rule.message_en


@pytest.mark.django_db
@pytest.mark.parametrize(
    "first,second,principle",
    [
        (Role.ARCHITECT, Role.OPERATOR, "design_own_work"),
        (Role.WORKFLOW_MANAGER, Role.OPERATOR, "judge_own_performance"),
        (Role.WORKFLOW_COORDINATOR, Role.OPERATOR, "coordinators_do_not_execute"),
        (Role.MANAGER, Role.OPERATOR, "managers_do_not_execute"),
        (Role.SERVICE_OWNER, Role.SUPPLIER_USER, "domain_separation"),
        (Role.AUDITOR, Role.MANAGER, "judge_own_performance"),
    ],
)
def test_usm_examples_are_conflicts_in_either_order(first, second, principle):
    assert role_conflicts([first, second]) == role_conflicts([second, first])
    (conflict,) = role_conflicts([first, second])
    assert conflict.principle == principle


@pytest.mark.django_db
def test_auditor_conflicts_with_every_role_that_may_change_something():
    changers = {
        role
        for role, grants in PERMISSION_MATRIX.items()
        if any(_writes(p) for p in grants) and role != Role.AUDITOR
    }
    for role in changers | {Role.OPERATOR, Role.SUPPLIER_USER}:
        assert role_conflicts([Role.AUDITOR, role]), role


@pytest.mark.django_db
def test_auditor_may_also_be_requester_and_architect_manager_is_fine():
    assert role_conflicts([Role.AUDITOR, Role.REQUESTER]) == []
    assert role_conflicts([Role.ARCHITECT, Role.MANAGER]) == []


@pytest.mark.django_db
def test_conflict_labels_are_readable():
    (conflict,) = role_conflicts([Role.ARCHITECT, Role.OPERATOR])
    with translation.override("en"):
        assert conflict.roles_label == "Architect and Operator"
        assert conflict.principle_label == "Nobody designs their own work."
        assert conflict.rule.message.startswith("Nobody designs their own work")


@pytest.mark.django_db
def test_once_loaded_the_rules_come_from_the_database_and_are_the_same():
    bundled = _bundled_separation_rules()
    write_libraries(validate_libraries([USM_LIBRARY]), by=None)
    assert separation_rules() == bundled


@pytest.mark.django_db
def test_a_loaded_library_is_followed_when_it_differs():
    from stuurwiel.frameworks.models import CoherenceRule

    write_libraries(validate_libraries([USM_LIBRARY]), by=None)
    CoherenceRule.objects.filter(ref_id="scheiding-architect-operator").delete()
    assert role_conflicts([Role.ARCHITECT, Role.OPERATOR]) == []
