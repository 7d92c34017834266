"""The access layer: who may do what, on which object, in one place.

Two questions are answered here and nowhere else:

- :func:`permitted` — may this member do this action on this object?
- :func:`restrict` — this queryset, limited to what this member may see (or change).

Pages (:class:`~stuurwiel.web.mixins.OrganisationViewMixin`), the API
(:class:`AccessPermission`) and the services (:func:`require`) all ask them.

**Model.** A permission is ``"<area>.<action>"`` (``graph.change``). The
:data:`PERMISSION_MATRIX` says, per role, which permissions the role grants and how
far each reaches (:class:`Reach`). A role is held organisation-wide or *scoped* to
one subject (a service, a capability …): a scoped role's ``SCOPE`` permissions
hold only for objects inside that subject. Which objects lie inside a subject, and
which objects are "one's own", each model declares itself with two attributes:

- ``access_scope``: the lookup from the object to its subject (``"subject"`` for an
  element, ``"source__subject"`` for a relation, ``"pk"`` for the subject itself);
- ``access_owner``: the lookup from the object to the user it belongs to
  (``"user"`` for a person or membership, ``"staff__user"`` for a supplier).

**Limits.** Permissions are per area, not per field. Commands and background jobs
act for whoever runs the server and are not checked by :func:`require` (someone
with a shell on the server can do anything anyway); every web and API request is.
Function separation between *people* on one call or design (who may approve what
someone else did) is a rule of the workflow, checked where the work happens, with
the rules from the USM library; this module only answers what a role allows.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stuurwiel.changelog.choices import ChangeSource
from stuurwiel.changelog.context import current_source
from stuurwiel.organisations.choices import Role


class Reach(models.TextChoices):
    """How far a permission reaches from the role assignment that grants it."""

    ORGANISATION = "organisation", gettext_lazy("the whole organisation, also when scoped")
    SCOPE = "scope", gettext_lazy("the role's scope (the whole organisation if not scoped)")
    LINKED = "linked", gettext_lazy("only the subjects the role is scoped to")
    OWN = "own", gettext_lazy("only the member's own records")


ORG = Reach.ORGANISATION
SCOPE = Reach.SCOPE
LINKED = Reach.LINKED
OWN = Reach.OWN

# Staff of the organisation read its whole model: USM's chain works when every link
# can see the service as a whole (§11.8). Suppliers and requesters are outside it.
_STAFF_READS = {
    "organisations.view": ORG,
    "parties.view": ORG,
    "frameworks.view": ORG,
    "graph.view": ORG,
    # The coherence findings of the subjects (a finding lies in its subject's scope).
    "coherence.view": ORG,
    "services.view": ORG,
    "services.catalogue": ORG,
    "agreements.view": ORG,
    "calendars.view": ORG,
    "calls.view": ORG,
}

# Handling calls (§14.6): operators do the work, coordinators organise it (they
# assign and steer but do not execute), management evaluates and legitimises
# exceptions. Which person may not take which step of a call, the workflow
# engine decides from the USM library's separation rules.
_INTAKE = {"calls.register": SCOPE}

# Designing services (the chain, the canvas) and drafting their agreements: the
# specifying side of domain separation (§14.7). Approving a design is a separate
# permission; who may not approve *this* design (its own designers) the services
# app decides from the USM library's person_separation rule.
_DESIGN = {"services.change": SCOPE, "agreements.change": SCOPE}

# The management dashboard (the signals of a working system, §11.8): those who
# steer and those who audit see it; a service owner only for their own services.
_DASHBOARD = {"dashboard.view": ORG}

#: The permission matrix: per role, the permissions it grants and their reach.
#: ``organisations.view`` opens the dashboard and the member list (with reach OWN:
#: one's own membership only); ``organisations.manage`` adds members and sets roles.
PERMISSION_MATRIX: dict[str, dict[str, Reach]] = {
    Role.ORGANISATION_ADMIN: {
        **_STAFF_READS,
        "organisations.manage": SCOPE,
        "parties.change": SCOPE,
        "graph.change": SCOPE,
        "changelog.view": SCOPE,
        "calendars.change": SCOPE,
        # The organisation's e-mail notifications: which kinds are sent, and the log.
        "notifications.manage": SCOPE,
        **_DASHBOARD,
        # Suppliers' webhook endpoints (their secrets) and the delivery log.
        "webhooks.view": SCOPE,
        "webhooks.manage": SCOPE,
    },
    Role.ARCHITECT: {
        **_STAFF_READS,
        **_DESIGN,
        "graph.change": SCOPE,
        "changelog.view": SCOPE,
        "services.approve": SCOPE,
    },
    Role.MANAGER: {
        **_STAFF_READS,
        **_DESIGN,
        "graph.change": SCOPE,
        "parties.change": SCOPE,
        "changelog.view": SCOPE,
        "services.approve": SCOPE,
        "calendars.change": SCOPE,
        "calls.approve_exception": SCOPE,
        "calls.relax": SCOPE,
        **_DASHBOARD,
        # Marking that the board reviewed the coherence overview ("since the last review").
        "coherence.review": SCOPE,
    },
    Role.SERVICE_OWNER: {
        **_STAFF_READS,
        **_DESIGN,
        "graph.change": SCOPE,
        "parties.change": SCOPE,
        "services.approve": SCOPE,
        **_INTAKE,
        "calls.evaluate": SCOPE,
        "calls.approve_exception": SCOPE,
        "dashboard.view": SCOPE,
    },
    Role.WORKFLOW_MANAGER: {
        **_STAFF_READS,
        **_DESIGN,
        "graph.change": SCOPE,
        **_INTAKE,
        "calls.evaluate": SCOPE,
        "calls.approve_exception": SCOPE,
        **_DASHBOARD,
    },
    Role.WORKFLOW_COORDINATOR: {**_STAFF_READS, **_INTAKE, "calls.coordinate": SCOPE},
    Role.TEAM_COORDINATOR: {**_STAFF_READS, **_INTAKE, "calls.coordinate": SCOPE},
    Role.OPERATOR: {**_STAFF_READS, **_INTAKE, "calls.work": SCOPE},
    Role.AUDITOR: {**_STAFF_READS, "changelog.view": SCOPE, **_DASHBOARD},
    # A requester sees what is theirs: their own membership, their own calls, and
    # the requester catalogue (live services, in customer words), where they report.
    Role.REQUESTER: {
        "organisations.view": OWN,
        "frameworks.view": ORG,
        "services.catalogue": ORG,
        "calls.view": OWN,
        "calls.register": ORG,
    },
    # A supplier is a black box behind an interface: its user sees its own supplier
    # record, the subjects (services) its role is scoped to, its own contracts, and
    # the calls handed to its link, which it works on and hands back.
    Role.SUPPLIER_USER: {
        "organisations.view": OWN,
        "parties.view": OWN,
        "frameworks.view": ORG,
        "graph.view": LINKED,
        "services.view": LINKED,
        "services.catalogue": ORG,
        "agreements.view": OWN,
        "calls.view": OWN,
        "calls.work": OWN,
    },
}

#: Every permission any role can be given, for pages that list them.
PERMISSIONS: tuple[str, ...] = tuple(
    sorted({name for grants in PERMISSION_MATRIX.values() for name in grants})
)


def _area_of(model: type[models.Model]) -> str:
    return model._meta.app_label


def permission_for(model: type[models.Model], action: str) -> str:
    """``"<area>.<action>"`` for a model: its app is its area, except memberships,
    which are changed with ``organisations.manage``."""
    area = _area_of(model)
    if area == "organisations" and action == "change":
        return "organisations.manage"
    return f"{area}.{action}"


@dataclass
class Grant:
    """What one permission reaches for one member: everything, or a set of
    subjects and/or the member's own records."""

    everything: bool = False
    subject_ids: set[int] = field(default_factory=set)
    own: bool = False

    def __bool__(self) -> bool:
        return self.everything or bool(self.subject_ids) or self.own


