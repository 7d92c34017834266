"""Writes for the connected model. Every function is atomic, version-checked where
it updates, and records each change (with before/after, including the parts an
element answers) in the change log through :mod:`stuurwiel.organisations.writes`.

Domain rules kept here:

- an element's parts belong to frameworks applied to its subject (if it has one),
  and a framework cannot be taken off a subject while its elements still use it;
- a relation that realises a framework link type has that link type's relation
  type, and its ends answer the link type's source and target parts (a part or a
  part inside it, as the demo data checks do);
- any other relation is one ArchiMate 3.2 allows between its ends' element types
  (where both have an ArchiMate counterpart; see :mod:`stuurwiel.graph.archimate`);
- deleting an element deletes its relations, each logged; a subject with elements,
  or for which members hold roles, cannot be deleted.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stuurwiel.changelog.choices import ChangeAction
from stuurwiel.changelog.services import change_record, snapshot
from stuurwiel.core import touch
from stuurwiel.core.exceptions import ConflictError, ProtectedError
from stuurwiel.core.text import clean_version
from stuurwiel.frameworks.models import Framework, FrameworkPart, LinkType
from stuurwiel.graph.archimate import allowed_relation_types
from stuurwiel.graph.choices import ElementType, RelationType
from stuurwiel.graph.models import Classification, Element, Relation, Subject
from stuurwiel.organisations import access
from stuurwiel.organisations.writes import lock_fresh, object_create, object_delete, object_update

_MISSING = object()

# --- Subjects ------------------------------------------------------------------


@transaction.atomic
def subject_create(*, organisation, by, data: dict[str, Any], reason: str = "") -> Subject:
    subject = object_create(
        model=Subject, organisation=organisation, by=by, data=data, reason=reason
    )
    touch.subjects_touched(organisation=organisation, subject_ids=[subject.pk])
    return subject


#: What a service's subject takes from its service (services.service_update keeps
#: them equal); on the subject itself they are not edited.
SERVICE_MANAGED = ("kind", "name", "owner", "status")


def _has_service(subject: Subject) -> bool:
    # The reverse one-to-one of services.Service, read without importing that app
    # (the graph does not depend on the apps built on it).
    return subject.pk is not None and hasattr(subject, "service")


@transaction.atomic
def subject_update(
    *,
    instance: Subject,
    by,
    data: dict[str, Any],
    version,
    reason: str = "",
    for_service: bool = False,
) -> Subject:
    """Update a subject; the subject of a service takes its kind, name, owner and
    status from the service (``for_service`` is the service's own update)."""
    if not for_service and _has_service(instance):
        managed = {
            name: _("Change this on the service: a service's subject follows it.")
            for name in SERVICE_MANAGED
            if name in data and data[name] != getattr(instance, name)
        }
        if managed:
            raise ValidationError(managed, code="managed_by_service")
    if "frameworks" in data:
        _check_frameworks_still_cover_elements(subject=instance, frameworks=data["frameworks"])
    subject = object_update(instance=instance, by=by, data=data, version=version, reason=reason)
    touch.subjects_touched(organisation=subject.organisation, subject_ids=[subject.pk])
    return subject


@transaction.atomic
def subject_delete(*, instance: Subject, by, version=None, reason: str = "") -> None:
    if _has_service(instance):
        raise ProtectedError(
            _("“{name}” is the subject of a service: delete the service instead.").format(
                name=instance
            )
        )
    count = Element.objects.filter(subject=instance).count()
    if count:
        raise ProtectedError(
            ngettext(
                "“{name}” still has {count} element. Delete it or move it to another "
                "subject first.",
                "“{name}” still has {count} elements. Delete them or move them to another "
                "subject first.",
                count,
            ).format(name=instance, count=count)
        )
    _check_no_roles_scoped_to(subject=instance)
    object_delete(instance=instance, by=by, version=version, reason=reason)


def _check_no_roles_scoped_to(*, subject: Subject) -> None:
    """Roles held for this subject are decisions about people (and about function
    separation); they are changed on the members' pages, not dropped silently."""
    # Named as the organisation knows them, never by their account.
    holders = sorted(
        {
            str(assignment.membership)
            for assignment in subject.role_assignments.select_related("membership__user")
        }
    )
    if holders:
        raise ProtectedError(
            _("Members hold roles for “{name}”: {holders}. Change their roles first.").format(
                name=subject, holders=", ".join(holders)
            )
        )


def _check_frameworks_still_cover_elements(*, subject: Subject, frameworks: Iterable) -> None:
    keep = {getattr(f, "pk", f) for f in frameworks}
    dropped = (
        Framework.objects.filter(
            parts__classifications__element__subject=subject,
        )
        .exclude(pk__in=keep)
        .distinct()
    )
    names = sorted(str(framework.name) for framework in dropped)
    if names:
        raise ValidationError(
            {
                "frameworks": _(
                    "Elements of this subject still answer parts of {frameworks}. "
                    "Classify them differently before taking the framework off."
                ).format(frameworks=", ".join(names))
            }
        )


# --- Elements ------------------------------------------------------------------


@transaction.atomic
def element_create(*, organisation, by, data: dict[str, Any], reason: str = "") -> Element:
    data = dict(data)
    if "parts" in data:
        data["parts"] = _parts_resolve(data["parts"])
    _check_own(organisation, subject=data.get("subject"))
    _check_parts_fit_subject(subject=data.get("subject"), parts=data.get("parts", []))
    element = object_create(
        model=Element, organisation=organisation, by=by, data=data, reason=reason
    )
    touch.subjects_touched(organisation=organisation, subject_ids=[element.subject_id])
    return element


@transaction.atomic
def element_update(
    *, instance: Element, by, data: dict[str, Any], version, reason: str = ""
) -> Element:
    data = dict(data)
    subject = data.get("subject", _MISSING)
    if subject is _MISSING:
        subject = instance.subject
    _check_own(instance.organisation, subject=subject)
    if "parts" in data:
        parts = data["parts"] = _parts_resolve(data["parts"])
        _check_link_types_still_answered(element=instance, parts=parts)
    else:
        parts = list(instance.parts.select_related("framework"))
    if "parts" in data or "subject" in data:
        _check_parts_fit_subject(subject=subject, parts=parts)
    near = _subjects_near([instance.pk]) | {instance.subject_id}
    structural = _structural_change(instance, data, parts)
    element = object_update(instance=instance, by=by, data=data, version=version, reason=reason)
    near.add(element.subject_id)
    touch.subjects_touched(
        organisation=element.organisation,
        subject_ids=near,
        # A change of only its name or description: only when it last changed moved.
        touched=None if structural else {touch.Touched.REVIEWS},
    )
    return element


def _structural_change(instance: Element, data: dict[str, Any], parts) -> bool:
    """Whether the update changes the element's type, subject or parts."""
    if "element_type" in data and data["element_type"] != instance.element_type:
        return True
    if "subject" in data and getattr(data["subject"], "pk", data["subject"]) != (
        instance.subject_id
    ):
        return True
    if "parts" in data:
        current = set(instance.parts.values_list("pk", flat=True))
        return {part.pk for part in parts} != current
    return False


def element_classify(
    *, instance: Element, by, parts: Iterable, version, reason: str = ""
) -> Element:
    """Replace the parts ``instance`` answers; the same checks as an update."""
    return element_update(
        instance=instance, by=by, data={"parts": list(parts)}, version=version, reason=reason
    )


@transaction.atomic
def element_delete(*, instance: Element, by, version=None, reason: str = "") -> None:
    """Delete the element and its relations; each relation's deletion is logged
    too, so the history of the other end shows where its relation went."""
    version = clean_version(version)
    fresh = lock_fresh(Element, instance.pk)
    access.require(by=by, organisation=fresh.organisation, action="change", obj=fresh)
    if version is not None and version != fresh.version:
        raise ConflictError(fresh.version)
    relations = list(
        Relation.objects.filter(Q(source=instance) | Q(target=instance))
        .select_related("organisation", "source", "target")
        .order_by("pk")
    )
    # Deleting a relation is a change of it: one reaching outside the member's
    # scope goes only with a role that reaches there too.
    for relation in relations:
        access.require(by=by, organisation=fresh.organisation, action="change", obj=relation)
    relation_reason = reason or _("Deleted together with the element “{name}”.").format(
        name=instance
    )
    before = [(relation, snapshot(relation)) for relation in relations]
    near = _subjects_near([fresh.pk]) | {fresh.subject_id}
    Relation.objects.filter(pk__in=[relation.pk for relation in relations]).delete()
    for relation, values in before:
        change_record(
            instance=relation,
            action=ChangeAction.DELETE,
            by=by,
            before=values,
            reason=relation_reason,
            organisation=relation.organisation,
        )
    object_delete(instance=instance, by=by, version=version, reason=reason)
    touch.subjects_touched(organisation=fresh.organisation, subject_ids=near)


def _subjects_near(element_ids: list[int]) -> set[int | None]:
    """The subjects of the elements related to ``element_ids`` (one query): a
    change of an element changes what the rules find in its neighbours' subjects."""
    rows = Relation.objects.filter(Q(source_id__in=element_ids) | Q(target_id__in=element_ids))
    return {
        subject
        for pair in rows.values_list("source__subject_id", "target__subject_id")
        for subject in pair
    }


def _relation_subjects(*elements) -> list[int | None]:
    return [getattr(element, "subject_id", None) for element in elements]


def _parts_resolve(parts: Iterable) -> list[FrameworkPart]:
    """Parts as objects with their framework, from objects or primary keys."""
    wanted = {getattr(part, "pk", part) for part in parts}
    found = list(FrameworkPart.objects.filter(pk__in=wanted).select_related("framework"))
    if len(found) != len(wanted):
        raise ValidationError({"parts": _("One or more of the chosen parts do not exist.")})
    return found


def _check_own(organisation, **objects) -> None:
    """Refuse objects of another organisation before any rule looks into them
    (``full_clean`` checks the same, but only after our own checks ran)."""
    errors = {
        name: _("Choose an object of your own organisation.")
        for name, obj in objects.items()
        if obj is not None and obj.organisation_id != organisation.pk
    }
    if errors:
        raise ValidationError(errors)


def _check_parts_fit_subject(*, subject: Subject | None, parts: list[FrameworkPart]) -> None:
    if subject is None or not parts:
        return
    applied = set(subject.frameworks.values_list("pk", flat=True))
    strangers = [part for part in parts if part.framework_id not in applied]
    if strangers:
        names = ", ".join(f"{part.framework.name}: {part.name}" for part in strangers)
        raise ValidationError(
            {
                "parts": _(
                    "{parts}: not part of a framework applied to “{subject}”. Apply the "
                    "framework to the subject first, or choose other parts."
                ).format(parts=names, subject=subject)
            }
        )


def _check_link_types_still_answered(*, element: Element, parts: list[FrameworkPart]) -> None:
    """Reclassifying must not break a relation that realises a link type."""
    relations = Relation.objects.filter(
        Q(source=element) | Q(target=element), link_type__isnull=False
    ).select_related("link_type__source_part", "link_type__target_part", "source", "target")
    for relation in relations:
        link = relation.link_type
        if link is None:  # excluded by the filter; tells the type checker so
            continue
        needed = link.source_part if relation.source_id == element.pk else link.target_part
        if not _answers(parts, needed):
            raise ValidationError(
                {
                    "parts": _(
                        "The relation “{relation}” realises “{link}”, which needs this "
                        "element to answer “{part}”. Change or delete that relation first."
                    ).format(relation=relation, link=link.name, part=needed.name)
                }
            )


# --- Relations -----------------------------------------------------------------


@transaction.atomic
def relation_create(*, organisation, by, data: dict[str, Any], reason: str = "") -> Relation:
    _check_relation(organisation=organisation, values=data)
    relation = object_create(
        model=Relation, organisation=organisation, by=by, data=data, reason=reason
    )
    touch.subjects_touched(
        organisation=organisation,
        subject_ids=_relation_subjects(relation.source, relation.target),
        touched={touch.Touched.LINKS},
    )
    return relation


@transaction.atomic
def relation_update(
    *, instance: Relation, by, data: dict[str, Any], version, reason: str = ""
) -> Relation:
    fields = ("source", "target", "relation_type", "link_type")
    values = {name: data.get(name, getattr(instance, name)) for name in fields}
    _check_relation(organisation=instance.organisation, values=values)
    before = _relation_subjects(instance.source, instance.target)
    relation = object_update(instance=instance, by=by, data=data, version=version, reason=reason)
    touch.subjects_touched(
        organisation=relation.organisation,
        subject_ids=[*before, *_relation_subjects(relation.source, relation.target)],
        touched={touch.Touched.LINKS},
    )
    return relation


@transaction.atomic
def relation_delete(*, instance: Relation, by, version=None, reason: str = "") -> None:
    ends = _relation_subjects(instance.source, instance.target)
    object_delete(instance=instance, by=by, version=version, reason=reason)
    touch.subjects_touched(
        organisation=instance.organisation, subject_ids=ends, touched={touch.Touched.LINKS}
    )


def _check_relation(*, organisation, values: dict[str, Any]) -> None:
    source, target = values.get("source"), values.get("target")
    _check_own(organisation, source=source, target=target)
    if source is not None and target is not None and source.pk == target.pk:
        raise ValidationError({"target": _("A relation cannot point at its own source.")})
    link: LinkType | None = values.get("link_type")
    if link is None:
        _check_archimate(source, values.get("relation_type"), target)
        return
    errors: dict[str, str] = {}
    if values.get("relation_type") != link.relation_type:
        errors["link_type"] = _(
            "“{link}” is realised by a relation of type “{expected}”, not “{found}”."
        ).format(
            link=link.name,
            expected=Relation(relation_type=link.relation_type).get_relation_type_display(),
            found=Relation(
                relation_type=values.get("relation_type", "")
            ).get_relation_type_display(),
        )
    for end, element, part in (
        ("source", source, link.source_part),
        ("target", target, link.target_part),
    ):
        if element is not None and not _answers(_element_parts(element), part):
            errors[end] = _(
                "“{element}” does not answer “{part}”, which “{link}” expects here. "
                "Classify the element first or choose another one."
            ).format(element=element, part=part.name, link=link.name)
    if errors:
        raise ValidationError(errors)


def _check_archimate(source: Element | None, relation_type, target: Element | None) -> None:
    """Refuse a relationship ArchiMate 3.2 does not allow between the two element
    types. A relation realising a framework link type is not held to it here: the
    library prescribes that relation's type, and refusing it would leave no type
    that realises the link (a library conflicting with ArchiMate is fixed there)."""
    if source is None or target is None or not relation_type:
        return
    allowed = allowed_relation_types(source.element_type, target.element_type)
    if allowed is None or relation_type in allowed:
        return
    raise ValidationError(
        {
            "relation_type": _(
                "ArchiMate 3.2 allows no {relation} relationship from {source} to "
                "{target} (allowed: {allowed})."
            ).format(
                relation=RelationType(relation_type).label,
                source=ElementType(source.element_type).label,
                target=ElementType(target.element_type).label,
                allowed=", ".join(str(RelationType(value).label) for value in allowed),
            )
        }
    )


def _element_parts(element: Element) -> list[FrameworkPart]:
    return list(
        FrameworkPart.objects.filter(
            pk__in=Classification.objects.filter(element=element).values("part")
        )
    )


def _answers(parts: Iterable[FrameworkPart], needed: FrameworkPart) -> bool:
    """Whether one of ``parts`` is ``needed`` or lies inside it."""
    parts = [part for part in parts if part.framework_id == needed.framework_id]
    if not parts:
        return False
    parents = dict(
        FrameworkPart.objects.filter(framework_id=needed.framework_id).values_list(
            "pk", "parent_id"
        )
    )
    for part in parts:
        current: int | None = part.pk
        seen: set[int] = set()
        while current is not None and current not in seen:
            if current == needed.pk:
                return True
            seen.add(current)
            current = parents.get(current)
    return False
