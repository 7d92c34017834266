"""Writes for organisations, memberships, role assignments, users and API tokens.

Every function is keyword-only, atomic and recorded in the change log with the
acting user (``by``). Role assignments have no history of their own: a change of
roles is logged as an update of the membership, with the role list before and
after (``"operator"`` organisation-wide, ``"operator@12"`` scoped to subject 12).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from stuurwiel.changelog.choices import ChangeAction
from stuurwiel.changelog.services import change_record, snapshot
from stuurwiel.core import touch
from stuurwiel.core.exceptions import ConflictError
from stuurwiel.core.text import REASON_MAX_LENGTH, clean_text, clean_version
from stuurwiel.organisations import access
from stuurwiel.organisations.choices import Role
from stuurwiel.organisations.models import Membership, Organisation, RoleAssignment

ADMIN = Role.ORGANISATION_ADMIN
ORGANISATION_FIELDS = ("name", "description")
ORGANISATION_CREATE_FIELDS = ("slug", *ORGANISATION_FIELDS)

# A role as callers give it: ``"architect"`` (organisation-wide) or
# ``("operator", subject)`` where subject is a graph.Subject or None.
RoleSpec = str | tuple[str, Any]


# --- Organisation --------------------------------------------------------------


def _slug_taken_error(slug: str) -> ValidationError:
    message = _("There already is an organisation with the short name “{slug}”.")
    return ValidationError(message.format(slug=slug), code="unique")


@transaction.atomic
def organisation_create(
    *, by: Any, data: dict[str, Any], admin: Any = None, reason: str = ""
) -> Organisation:
    """Create an organisation from ``data`` (``slug``, ``name``, ``description``).

    With ``admin`` (a user) that user becomes its first member, as organisation
    admin, so someone can manage the new organisation. Who may create one (platform
    admins) is for the callers to decide; the command line trusts its operator.
    """
    unknown = set(data) - set(ORGANISATION_CREATE_FIELDS)
    if unknown:
        raise ValueError(f"organisation_create cannot set {sorted(unknown)}")
    organisation = Organisation(**{"description": "", **data})
    errors: dict[str, list[ValidationError]] = {}
    try:
        organisation.full_clean()
    except ValidationError as exc:
        errors = exc.error_dict
        # Django's "Organisation with this Short name already exists." reads
        # poorly; say which short name is taken.
        if any(error.code == "unique" for error in errors.get("slug", [])):
            errors["slug"] = [_slug_taken_error(organisation.slug)]
    if admin is not None and not admin.is_active:
        message = _("{user} is not an active user.").format(user=admin.get_username())
        errors["admin"] = [ValidationError(message, code="inactive")]
    if errors:
        raise ValidationError(errors)
    try:
        organisation.save()
    except IntegrityError as exc:
        # Another request took the short name after the check above. Raising
        # at once leaves this atomic block, so its savepoint is rolled back.
        raise ValidationError({"slug": _slug_taken_error(organisation.slug)}) from exc
    change_record(
        instance=organisation,
        action=ChangeAction.CREATE,
        by=by,
        after=snapshot(organisation),
        reason=reason,
        organisation=organisation,
    )
    if admin is not None:
        # Part of creating the organisation (a platform admin's act), so no member's
        # permission is asked: there are no members yet.
        _membership_add(
            organisation=organisation, by=by, user=admin, roles=[ADMIN], reason=reason, name=""
        )
    return organisation


@transaction.atomic
def organisation_update(
    *, instance: Organisation, by: Any, data: dict[str, Any], version: int | None, reason: str = ""
) -> Organisation:
    """Change the organisation's name or description if ``version`` is still current."""
    unknown = set(data) - set(ORGANISATION_FIELDS)
    if unknown:
        raise ValueError(f"organisation_update cannot change {sorted(unknown)}")
    access.require(by=by, organisation=instance, action="change", obj=instance)
    fresh = Organisation.objects.select_for_update().get(pk=instance.pk)
    version = clean_version(version)
    if version is None or version != fresh.version:
        raise ConflictError(fresh.version)
    before = snapshot(fresh)
    for name, value in data.items():
        setattr(fresh, name, value)
    fresh.full_clean()
    fresh.version += 1
    fresh.save()
    change_record(
        instance=fresh,
        action=ChangeAction.UPDATE,
        by=by,
        before=before,
        after=snapshot(fresh),
        reason=reason,
        organisation=fresh,
    )
    return fresh


