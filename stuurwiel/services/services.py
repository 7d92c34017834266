"""Writes for service design. Every function is atomic, access-checked and logged.

A service is created together with its subject (kind service, with the USM lens),
so lenses, scoped roles and the change log keep working; its name and owner are
kept equal on both. The status moves only through :func:`service_transition` and
:func:`service_approve`: going live passes the design gate (§20.3), "designed"
needs an approval by someone who did not specify the design (§14.6).

Every write to a design (the service's own fields, its parts here, its agreements
in ``stuurwiel.agreements.services``) calls :func:`service_design_changed`, which
moves the service's ``design_version`` on; an approval records the number it
approved, so "is the approval still current" is a comparison of two numbers, not
a digest of the whole design worked out on every page.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from stuurwiel.changelog.choices import ChangeAction
from stuurwiel.changelog.services import actor_name, change_record, snapshot
from stuurwiel.core import touch
from stuurwiel.core.exceptions import ConflictError, ProtectedError
from stuurwiel.core.text import clean_text, clean_version
from stuurwiel.frameworks.models import Framework
from stuurwiel.graph import services as graph_services
from stuurwiel.graph.choices import SubjectKind, SubjectStatus
from stuurwiel.organisations import access
from stuurwiel.organisations.models import Organisation
from stuurwiel.organisations.roles import USM_URN
from stuurwiel.organisations.writes import (
    check_fields,
    lock_fresh,
    object_create,
    object_delete,
    object_update,
    writable_fields,
)
from stuurwiel.services import design
from stuurwiel.services.choices import ApprovalDecision, ServiceStatus
from stuurwiel.services.gate import gate_gaps
from stuurwiel.services.models import (
    CanvasItem,
    DesignApproval,
    InfrastructureComponent,
    Interface,
    Link,
    Service,
)

# --- Services ------------------------------------------------------------------

# The subject mirrors these service fields.
_SUBJECT_STATUS = {
    ServiceStatus.DRAFT: SubjectStatus.DRAFT,
    ServiceStatus.IN_DESIGN: SubjectStatus.DRAFT,
    ServiceStatus.DESIGNED: SubjectStatus.DRAFT,
    ServiceStatus.LIVE: SubjectStatus.ACTIVE,
    ServiceStatus.RETIRED: SubjectStatus.RETIRED,
}


@transaction.atomic
def service_create(*, organisation, by, data: dict[str, Any], reason: str = "") -> Service:
    """A new service in draft, with its subject (kind service, USM lens)."""
    check_fields(Service, data)
    access.require(
        by=by, organisation=organisation, action="change", obj=Service(organisation=organisation)
    )
    usm = Framework.objects.filter(urn=USM_URN).first()
    subject = graph_services.subject_create(
        organisation=organisation,
        by=by,
        data={
            "kind": SubjectKind.SERVICE,
            "name": data.get("name", ""),
            "description": data.get("customer_value", ""),
            "owner": data.get("owner"),
            "frameworks": [usm] if usm else [],
        },
        reason=reason,
    )
    return object_create(
        model=Service,
        organisation=organisation,
        by=by,
        data={**data, "subject": subject},
        reason=reason,
        fields=(*writable_fields(Service), "subject"),
    )


@transaction.atomic
def service_update(
    *, instance: Service, by, data: dict[str, Any], version, reason: str = ""
) -> Service:
    service = object_update(instance=instance, by=by, data=data, version=version, reason=reason)
    _subject_follow(service, by=by, reason=reason)
    service_design_changed(service_id=service.pk)
    service.design_version += 1
    return service


def service_design_changed(*, service_id: int) -> None:
    """The design of the service changed: move its ``design_version`` on, so an
    approval of the design as it was is no longer current. Called by every write
    to a design, inside its transaction, after the write itself is logged; one
    UPDATE, and on PostgreSQL it waits for an approval deciding at that moment
    (which holds the service's row), so that approval is outdated at once."""
    Service.objects.filter(pk=service_id).update(design_version=F("design_version") + 1)
    # What the coherence rules find in the service's chain follows the design.
    row = Service.objects.filter(pk=service_id).values_list("organisation", "subject_id").first()
    if row is not None:
        touch.subjects_touched(organisation=Organisation(pk=row[0]), subject_ids=[row[1]])


def _subject_follow(service: Service, *, by, reason: str = "") -> None:
    """Keep the subject's name, owner and status equal to the service's."""
    subject = lock_fresh(type(service.subject), service.subject_id)
    wanted = {
        "name": service.name,
        "owner": service.owner,
        "status": _SUBJECT_STATUS[ServiceStatus(service.status)],
    }
    if all(getattr(subject, key) == value for key, value in wanted.items()):
        return
    graph_services.subject_update(
        instance=subject,
        by=by,
        data=wanted,
        version=subject.version,
        reason=reason,
        for_service=True,
    )


@transaction.atomic
def service_delete(*, instance: Service, by, version=None, reason: str = "") -> None:
    """Delete a service that never went live, with its subject."""
    fresh = lock_fresh(Service, instance.pk)
    if fresh.status in (ServiceStatus.LIVE, ServiceStatus.RETIRED):
        raise ProtectedError(
            _("“{name}” has been live: retire it instead, its history must stay.").format(
                name=fresh
            )
        )
    if fresh.specific_services.exists():
        raise ProtectedError(
            _("“{name}” is the generic service of specific services: delete those first.").format(
                name=fresh
            )
        )
    subject = lock_fresh(type(fresh.subject), fresh.subject_id)
    object_delete(instance=fresh, by=by, version=version, reason=reason)
    # Now that the service is gone its subject is an ordinary one again.
    graph_services.subject_delete(instance=subject, by=by, version=subject.version, reason=reason)


#: The moves a member makes with a button; "designed" is reached by approval only.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    ServiceStatus.DRAFT: (ServiceStatus.IN_DESIGN,),
    ServiceStatus.IN_DESIGN: (ServiceStatus.DRAFT,),
    ServiceStatus.DESIGNED: (ServiceStatus.IN_DESIGN, ServiceStatus.LIVE),
    ServiceStatus.LIVE: (ServiceStatus.RETIRED, ServiceStatus.IN_DESIGN),
    ServiceStatus.RETIRED: (ServiceStatus.IN_DESIGN,),
}