@dataclass
class Access:
    """One member's access in one organisation, computed once per request."""

    user: Any
    organisation: Any
    membership: Any
    grants: dict[str, Grant]

    @property
    def permissions(self) -> frozenset[str]:
        """The permissions the member holds somewhere (for menus and buttons)."""
        return frozenset(name for name, grant in self.grants.items() if grant)

    def holds(self, permission: str) -> bool:
        """Whether the member holds ``permission`` on at least some objects."""
        return bool(self.grants.get(permission))

    def holds_for(self, permission: str, model: type[models.Model] | None) -> bool:
        """Whether the member holds ``permission`` on at least some ``model``
        objects: a scoped grant counts only for models that lie inside subjects, an
        own-records grant only for models that belong to someone."""
        grant = self.grants.get(permission)
        if not grant:
            return False
        if model is None or grant.everything:
            return True
        return bool(
            (grant.subject_ids and _scope_lookups(model)) or (grant.own and _owner_lookups(model))
        )

    def may_view(self, obj: Any) -> bool:
        """Whether the member may see ``obj`` (for links in templates)."""
        return permitted(self, "view", obj)

    def holds_everywhere(self, permission: str) -> bool:
        grant = self.grants.get(permission)
        return bool(grant and grant.everything)

    def scope_ids(self, permission: str) -> frozenset[int]:
        grant = self.grants.get(permission)
        return frozenset(grant.subject_ids) if grant else frozenset()