# --- Memberships and roles -----------------------------------------------------


def _role_key(role: str, subject_id: int | None) -> str:
    return role if subject_id is None else f"{role}@{subject_id}"


def _membership_snapshot(membership: Membership) -> dict[str, Any]:
    data = snapshot(membership)
    data["roles"] = sorted(
        _role_key(role, subject_id)
        for role, subject_id in RoleAssignment.objects.filter(membership=membership).values_list(
            "role", "subject_id"
        )
    )
    return data


def _clean_roles(*, organisation: Organisation, roles: Iterable[RoleSpec]) -> dict[tuple, Any]:
    """``{(role, subject_id): subject}`` for valid roles; ValidationError listing every problem."""
    wanted: dict[tuple, Any] = {}
    errors: list[str] = []
    for spec in roles:
        role, subject = (spec, None) if isinstance(spec, str) else spec
        if role not in Role.values:
            errors.append(_("“{role}” is not a role.").format(role=role))
            continue
        if subject is not None and subject.organisation_id != organisation.pk:
            errors.append(_("A role can only be scoped to a subject of this organisation."))
            continue
        if subject is not None and role == ADMIN:
            errors.append(
                _("The organisation admin role holds for the whole organisation; it has no scope.")
            )
            continue
        wanted[(role, subject.pk if subject is not None else None)] = subject
    if errors:
        raise ValidationError({"roles": errors})
    return wanted


def _lock_organisation(organisation_id: int) -> None:
    # Membership writes of one organisation run one at a time, so two admins who
    # remove each other's admin role at the same moment cannot both pass the
    # last-admin check below.
    list(Organisation.objects.select_for_update().filter(pk=organisation_id).values("pk"))


def _lock_membership(membership: Membership, version: int | None, *, required: bool) -> Membership:
    fresh = (
        Membership.objects.select_for_update(of=("self",))
        .select_related("organisation", "user")
        .get(pk=membership.pk)
    )
    version = clean_version(version)
    if (version is None and required) or (version is not None and version != fresh.version):
        raise ConflictError(fresh.version)
    return fresh


def _is_admin(membership: Membership) -> bool:
    return RoleAssignment.objects.filter(
        membership=membership, role=ADMIN, subject__isnull=True
    ).exists()


def _other_active_admin_exists(membership: Membership) -> bool:
    return (
        RoleAssignment.objects.filter(
            membership__organisation_id=membership.organisation_id,
            membership__is_active=True,
            role=ADMIN,
            subject__isnull=True,
        )
        .exclude(membership=membership)
        .exists()
    )


def _last_admin_error(membership: Membership) -> ValidationError:
    return ValidationError(
        _(
            "{user} is the last active organisation admin of {organisation}. "
            "Make someone else organisation admin first."
        ).format(user=membership.user, organisation=membership.organisation)
    )


@transaction.atomic
def membership_create(
    *,
    organisation: Organisation,
    by: Any,
    user: Any,
    roles: Iterable[RoleSpec],
    reason: str = "",
    name: str = "",
) -> Membership:
    """Make ``user`` a member of ``organisation`` with ``roles``; ``name`` is how
    the organisation knows them (default: the account's name)."""
    access.require(
        by=by, organisation=organisation, action="change", obj=Membership(organisation=organisation)
    )
    return _membership_add(
        organisation=organisation, by=by, user=user, roles=roles, reason=reason, name=name
    )