class GateRefused(ValidationError):
    """Going live with gaps: carries the gate's gaps (code + message each)."""

    def __init__(self, gaps: list) -> None:
        self.gaps = gaps
        super().__init__(
            {"status": [ValidationError(gap.message, code=gap.code) for gap in gaps]},
            code="gate",
        )


@transaction.atomic
def service_transition(*, service: Service, to: str, by, version, reason: str = "") -> Service:
    """Move the service to status ``to``; live only through the design gate."""
    reason = clean_text(reason, field="reason", max_length=2000)
    fresh = lock_fresh(Service, service.pk)
    if to not in TRANSITIONS.get(fresh.status, ()):
        message = _("A service cannot go from “{old}” to “{new}”.").format(
            old=fresh.get_status_display(),
            new=ServiceStatus(to).label if to in ServiceStatus.values else to,
        )
        raise ValidationError({"status": ValidationError(message, code="transition_not_allowed")})
    if to == ServiceStatus.LIVE:
        gaps = gate_gaps(fresh)
        if gaps:
            raise GateRefused(gaps)
    return _status_set(fresh, to, by=by, version=version, reason=reason)


def _status_set(fresh: Service, to: str, *, by, version, reason: str) -> Service:
    access.require(by=by, organisation=fresh.organisation, action="change", obj=fresh)
    version = clean_version(version)
    if version is None or version != fresh.version:
        raise ConflictError(fresh.version)
    before = snapshot(fresh)
    fresh.status = to
    fresh.version += 1
    fresh.save(update_fields=["status", "version", "updated_at"])
    change_record(
        instance=fresh,
        action=ChangeAction.UPDATE,
        by=by,
        before=before,
        after=snapshot(fresh),
        reason=reason,
    )
    _subject_follow(fresh, by=by, reason=reason)
    return fresh


class SeparationRefused(access.AccessDenied):
    """Function separation: the member may approve designs, but not this one."""


