"""Role × URL: every page and endpoint answers every role, organisation-wide and
scoped to one subject, as the permission matrix says — generated from the URL
configuration and from :data:`~stuurwiel.organisations.access.PERMISSION_MATRIX`.

The expected answer is worked out here from the matrix itself (its reaches), not
by asking the access layer, so the test checks both the layer and every view that
should use it:

- the member holds the view's permission nowhere (for that kind of object) → 403;
- the object is one they may not see → 404, exactly as for an id that does not exist;
- they may see it but the page or method changes it, and they may not → 403;
- otherwise the request is allowed (anything but 403/404/500).

Targets per model: an object inside the scope subject and one outside it (models
that lie in subjects), the member's own record and someone else's (models that
belong to someone). A new page or endpoint is covered automatically; a view whose
permission the test cannot read fails and says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import Client
from django.urls import reverse

from stuurwiel.agreements.models import Agreement, AgreementVersion
from stuurwiel.calls.definitions import forget_snapshots
from stuurwiel.calls.models import Call
from stuurwiel.changelog.models import ChangeLogEntry
from stuurwiel.coherence.models import Finding
from stuurwiel.core.tests.service_world import (
    DESIGN_MODELS,
    call_for,
    service_design,
    webhook_delivery_for,
    webhook_endpoint_for,
)
from stuurwiel.core.tests.test_isolation import org_urls
from stuurwiel.dashboard.selectors import SIGNAL_LISTS
from stuurwiel.frameworks.models import Framework
from stuurwiel.frameworks.views import PlatformAdminRequiredMixin
from stuurwiel.graph.models import Element, Relation, Subject
from stuurwiel.organisations.access import PERMISSION_MATRIX, Reach, permission_for
from stuurwiel.organisations.choices import Role
from stuurwiel.organisations.models import Membership, Organisation, RoleAssignment
from stuurwiel.parties.models import Person, Stakeholder, Supplier, Team
from stuurwiel.services.models import Service
from stuurwiel.webhooks.models import WebhookDelivery, WebhookEndpoint

ALLOWED = "allowed"


@dataclass(frozen=True)
class Variant:
    role: str
    scoped: bool

    @property
    def label(self) -> str:
        return f"{self.role}@scope" if self.scoped else self.role


ALL_VARIANTS = [Variant(role, scoped) for role in Role.values for scoped in (False, True)]


def _signature(variant: Variant) -> tuple:
    permissions = sorted({p for grants in PERMISSION_MATRIX.values() for p in grants})
    return tuple(
        (p, reach.everything, reach.inside, reach.own)
        for p in permissions
        if (reach := _reaches(variant, p))
    ) + (variant.role in (Role.SUPPLIER_USER, Role.REQUESTER),)


# --- The expectation, from the matrix ------------------------------------------------


@dataclass(frozen=True)
class Reaches:
    everything: bool
    inside: bool
    own: bool


def _reaches(variant: Variant, permission: str) -> Reaches:
    reach = PERMISSION_MATRIX.get(variant.role, {}).get(permission)
    return Reaches(
        everything=reach == Reach.ORGANISATION or (reach == Reach.SCOPE and not variant.scoped),
        inside=variant.scoped and reach in (Reach.SCOPE, Reach.LINKED),
        own=reach == Reach.OWN,
    )


def _distinct(variants: list[Variant]) -> list[Variant]:
    """One variant per distinct set of grants: two roles the matrix treats alike
    would get the same answers everywhere, so one of them is enough."""
    seen: dict[tuple, Variant] = {}
    for variant in variants:
        seen.setdefault(_signature(variant), variant)
    return list(seen.values())


VARIANTS = _distinct(ALL_VARIANTS)


def _scoped_model(model) -> bool:
    return model is not None and getattr(model, "access_scope", None) is not None


def _owned_model(model) -> bool:
    return model is not None and getattr(model, "access_owner", None) is not None


def _opens(reaches: Reaches, model) -> bool:
    if model is None:
        return reaches.everything or reaches.inside or reaches.own
    return (
        reaches.everything
        or (reaches.inside and _scoped_model(model))
        or (reaches.own and _owned_model(model))
    )


def _reaches_target(reaches: Reaches, kind: str) -> bool:
    return (
        reaches.everything
        or (reaches.inside and kind == "inside")
        or (reaches.own and kind == "own")
    )


@dataclass(frozen=True)
class Declared:
    """What a view says it needs for one method."""

    permission: str
    model: Any
    changes: bool  # whether the request changes (or opens a page to change) the object
    handled: bool  # whether the view has this method at all
    platform_admin: bool = False


def _declared(callback, method: str) -> Declared:
    api_view = getattr(callback, "cls", None)
    if api_view is not None:
        model = api_view.queryset.model
        handled = method in callback.actions
        changes = handled and method != "get"
        permission = permission_for(model, "change" if changes else "view")
        # An action may need another permission (approving a design: services.approve).
        permission = getattr(api_view, "action_permissions", {}).get(
            callback.actions.get(method), permission
        )
        return Declared(permission, model, changes, handled)
    view = callback.view_class
    handled = hasattr(view, method)
    platform_admin = issubclass(view, PlatformAdminRequiredMixin)
    queryset = getattr(view, "queryset", None)
    action = getattr(view, "action", None)
    if queryset is not None and action is not None:  # the generic object views
        model = queryset.model
        permission = view.permission_required or permission_for(model, action)
        return Declared(permission, model, action != "view", handled, platform_admin)
    permission = getattr(view, "permission_required", "")
    assert permission, f"{view.__name__}: declare permission_required"
    model = getattr(view, "access_model", None)
    if model is None and queryset is not None:
        model = queryset.model
    changes = permission.endswith((".change", ".manage"))
    return Declared(permission, model, changes, handled, platform_admin)


def expected(variant: Variant, declared: Declared, target_kind: str | None) -> int | str:
    if declared.platform_admin:
        return 403
    if not _opens(_reaches(variant, declared.permission), declared.model):
        return 403
    if not declared.handled:
        return 405
    if target_kind is not None:
        view_permission = permission_for(declared.model, "view")
        if not _reaches_target(_reaches(variant, view_permission), target_kind):
            return 404
        if declared.changes and not _reaches_target(
            _reaches(variant, declared.permission), target_kind
        ):
            return 403
    return ALLOWED


# --- The world ---------------------------------------------------------------------


@dataclass
class World:
    members: dict[Variant, Any]
    targets: dict[Any, dict[Variant | None, list[tuple[str, Any]]]]
    framework: Framework
    services: dict[str, Any]


def _build_world() -> World:
    org = Organisation.objects.create(name="Gemeente Alfa", slug="alfa")
    inside = Subject.objects.create(organisation=org, name="Binnen", kind="service")
    outside = Subject.objects.create(organisation=org, name="Buiten", kind="service")
    elements = {
        subject: [
            Element.objects.create(
                organisation=org, subject=subject, name=f"{subject.name} {n}", element_type="goal"
            )
            for n in (1, 2)
        ]
        for subject in (inside, outside)
    }
    relations = {
        subject: Relation.objects.create(
            organisation=org,
            source=elements[subject][0],
            target=elements[subject][1],
            relation_type="influence",
        )
        for subject in (inside, outside)
    }
    own_team = Team.objects.create(organisation=org, name="Eigen team")
    other_team = Team.objects.create(organisation=org, name="Ander team")
    own_supplier = Supplier.objects.create(organisation=org, name="Eigen leverancier")
    other_supplier = Supplier.objects.create(organisation=org, name="Andere leverancier")
    other_person = Person.objects.create(organisation=org, name="Iemand anders")
    other_stakeholder = Stakeholder.objects.create(
        organisation=org, name="Anderen", category="people", interest="high", influence="low"
    )
    other_membership = Membership.objects.create(
        organisation=org, user=get_user_model().objects.create_user(username="iemand")
    )
    entry = ChangeLogEntry.objects.create(
        organisation=org,
        action="create",
        object_id=str(outside.pk),
        object_repr=str(outside),
        content_type=ContentType.objects.get_for_model(Subject),
    )
    framework = Framework.objects.create(
        urn="urn:test:fw", ref_id="optimum", version=1, name_nl="T", name_en="T", content_hash="x"
    )
    # Applied to both subjects, under a reference that has a figure (the diagram pages).
    inside.frameworks.add(framework)
    outside.frameworks.add(framework)
    # A service design in each subject; the UC of the one outside is with the
    # members' own supplier (a supplier user's own contract, outside their scope).
    designs = {
        "inside": service_design(
            org, name="Binnen", subject=inside, team=own_team, supplier=other_supplier
        ),
        "outside": service_design(
            org,
            name="Buiten",
            subject=outside,
            team=other_team,
            supplier=own_supplier,
            with_organisation_objects=False,
        ),
    }
    members: dict[Variant, Any] = {}
    own: dict[Variant, dict[Any, Any]] = {}
    for variant in VARIANTS:
        user = get_user_model().objects.create_user(username=variant.label.replace("@", "-"))
        membership = Membership.objects.create(organisation=org, user=user)
        RoleAssignment.objects.create(
            membership=membership, role=variant.role, subject=inside if variant.scoped else None
        )
        person = Person.objects.create(
            organisation=org,
            name=f"Persoon {variant.label}",
            team=own_team,
            supplier=own_supplier,
            user=user,
        )
        stakeholder = Stakeholder.objects.create(
            organisation=org,
            name=f"Belanghebbende {variant.label}",
            category="people",
            interest="high",
            influence="low",
            contact=person,
        )
        members[variant] = user
        own[variant] = {Person: person, Stakeholder: stakeholder, Membership: membership}
    shared = {
        Subject: [("inside", inside), ("outside", outside)],
        # A subject's findings page names the subject.
        Finding: [("inside", inside), ("outside", outside)],
        Element: [("inside", elements[inside][0]), ("outside", elements[outside][0])],
        Relation: [("inside", relations[inside]), ("outside", relations[outside])],
        Team: [("own", own_team), ("other", other_team)],
        Supplier: [("own", own_supplier), ("other", other_supplier)],
        ChangeLogEntry: [("other", entry)],
    }
    for model in DESIGN_MODELS:
        if getattr(model, "access_scope", None) is not None:
            shared[model] = [(kind, design[model]) for kind, design in designs.items()]
        else:  # organisation-wide: calendars, the priority matrix
            shared[model] = [("other", designs["inside"][model])]
    shared[Agreement] = [*shared[Agreement], ("own", designs["outside"]["uc"])]
    shared[AgreementVersion] = [
        *shared[AgreementVersion],
        ("own", designs["outside"]["uc_version"]),
    ]
    targets: dict[Any, dict[Variant | None, list[tuple[str, Any]]]] = {
        model: {None: pairs} for model, pairs in shared.items()
    }
    for model, other in (
        (Person, other_person),
        (Stakeholder, other_stakeholder),
        (Membership, other_membership),
    ):
        targets[model] = {v: [("own", own[v][model]), ("other", other)] for v in VARIANTS}
    # Calls: one in each subject (someone else's), and per member one of their
    # own: reported by them, and handed to their supplier's link.
    forget_snapshots()
    calls = [
        ("inside", call_for(designs["inside"][Service], number="AL-1")),
        ("outside", call_for(designs["outside"][Service], number="AL-2")),
    ]
    targets[Call] = {
        variant: [
            *calls,
            (
                "own",
                call_for(
                    designs["outside"][Service],
                    number=f"AL-own-{index}",
                    requester=members[variant],
                    segment_link=designs["outside"]["supplier_link"],
                ),
            ),
        ]
        for index, variant in enumerate(VARIANTS)
    }
    # Webhooks are organisation-wide (an admin's): one endpoint, one logged message.
    endpoint = webhook_endpoint_for(org, name="leverancier")
    delivery = webhook_delivery_for(calls[0][1], name="bericht", endpoint=endpoint)
    targets[WebhookEndpoint] = {None: [("other", endpoint)]}
    targets[WebhookDelivery] = {None: [("other", delivery)]}
    services = {kind: design[Service] for kind, design in designs.items()}
    return World(members=members, targets=targets, framework=framework, services=services)


def _sees_service(variant: Variant) -> bool:
    """Whether the member may see the service a ``service`` URL names (the one
    inside the scope)."""
    return _reaches_target(_reaches(variant, "services.view"), "inside")


def _targets(world: World, model, variant: Variant) -> list[tuple[str, Any]]:
    by_variant = world.targets.get(model)
    assert by_variant is not None, f"Add targets for {model.__name__} to the access test's world"
    return by_variant.get(None) or by_variant[variant]


def _methods(callback) -> list[str]:
    api_view = getattr(callback, "cls", None)
    if api_view is not None:
        writes = [m for m in ("post", "patch") if m in callback.actions]
        return ["get", *writes[:1]]
    return ["get", "post"] if hasattr(callback.view_class, "post") else ["get"]


def _attachment_token(call, member) -> str:
    """A file on ``call`` that ``member`` may see whenever they may see the call:
    public (requesters) and added by them (suppliers see their own staff's files)."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from stuurwiel.calls.models import CallAttachment

    attachment = CallAttachment(
        organisation=call.organisation,
        call=call,
        token=f"t{call.pk}x{member.pk}",
        name="a.pdf",
        content_type="application/pdf",
        size=5,
        public=True,
        added_by=member,
        added_by_name="x",
        added_at=timezone.now(),
    )
    attachment.file.save(attachment.token, ContentFile(b"%PDF-"), save=False)
    attachment.save()
    return attachment.token


def _url(name: str, kwargs: frozenset, world: World, target, member=None) -> str:
    values: dict[str, Any] = {"org": "alfa"}
    if "token" in kwargs:
        values["token"] = _attachment_token(target, member)
    if "pk" in kwargs:
        values["pk"] = target.pk
    if "ref_id" in kwargs:
        values["ref_id"] = world.framework.ref_id
    if "service" in kwargs:
        # Pages of one service's parts (its agreements …): the service the target
        # lies in, else the one inside the scope.
        service = getattr(target, "service", None) or world.services["inside"]
        values["service"] = service.pk
    if "signal" in kwargs:
        values["signal"] = next(iter(SIGNAL_LISTS))  # a dashboard signal's calls
    unknown = kwargs - {"org", "pk", "ref_id", "service", "signal", "token"}
    assert not unknown, f"{name}: teach the access test the URL arguments {sorted(unknown)}"
    return reverse(name, kwargs=values)


def _status(client: Client, method: str, url: str) -> int:
    # Every request is rolled back, so a permitted delete or edit changes nothing
    # for the next role.
    with transaction.atomic():
        response = getattr(client, method)(url, content_type="application/json")
        transaction.set_rollback(True)
    return response.status_code


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name,kwargs,callback", org_urls(), ids=[name for name, _, _ in org_urls()]
)
def test_every_role_gets_what_the_permission_matrix_says(
    name, kwargs, callback, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    world = _build_world()
    mismatches = []
    for variant in VARIANTS:
        client = Client()
        client.force_login(world.members[variant])
        for method in _methods(callback):
            declared = _declared(callback, method)
            pk = "pk" in kwargs
            targets = _targets(world, declared.model, variant) if pk else [(None, None)]
            for kind, target in targets:
                url = _url(name, kwargs, world, target, member=world.members[variant])
                want = expected(variant, declared, kind)
                if "service" in kwargs and want == ALLOWED and not _sees_service(variant):
                    want = 404  # the page of a service the member may not see
                got = _status(client, method, url)
                allowed = got not in (403, 404) and got < 500
                if (want == ALLOWED and not allowed) or (want != ALLOWED and got != want):
                    mismatches.append(
                        f"{variant.label} {method.upper()} {url} ({kind}): {got}, expected {want}"
                    )
    assert not mismatches, "\n".join(mismatches)


def test_the_matrix_names_only_known_roles_and_reaches():
    assert set(PERMISSION_MATRIX) == set(Role.values)
    for grants in PERMISSION_MATRIX.values():
        assert all(isinstance(reach, Reach) for reach in grants.values())
