"""Roles: their USM level, and the function-separation rules between them.

What a role may *do* is the permission matrix of :mod:`stuurwiel.organisations.access`.
Which roles one person should not combine is not written here: it comes from the
USM library's ``role_separation`` rules (``frameworks/libraries/usm.yaml``), the one
source of USM's domain rules. A rule's ``roles`` list says that its first role is
not combined with any of the others; ``principle`` names why (§14.6–14.7).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from stuurwiel.organisations.choices import Role, RoleLevel, SeparationPrinciple

USM_URN = "urn:stuurwiel:framework:usm"
USM_LIBRARY = Path(__file__).resolve().parent.parent / "frameworks" / "libraries" / "usm.yaml"

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


@dataclass(frozen=True)
class SeparationRule:
    """One ``role_separation`` rule of the USM library."""

    ref_id: str
    first: str
    others: tuple[str, ...]
    principle: str
    scope: str
    message_nl: str
    message_en: str

    @property
    def message(self) -> str:
        return self.message_en if (get_language() or "nl").startswith("en") else self.message_nl

    @classmethod
    def from_data(cls, ref_id: str, params: dict, message: dict) -> SeparationRule | None:
        roles = list(params.get("roles") or [])
        if len(roles) < 2:
            return None
        return cls(
            ref_id=ref_id,
            first=roles[0],
            others=tuple(roles[1:]),
            principle=params.get("principle", ""),
            scope=params.get("scope", ""),
            message_nl=message.get("nl", ""),
            message_en=message.get("en", ""),
        )


@dataclass(frozen=True)
class RoleConflict:
    """Two roles one person holds on the same scope that a separation rule
    advises against, with the rule that says so."""

    first: str
    second: str
    principle: str
    rule: SeparationRule

    @property
    def roles_label(self) -> str:
        return _("{first} and {second}").format(
            first=Role(self.first).label, second=Role(self.second).label
        )

    @property
    def principle_label(self) -> str:
        try:
            return str(SeparationPrinciple(self.principle).label)
        except ValueError:
            return self.rule.message


def separation_rules() -> tuple[SeparationRule, ...]:
    """The loaded USM library's separation rules (one query); before the library
    is loaded, those of its bundled file — the same data."""
    from stuurwiel.frameworks.models import CoherenceRule

    rows = CoherenceRule.objects.filter(framework__urn=USM_URN, kind="role_separation").order_by(
        "order"
    )
    loaded = [
        SeparationRule.from_data(
            row.ref_id, row.params or {}, {"nl": row.message_nl, "en": row.message_en}
        )
        for row in rows
    ]
    if loaded:
        return tuple(rule for rule in loaded if rule is not None)
    return _bundled_separation_rules()


@lru_cache(maxsize=1)
def _bundled_separation_rules() -> tuple[SeparationRule, ...]:
    data = yaml.safe_load(USM_LIBRARY.read_text(encoding="utf-8"))
    rules = (
        SeparationRule.from_data(rule["ref_id"], rule.get("params", {}), rule.get("message", {}))
        for rule in data.get("coherence_rules", [])
        if rule.get("kind") == "role_separation"
    )
    return tuple(rule for rule in rules if rule is not None)


def role_conflicts(
    roles: Iterable[str], rules: Sequence[SeparationRule] | None = None
) -> list[RoleConflict]:
    """The conflicts among ``roles``, all held on one scope, by ``rules``
    (default: :func:`separation_rules`). Each pair is reported once, by the first
    rule that names it.

    Only reports: refusing a combination per service or per call is for the
    workflow engine (a later issue), which knows who acts on which call.
    """
    held = set(roles)
    rules = separation_rules() if rules is None else rules
    found: list[RoleConflict] = []
    seen: set[frozenset[str]] = set()
    for rule in rules:
        if rule.first not in held:
            continue
        for other in rule.others:
            pair = frozenset((rule.first, other))
            if other in held and pair not in seen:
                seen.add(pair)
                first, second = sorted(pair, key=Role.values.index)
                found.append(RoleConflict(first, second, rule.principle, rule))
    return found


# --- Installation-wide -------------------------------------------------------


def may_create_organisation(user) -> bool:
    """Organisations belong to the installation, not to one organisation, so no
    member role grants this: only platform admins (Django ``is_staff``) do it."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_staff)