@transaction.atomic
def service_approve(
    *, service: Service, by, decision: str, version, comment: str = ""
) -> DesignApproval:
    """Record a decision on the design; an approval makes the service "designed".

    Refused for anyone who specified the design (they appear in its change log):
    the USM library's ``person_separation`` rule for design approval (§14.6).
    """
    comment = clean_text(comment, field="comment", max_length=2000)
    fresh = lock_fresh(Service, service.pk)
    access.require(by=by, organisation=fresh.organisation, action="approve", obj=fresh)
    if decision not in ApprovalDecision.values:
        raise ValidationError({"decision": _("Approve or reject.")}, code="invalid_decision")
    if fresh.status != ServiceStatus.IN_DESIGN:
        raise ValidationError(
            {"status": _("Only a service in design can be approved or rejected.")},
            code="not_in_design",
        )
    if decision == ApprovalDecision.REJECTED and not comment:
        raise ValidationError(
            {"comment": _("Say why the design is rejected, so it can be improved.")},
            code="reason_required",
        )
    if getattr(by, "pk", None) in design.designer_ids(fresh):
        raise SeparationRefused(design.self_approval_message())
    # A decision is on the design as the decider read it, not as someone changed it since.
    if clean_version(version) != fresh.version:
        raise ConflictError(fresh.version)
    approval = DesignApproval(
        organisation=fresh.organisation,
        service=fresh,
        decision=decision,
        decided_by=by,
        decided_by_name=actor_name(by, fresh.organisation),
        service_version=fresh.version,
        design_digest=design.design_digest(fresh),
        design_version=fresh.design_version,
        status_at=fresh.status,
        comment=comment,
    )
    approval.full_clean()
    approval.save()
    change_record(instance=approval, action=ChangeAction.CREATE, by=by, after=snapshot(approval))
    if decision == ApprovalDecision.APPROVED:
        _status_set(fresh, ServiceStatus.DESIGNED, by=by, version=fresh.version, reason=comment)
    return approval


# --- Parts of the design -----------------------------------------------------------


@transaction.atomic
def _part_create(model, *, organisation, by, data: dict[str, Any], reason: str = ""):
    part = object_create(model=model, organisation=organisation, by=by, data=data, reason=reason)
    service_design_changed(service_id=part.service_id)
    return part


@transaction.atomic
def _part_update(*, instance, by, data: dict[str, Any], version, reason: str = ""):
    if "service" in data and data["service"] != instance.service:
        raise ValidationError(
            {"service": _("A part of a design stays with its service.")}, code="service_fixed"
        )
    part = object_update(instance=instance, by=by, data=data, version=version, reason=reason)
    service_design_changed(service_id=part.service_id)
    return part


@transaction.atomic
def _part_delete(*, instance, by, version=None, reason: str = "") -> None:
    service_id = instance.service_id
    object_delete(instance=instance, by=by, version=version, reason=reason)
    service_design_changed(service_id=service_id)


@transaction.atomic
def canvas_item_create(*, organisation, by, data: dict[str, Any], reason: str = "") -> CanvasItem:
    """A new canvas item; without a ``position`` it comes last in its section."""
    design.check_canvas_values(data.get("section", ""), data.get("values") or {})
    if "position" not in data and isinstance(data.get("service"), Service):
        last = (
            CanvasItem.objects.filter(service=data["service"], section=data["section"])
            .order_by("-position")
            .values_list("position", flat=True)
            .first()
        )
        data = {**data, "position": 0 if last is None else last + 1}
    return _part_create(CanvasItem, organisation=organisation, by=by, data=data, reason=reason)


def canvas_item_update(
    *, instance: CanvasItem, by, data: dict[str, Any], version, reason: str = ""
) -> CanvasItem:
    design.check_canvas_values(
        data.get("section", instance.section), data.get("values", instance.values) or {}
    )
    return _part_update(instance=instance, by=by, data=data, version=version, reason=reason)


def _newlines(text: str) -> str:
    # Browsers post a textarea's line breaks as CRLF: store and compare them as LF.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _unchanged_since(version, fresh: CanvasItem, stored: str, started: str | None):
    """The version to save against: the stored one when the item changed since
    ``version`` but not in the text being edited (it still reads ``started``),
    so someone else's edit of another cell or of the name is no conflict."""
    quoted = clean_version(version)
    if quoted is not None and started is not None and _newlines(started) == stored:
        return fresh.version
    return quoted