def _membership_add(
    *,
    organisation: Organisation,
    by: Any,
    user: Any,
    roles: Iterable[RoleSpec],
    reason: str,
    name: str,
) -> Membership:
    _lock_organisation(organisation.pk)
    existing = Membership.objects.filter(organisation=organisation, user=user).first()
    if existing is not None:
        message = (
            _(
                "{member} is already a member of this organisation; to send the invitation "
                "again, use “Send the invitation again” on their page."
            )
            if existing.is_active
            else _("{member} was a member before; activate that membership instead.")
        )
        raise ValidationError({"user": message.format(member=existing)})
    wanted = _clean_roles(organisation=organisation, roles=roles)
    name = clean_text(name, field="name", max_length=200).strip()
    membership = Membership.objects.create(
        organisation=organisation,
        user=user,
        name=name or user.get_full_name() or user.get_username(),
    )
    RoleAssignment.objects.bulk_create(
        RoleAssignment(membership=membership, role=role, subject=subject)
        for (role, _subject_id), subject in wanted.items()
    )
    _roles_touched(organisation, {subject_id for _role, subject_id in wanted})
    change_record(
        instance=membership,
        action=ChangeAction.CREATE,
        by=by,
        after=_membership_snapshot(membership),
        reason=reason,
    )
    return membership


@transaction.atomic
def membership_invite(
    *,
    organisation: Organisation,
    by: Any,
    email: str,
    name: str,
    roles: Iterable[RoleSpec],
    reason: str = "",
) -> Membership:
    """Invite someone by e-mail address: the account with that address becomes a
    member, or a new account is made for it (without a password: the invitation
    carries a link to choose one).

    The answer is the same either way, and shows only what the admin typed (the
    address and the name the organisation knows the person by), so inviting can
    neither reveal who someone is in another organisation nor probe which
    accounts exist. An address held by several accounts goes to the oldest.
    """
    email = _clean_email(email)
    name = clean_text(name, field="name", max_length=200).strip()
    if not name:
        raise ValidationError({"name": _("Give the name this organisation knows the person by.")})
    user_model = get_user_model()
    user = user_model.objects.filter(email__iexact=email, is_active=True).order_by("pk").first()
    if user is None:
        user = _invited_user_create(email=email, name=name, by=by, reason=reason)
    membership = membership_create(
        organisation=organisation, by=by, user=user, roles=roles, reason=reason, name=name
    )
    transaction.on_commit(lambda: invitation_send(membership=membership))
    return membership


@transaction.atomic
def membership_invitation_resend(*, membership: Membership, by: Any, reason: str = "") -> None:
    """Send the member's invitation again (a link that expired, a lost e-mail).

    Offered for every active member alike and answered alike, so it tells the
    admin nothing about the account (whether it already existed, whether its
    holder has logged in). Who has not chosen a password yet gets a fresh link to
    choose one; the others a link to log in. Logged as an update of the membership.
    """
    access.require(by=by, organisation=membership.organisation, action="change", obj=membership)
    reason = clean_text(reason, field="reason", max_length=REASON_MAX_LENGTH)
    fresh = Membership.objects.select_related("organisation", "user").get(pk=membership.pk)
    if not fresh.is_active:
        message = _("{member} is deactivated; activate the membership first.")
        raise ValidationError(message.format(member=fresh), code="inactive")
    change_record(
        instance=fresh,
        action=ChangeAction.UPDATE,
        by=by,
        before={"invitation_sent": None},
        after={"invitation_sent": timezone.now().isoformat()},
        reason=reason,
    )
    transaction.on_commit(lambda: invitation_send(membership=fresh))


def awaiting_password(user: Any) -> bool:
    """An invited account whose holder has not chosen a password yet: no usable
    password and never logged in. (An account whose password was made unusable
    after use, or one that logs in elsewhere, has logged in before.)"""
    return user.is_active and not user.has_usable_password() and user.last_login is None


def _clean_email(email: Any) -> str:
    """The address, lower-cased: an invited account stores it so, and members'
    addresses are shown so (``Membership.email``), so the answer to an invitation
    looks the same whether the address already had an account (stored as its
    holder typed it, capitals and all) or one was made for it just now."""
    email = clean_text(email, field="email", max_length=254).strip()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationError({"email": exc.messages}) from exc
    return email.lower()


