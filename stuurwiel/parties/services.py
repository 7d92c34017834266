"""Writes for parties. Every function is atomic and logs to the change log."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from stuurwiel.changelog.choices import ChangeAction
from stuurwiel.changelog.services import change_record, snapshot
from stuurwiel.core.text import REASON_MAX_LENGTH, clean_text
from stuurwiel.organisations import access
from stuurwiel.organisations.models import Membership
from stuurwiel.organisations.writes import lock_fresh, object_create, object_delete, object_update
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


@transaction.atomic
def person_account_link(*, person: Person, user: Any, by: Any, reason: str = "") -> Person:
    """Link ``person`` to the user account ``user`` (``None`` unlinks).

    The account then sees the person's records as its own (the access layer's
    ``access_owner``), so this is the one way to set the link: the account must be
    an active member of the person's organisation, and ``by`` must be allowed to
    manage that organisation's members. Logged as an update of the person.
    """
    reason = clean_text(reason, field="reason", max_length=REASON_MAX_LENGTH)
    fresh = lock_fresh(Person, person.pk)
    organisation = fresh.organisation
    access.require(
        by=by, organisation=organisation, action="change", obj=Membership(organisation=organisation)
    )
    if (
        user is not None
        and not Membership.objects.filter(
            organisation=organisation, user=user, is_active=True
        ).exists()
    ):
        raise ValidationError(
            {"user": _("Only an active member of this organisation can be linked to a person.")},
            code="not_a_member",
        )
    new_id = user.pk if user is not None else None
    if fresh.user_id == new_id:
        return fresh
    before = snapshot(fresh)
    fresh.user = user
    fresh.version += 1
    fresh.save(update_fields=["user", "version", "updated_at"])
    change_record(
        instance=fresh,
        action=ChangeAction.UPDATE,
        by=by,
        before=before,
        after=snapshot(fresh),
        reason=reason,
    )
    return fresh


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
