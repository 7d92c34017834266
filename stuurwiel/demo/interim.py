"""Writes of calendars and agreements for the demo, until their apps have services.

The agreements and calendars apps have models but, on this branch, no
``services.py`` yet. Rather than scattering ORM writes through the loader, every
such write of the demo goes through this module: each function is the shared
:func:`~stuurwiel.organisations.writes.object_create` (access-checked,
``full_clean()``-validated, change-logged, inside the loader's transaction), with
the extra fields a service of that app would set itself (an agreement version's
number, status and date in force). When ``calendars.services`` and
``agreements.services`` exist, switch the bodies below to them; the loader does not
change.
"""

from __future__ import annotations

import datetime
from typing import Any

from stuurwiel.agreements.choices import VersionStatus
from stuurwiel.agreements.models import Agreement, AgreementVersion, Norm
from stuurwiel.calendars.models import BusinessCalendar, ClosedDay, ServiceWindow
from stuurwiel.changelog.choices import ChangeAction
from stuurwiel.changelog.services import change_record, snapshot
from stuurwiel.organisations import access
from stuurwiel.organisations.writes import object_create, writable_fields


def calendar_create(*, organisation, by, data: dict[str, Any], reason: str) -> BusinessCalendar:
    return object_create(
        model=BusinessCalendar, organisation=organisation, by=by, data=data, reason=reason
    )


def window_create(*, organisation, by, data: dict[str, Any], reason: str) -> ServiceWindow:
    return object_create(
        model=ServiceWindow, organisation=organisation, by=by, data=data, reason=reason
    )


def closed_day_create(*, organisation, by, data: dict[str, Any], reason: str) -> ClosedDay:
    return object_create(
        model=ClosedDay, organisation=organisation, by=by, data=data, reason=reason
    )


def agreement_create(*, organisation, by, data: dict[str, Any], reason: str) -> Agreement:
    return object_create(
        model=Agreement, organisation=organisation, by=by, data=data, reason=reason
    )


def version_create(
    *,
    organisation,
    by,
    agreement: Agreement,
    data: dict[str, Any],
    in_force_from: datetime.date | None,
    reason: str,
) -> AgreementVersion:
    """Version 1 of ``agreement``: in force from ``in_force_from``, or a draft when
    that is None (what putting a version in force would set)."""
    status = VersionStatus.DRAFT if in_force_from is None else VersionStatus.ACTIVE
    return object_create(
        model=AgreementVersion,
        organisation=organisation,
        by=by,
        data={
            **data,
            "agreement": agreement,
            "number": 1,
            "status": status,
            "valid_from": in_force_from,
        },
        reason=reason,
        fields=(*writable_fields(AgreementVersion), "agreement", "number", "status", "valid_from"),
    )


def norm_create(*, organisation, by, data: dict[str, Any], reason: str) -> Norm:
    """A norm of a version. Its foreign key to the version is named ``version``, the
    name the shared writes keep for the optimistic lock and never take from input,
    so this write is spelled out: the same checks and log entry as object_create."""
    norm = Norm(organisation=organisation, **data)
    access.require(by=by, organisation=organisation, action="change", obj=norm)
    norm.full_clean()
    norm.save()
    change_record(
        instance=norm, action=ChangeAction.CREATE, by=by, after=snapshot(norm), reason=reason
    )
    return norm