def _invited_user_create(*, email: str, name: str, by: Any, reason: str) -> Any:
    """An account for an invited address: its username is the address (with a
    number if that username is taken), and it has no usable password yet."""
    user_model = get_user_model()
    username, n = email[:150], 1
    while user_model.objects.filter(username__iexact=username).exists():
        n += 1
        suffix = f"-{n}"
        username = f"{email[: 150 - len(suffix)]}{suffix}"
    first_name, _sep, last_name = name.partition(" ")
    user = user_model(
        username=username, email=email, first_name=first_name[:150], last_name=last_name[:150]
    )
    user.set_unusable_password()
    user.save()
    change_record(
        instance=user,
        action=ChangeAction.CREATE,
        by=by,
        after={field: getattr(user, field) for field in USER_LOGGED_FIELDS},
        reason=reason,
    )
    return user


def invitation_send(*, membership: Membership) -> None:
    """E-mail the invitation with the login name: a link to choose a password
    for an account that has none yet, a link to log in for the others. Django's
    e-mail backend sends it (the console in the demo)."""
    user = membership.user
    base = settings.STUURWIEL_BASE_URL.rstrip("/")
    new_account = awaiting_password(user)
    if new_account:
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        token = default_token_generator.make_token(user)
        link = base + reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    else:
        link = base + reverse("login")
    context = {
        "membership": membership,
        "organisation": membership.organisation,
        "link": link,
        "new_account": new_account,
        "username": user.get_username(),
    }
    subject = _("You have been invited to {organisation} in Stuurwiel").format(
        organisation=membership.organisation
    )
    body = render_to_string("organisations/email/invitation.txt", context)
    send_mail(subject, body, None, [user.email])


@transaction.atomic
def membership_create_for_new_user(
    *,
    organisation: Organisation,
    by: Any,
    user_data: dict[str, Any],
    roles: Iterable[RoleSpec],
    reason: str = "",
) -> Membership:
    """Create a user (see :func:`user_create`) and make them a member, all or nothing."""
    user = user_create(**user_data, by=by, reason=reason)
    return membership_create(
        organisation=organisation, by=by, user=user, roles=roles, reason=reason
    )


@transaction.atomic
def membership_roles_set(
    *,
    membership: Membership,
    by: Any,
    roles: Iterable[RoleSpec],
    version: int | None,
    reason: str = "",
) -> Membership:
    """Replace the member's roles by ``roles`` if ``version`` is still current.

    Refuses to take the organisation admin role from its last active holder.
    Combinations function separation advises against are allowed here and shown
    as warnings (:func:`~stuurwiel.organisations.selectors.membership_role_conflicts`);
    refusing them per service or per call comes with the workflow engine.
    """
    access.require(by=by, organisation=membership.organisation, action="change", obj=membership)
    _lock_organisation(membership.organisation_id)
    fresh = _lock_membership(membership, version, required=True)
    wanted = _clean_roles(organisation=fresh.organisation, roles=roles)
    if (
        fresh.is_active
        and (ADMIN, None) not in wanted
        and _is_admin(fresh)
        and not _other_active_admin_exists(fresh)
    ):
        raise _last_admin_error(fresh)
    before = _membership_snapshot(fresh)
    current = {
        (a.role, a.subject_id): a.pk for a in RoleAssignment.objects.filter(membership=fresh)
    }
    RoleAssignment.objects.filter(
        pk__in=[pk for key, pk in current.items() if key not in wanted]
    ).delete()
    RoleAssignment.objects.bulk_create(
        RoleAssignment(membership=fresh, role=role, subject=subject)
        for (role, subject_id), subject in wanted.items()
        if (role, subject_id) not in current
    )
    fresh.version += 1
    fresh.save(update_fields=["version", "updated_at"])
    changed = set(wanted).symmetric_difference(current)
    _roles_touched(fresh.organisation, {subject_id for _role, subject_id in changed})
    change_record(
        instance=fresh,
        action=ChangeAction.UPDATE,
        by=by,
        before=before,
        after=_membership_snapshot(fresh),
        reason=reason,
    )
    return fresh