@transaction.atomic
def canvas_cell_update(
    *,
    instance: CanvasItem,
    by,
    cell: str,
    text: Any,
    version,
    started: str | None = None,
    reason: str = "",
) -> CanvasItem:
    """Set the text of one cell of a canvas item, leaving its other cells as stored.

    ``started`` is the cell's text when the editor opened it. A save against an
    older ``version`` still succeeds when only other cells or the name changed in
    between; when this cell changed too it is a :class:`ConflictError`.
    """
    text = _newlines(clean_text(text, field="values", max_length=5000))
    fresh = lock_fresh(CanvasItem, instance.pk)
    stored = (fresh.values or {}).get(cell, "")
    version = _unchanged_since(version, fresh, stored, started)
    return canvas_item_update(
        instance=fresh,
        by=by,
        data={"values": {**(fresh.values or {}), cell: text}},
        version=version,
        reason=reason,
    )


@transaction.atomic
def canvas_item_rename(
    *, instance: CanvasItem, by, name: Any, version, started: str | None = None, reason: str = ""
) -> CanvasItem:
    """Rename a canvas item; like :func:`canvas_cell_update`, a change of its cells
    in between is no conflict, a change of its name is."""
    name = clean_text(name, field="name", max_length=200).strip()
    fresh = lock_fresh(CanvasItem, instance.pk)
    version = _unchanged_since(version, fresh, fresh.name, started)
    return canvas_item_update(
        instance=fresh, by=by, data={"name": name}, version=version, reason=reason
    )


def canvas_item_delete(*, instance: CanvasItem, by, version=None, reason: str = "") -> None:
    _part_delete(instance=instance, by=by, version=version, reason=reason)


def _check_canvas_items(service, items) -> None:
    """A link contributes to canvas items of its own service only (the model's
    check covers foreign keys, not this many-to-many)."""
    service_id = getattr(service, "pk", None)
    if any(item.service_id != service_id for item in items or ()):
        raise ValidationError(
            {"canvas_items": _("Choose canvas items of this service.")}, code="other_service"
        )


def link_create(*, organisation, by, data: dict[str, Any], reason: str = "") -> Link:
    if not data.get("position") and data.get("service") is not None:
        # A link without a place joins the end of the chain.
        last = Link.objects.filter(service=data["service"]).order_by("-position").first()
        data = {**data, "position": (last.position + 1) if last else 1}
    design.check_link_steps(data.get("steps") or [])
    _check_canvas_items(data.get("service"), data.get("canvas_items"))
    return _part_create(Link, organisation=organisation, by=by, data=data, reason=reason)


def link_update(*, instance: Link, by, data: dict[str, Any], version, reason: str = "") -> Link:
    design.check_link_steps(data.get("steps", instance.steps) or [])
    _check_canvas_items(instance.service, data.get("canvas_items"))
    return _part_update(instance=instance, by=by, data=data, version=version, reason=reason)


def link_delete(*, instance: Link, by, version=None, reason: str = "") -> None:
    _part_delete(instance=instance, by=by, version=version, reason=reason)


def interface_create(*, organisation, by, data: dict[str, Any], reason: str = "") -> Interface:
    return _part_create(Interface, organisation=organisation, by=by, data=data, reason=reason)


def interface_update(
    *, instance: Interface, by, data: dict[str, Any], version, reason: str = ""
) -> Interface:
    return _part_update(instance=instance, by=by, data=data, version=version, reason=reason)


def interface_delete(*, instance: Interface, by, version=None, reason: str = "") -> None:
    _part_delete(instance=instance, by=by, version=version, reason=reason)


def component_create(
    *, organisation, by, data: dict[str, Any], reason: str = ""
) -> InfrastructureComponent:
    return _part_create(
        InfrastructureComponent, organisation=organisation, by=by, data=data, reason=reason
    )


def component_update(
    *, instance: InfrastructureComponent, by, data: dict[str, Any], version, reason: str = ""
) -> InfrastructureComponent:
    return _part_update(instance=instance, by=by, data=data, version=version, reason=reason)


def component_delete(
    *, instance: InfrastructureComponent, by, version=None, reason: str = ""
) -> None:
    _part_delete(instance=instance, by=by, version=version, reason=reason)