def access_from_membership(membership: Any) -> Access:
    """Build :class:`Access` from a membership with prefetched ``role_assignments``."""
    grants: dict[str, Grant] = {}
    if membership is not None and membership.is_active:
        for assignment in membership.role_assignments.all():
            for permission, reach in PERMISSION_MATRIX.get(assignment.role, {}).items():
                grant = grants.setdefault(permission, Grant())
                if reach == ORG or (reach == SCOPE and assignment.subject_id is None):
                    grant.everything = True
                elif reach in (SCOPE, LINKED) and assignment.subject_id is not None:
                    grant.subject_ids.add(assignment.subject_id)
                elif reach == OWN:
                    grant.own = True
    return Access(
        user=getattr(membership, "user", None),
        organisation=getattr(membership, "organisation", None),
        membership=membership,
        grants=grants,
    )


_CACHE_ATTRIBUTE = "_stuurwiel_access"


def access_for(user: Any, organisation: Any) -> Access:
    """The user's :class:`Access` in ``organisation`` (no access if not an active
    member). Cached on the user object, so one request computes it once."""
    cache = getattr(user, _CACHE_ATTRIBUTE, None)
    if cache is None:
        cache = {}
        with contextlib.suppress(AttributeError):  # AnonymousUser and the like
            setattr(user, _CACHE_ATTRIBUTE, cache)
    if organisation.pk in cache:
        return cache[organisation.pk]
    from stuurwiel.organisations.models import Membership

    membership = None
    if getattr(user, "is_authenticated", False):
        membership = (
            Membership.objects.filter(organisation=organisation, user=user, is_active=True)
            .select_related("organisation", "user")
            .prefetch_related("role_assignments")
            .first()
        )
    access = access_from_membership(membership)
    access.organisation = organisation
    cache[organisation.pk] = access
    return access


def remember(access: Access) -> None:
    """Let later calls in this request (services) reuse an access already built."""
    cache = getattr(access.user, _CACHE_ATTRIBUTE, None)
    if cache is None:
        cache = {}
        setattr(access.user, _CACHE_ATTRIBUTE, cache)
    cache[access.organisation.pk] = access


def forget(user: Any) -> None:
    """Drop the cached access (after the member's roles changed)."""
    if hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)


# --- Objects and querysets --------------------------------------------------------


def _scope_lookups(model: type[models.Model]) -> tuple[str, ...]:
    """Where ``model``'s objects lie: every lookup must end in a subject of the
    scope (a relation lies inside a subject only if both its ends do)."""
    declared = getattr(model, "access_scope", None)
    if declared is None:
        return ()
    return (declared,) if isinstance(declared, str) else tuple(declared)


def _owner_lookups(model: type[models.Model]) -> tuple[str, ...]:
    """The lookups from ``model``'s objects to the users they belong to (any one
    of them makes an object the member's own)."""
    declared = getattr(model, "access_owner", None)
    if declared is None:
        return ()
    return (declared,) if isinstance(declared, str) else tuple(declared)


def _condition(model: type[models.Model], grant: Grant, user: Any) -> Q | None:
    """The filter for what ``grant`` reaches of ``model``; ``None`` for everything."""
    if grant.everything:
        return None
    condition = Q(pk__in=[])  # nothing, unless something below adds to it
    lookups = _scope_lookups(model)
    if grant.subject_ids and lookups:
        ids = sorted(grant.subject_ids)
        inside = Q()
        for lookup in lookups:
            inside &= Q(**{f"{lookup}__in": ids})
        condition |= inside
    if grant.own and getattr(user, "pk", None) is not None:
        for owner in _owner_lookups(model):
            # A subquery on the primary key: owner lookups across many-valued
            # relations must not multiply rows.
            condition |= Q(pk__in=model._default_manager.filter(**{owner: user}).values("pk"))
    return condition