def _roles_touched(organisation: Organisation, subject_ids: set[int | None]) -> None:
    """Roles held for these subjects changed (``None``: organisation-wide, which
    touches every subject): what is derived from who holds which role follows
    (the coherence engine runs only its rules that read roles)."""
    if None in subject_ids:
        from stuurwiel.graph.models import Subject

        subject_ids = set(
            Subject.objects.filter(organisation=organisation).values_list("pk", flat=True)
        )
    touch.subjects_touched(
        organisation=organisation, subject_ids=subject_ids, touched={touch.Touched.ROLES}
    )


def _membership_active_set(
    *, membership: Membership, by: Any, active: bool, version: int | None, reason: str
) -> Membership:
    access.require(by=by, organisation=membership.organisation, action="change", obj=membership)
    _lock_organisation(membership.organisation_id)
    fresh = _lock_membership(membership, version, required=False)
    if fresh.is_active == active:
        return fresh
    if not active and _is_admin(fresh) and not _other_active_admin_exists(fresh):
        raise _last_admin_error(fresh)
    before = _membership_snapshot(fresh)
    fresh.is_active = active
    fresh.version += 1
    fresh.save(update_fields=["is_active", "version", "updated_at"])
    _roles_touched(
        fresh.organisation,
        set(RoleAssignment.objects.filter(membership=fresh).values_list("subject_id", flat=True)),
    )
    change_record(
        instance=fresh,
        action=ChangeAction.UPDATE,
        by=by,
        before=before,
        after=_membership_snapshot(fresh),
        reason=reason,
    )
    return fresh


@transaction.atomic
def membership_deactivate(
    *, membership: Membership, by: Any, version: int | None = None, reason: str = ""
) -> Membership:
    """Take away the member's access (roles stay, for the record and for reactivation).

    Refuses to deactivate the last active organisation admin.
    """
    return _membership_active_set(
        membership=membership, by=by, active=False, version=version, reason=reason
    )


@transaction.atomic
def membership_activate(
    *, membership: Membership, by: Any, version: int | None = None, reason: str = ""
) -> Membership:
    return _membership_active_set(
        membership=membership, by=by, active=True, version=version, reason=reason
    )


# --- Users and API tokens ------------------------------------------------------

USER_LOGGED_FIELDS = ("username", "email", "first_name", "last_name", "is_staff")


@transaction.atomic
def user_create(
    *,
    username: str,
    email: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
    is_staff: bool = False,
    by: Any = None,
    reason: str = "",
) -> Any:
    """Create a user account; ValidationError lists every problem, password
    problems from Django's ``AUTH_PASSWORD_VALIDATORS`` under ``password``."""
    user = get_user_model()(
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
        is_staff=is_staff,
    )
    errors: dict[str, list[str]] = {}
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        errors["password"] = list(exc.messages)
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    user.save()
    # Never the password hash: the log is readable by auditors.
    change_record(
        instance=user,
        action=ChangeAction.CREATE,
        by=by,
        after={name: getattr(user, name) for name in USER_LOGGED_FIELDS},
        reason=reason,
    )
    return user


@transaction.atomic
def token_create(*, user: Any, by: Any = None, rotate: bool = False) -> tuple[Token, bool]:
    """The user's API token, created when missing or replaced when ``rotate``.

    Returns ``(token, written)``. The log records when a token was issued, never its key.
    """
    old = Token.objects.select_for_update().filter(user=user).first()
    if old is not None and not rotate:
        return old, False
    if old is not None:
        old.delete()
    token = Token.objects.create(user=user)
    change_record(
        instance=user,
        action=ChangeAction.UPDATE,
        by=by,
        before={"api_token_created": old.created.isoformat() if old else None},
        after={"api_token_created": token.created.isoformat()},
    )
    return token, True
