"""Writes for parties. Every function is atomic and logs to the change log."""

from __future__ import annotations

from typing import Any

from stuurwiel.organisations.writes import object_create, object_delete, object_update
from stuurwiel.parties.models import Person, Stakeholder, Supplier, Team


def team_create(*, organisation, by, data: dict[str, Any], reason: str = "") -> Team:
    return object_create(model=Team, organisation=organisation, by=by, data=data, reason=reason)


def team_update(*, instance: Team, by, data: dict[str, Any], version, reason: str = "") -> Team:
    return object_update(instance=instance, by=by, data=data, version=version, reason=reason)


def team_delete(*, instance: Team, by, version=None, reason: str = "") -> None:
    object_delete(instance=instance, by=by, version=version, reason=reason)


def person_create(*, organisation, by, data: dict[str, Any], reason: str = "") -> Person:
    return object_create(model=Person, organisation=organisation, by=by, data=data, reason=reason)


def person_update(
    *, instance: Person, by, data: dict[str, Any], version, reason: str = ""
) -> Person:
    return object_update(instance=instance, by=by, data=data, version=version, reason=reason)


def person_delete(*, instance: Person, by, version=None, reason: str = "") -> None:
    object_delete(instance=instance, by=by, version=version, reason=reason)


def supplier_create(*, organisation, by, data: dict[str, Any], reason: str = "") -> Supplier:
    return object_create(model=Supplier, organisation=organisation, by=by, data=data, reason=reason)


def supplier_update(
    *, instance: Supplier, by, data: dict[str, Any], version, reason: str = ""
) -> Supplier:
    return object_update(instance=instance, by=by, data=data, version=version, reason=reason)


def supplier_delete(*, instance: Supplier, by, version=None, reason: str = "") -> None:
    object_delete(instance=instance, by=by, version=version, reason=reason)


def stakeholder_create(*, organisation, by, data: dict[str, Any], reason: str = "") -> Stakeholder:
    return object_create(
        model=Stakeholder, organisation=organisation, by=by, data=data, reason=reason
    )


def stakeholder_update(
    *, instance: Stakeholder, by, data: dict[str, Any], version, reason: str = ""
) -> Stakeholder:
    return object_update(instance=instance, by=by, data=data, version=version, reason=reason)


def stakeholder_delete(*, instance: Stakeholder, by, version=None, reason: str = "") -> None:
    object_delete(instance=instance, by=by, version=version, reason=reason)