def restrict(
    queryset: QuerySet, access: Access, action: str = "view", *, permission: str = ""
) -> QuerySet:
    """``queryset`` limited to the objects ``access`` may ``action``; or, with
    ``permission``, to those that permission reaches (``dashboard.view`` on calls:
    a service owner's dashboard counts only the calls of their services)."""
    permission = permission or permission_for(queryset.model, action)
    grant = access.grants.get(permission)
    if not grant:
        return queryset.none()
    condition = _condition(queryset.model, grant, access.user)
    return queryset if condition is None else queryset.filter(condition)


_UNKNOWN = object()


def _follow(obj: Any, lookup: str) -> Any:
    """The value at the end of a ``__`` lookup, read from the object itself, so
    that an unsaved object (one about to be created) can be judged too. A foreign
    key at the end is read as its id, without a query. ``_UNKNOWN`` when the path
    crosses a many-valued relation (then only a query can tell)."""
    *path, last = lookup.split("__")
    value = obj
    for name in path:
        field = value._meta.get_field(name)
        if not (field.many_to_one or field.one_to_one) or field.auto_created:
            return _UNKNOWN
        value = getattr(value, name, None)
        if value is None:
            return None
    if last == "pk":
        return value.pk
    field = value._meta.get_field(last)
    if (field.many_to_one or field.one_to_one) and not field.auto_created:
        return getattr(value, field.attname)
    if field.is_relation:
        return _UNKNOWN
    return getattr(value, last)


def permitted(access: Access, action: str, obj: Any) -> bool:
    """Whether ``access`` allows ``action`` (``view``, ``change``) on ``obj``,
    which may be unsaved (a create is judged on the object it would create)."""
    permission = permission_for(type(obj), action)
    grant = access.grants.get(permission)
    if not grant:
        return False
    if grant.everything:
        return True
    lookups = _scope_lookups(type(obj))
    if (
        grant.subject_ids
        and lookups
        and all(_follow(obj, lookup) in grant.subject_ids for lookup in lookups)
    ):
        return True
    if grant.own and obj.pk is not None:
        for owner in _owner_lookups(type(obj)):
            found = _follow(obj, owner)
            if found is _UNKNOWN:
                found_own = (
                    type(obj)._default_manager.filter(pk=obj.pk, **{owner: access.user}).exists()
                )
            else:
                found_own = found is not None and found == getattr(access.user, "pk", None)
            if found_own:
                return True
    return False


def is_own_membership(access: Access, membership: Any) -> bool:
    return getattr(access.user, "pk", None) is not None and membership.user_id == access.user.pk


def sees_member_email(access: Access, membership: Any) -> bool:
    """A member's e-mail address is shown to the organisation's admins (who
    invited them at it) and to the member themselves only."""
    return is_own_membership(access, membership) or access.holds_everywhere("organisations.manage")


def sees_member_username(access: Access, membership: Any) -> bool:
    """A username is a login name of the installation, which may be shared by
    several organisations: only its holder sees it."""
    return is_own_membership(access, membership)


def may_add(access: Access, model: type[models.Model]) -> bool:
    """Whether the member may create some ``model`` object (an "add" button):
    anywhere, or inside a subject of their scope for models that lie in one."""
    grant = access.grants.get(permission_for(model, "change"))
    if not grant:
        return False
    lookups = _scope_lookups(model)
    return grant.everything or bool(grant.subject_ids and lookups and "pk" not in lookups)


class AccessDenied(PermissionDenied):
    """A member's roles do not allow a write; the message says which permission."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


def _trusted_caller(by: Any) -> bool:
    """Commands and jobs run for whoever runs the server; the rest is checked."""
    if by is None or not getattr(by, "is_authenticated", False):
        return True
    return current_source() in (ChangeSource.COMMAND, ChangeSource.JOB)


def require(*, by: Any, organisation: Any, action: str, obj: Any) -> None:
    """Raise :class:`AccessDenied` unless ``by`` may ``action`` ``obj``.

    Services call this for every write, so no entry point (page, API, importer,
    workflow engine) can do what the member's roles do not allow.
    """
    if _trusted_caller(by):
        return
    access = access_for(by, organisation)
    if not permitted(access, action, obj):
        raise AccessDenied(denial_message(access, action, obj))


def denial_message(access: Access, action: str, obj: Any) -> str:
    permission = permission_for(type(obj), action)
    if access.holds(permission):
        return _(
            "Your roles allow this only within their scope, and “{name}” lies outside it."
        ).format(name=obj if obj.pk else type(obj)._meta.verbose_name)
    return _("Your roles do not allow this.")
