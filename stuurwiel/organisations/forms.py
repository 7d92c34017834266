"""Forms for the organisation settings and the member pages.

They validate input only; the services decide (last admin, scopes, conflicts).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.utils.translation import gettext_lazy as _

from stuurwiel.core.forms import EditConflictMixin
from stuurwiel.graph.models import Subject
from stuurwiel.organisations.choices import Role
from stuurwiel.organisations.models import Membership, Organisation
from stuurwiel.organisations.services import awaiting_password


def _version_field() -> forms.IntegerField:
    return forms.IntegerField(widget=forms.HiddenInput, required=False)


def _reason_field() -> forms.CharField:
    return forms.CharField(
        label=_("Reason for this change"),
        required=False,
        max_length=1000,
        widget=forms.TextInput(attrs={"placeholder": _("optional, shown in the history")}),
    )


def _roles_field(help_text) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=_("Roles"),
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=help_text,
    )


class OrganisationForm(EditConflictMixin, forms.ModelForm):
    version = _version_field()
    change_reason = _reason_field()

    class Meta:
        model = Organisation
        fields = ["name", "description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class OrganisationCreateForm(forms.ModelForm):
    """A new organisation and the existing user who becomes its first organisation admin."""

    admin = forms.CharField(
        label=_("First organisation admin"),
        max_length=150,
        help_text=_("Username of an existing user; they can add further members."),
    )
    change_reason = _reason_field()

    class Meta:
        model = Organisation
        fields = ["name", "slug", "description"]
        help_texts = {
            "slug": _(
                "Letters, digits, hyphens and underscores; used in the organisation's "
                "web addresses and cannot be changed later."
            )
        }

    def clean_admin(self) -> Any:
        username = self.cleaned_data["admin"].strip()
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise forms.ValidationError(_("There is no user with this username."))
        return user

    def validate_unique(self) -> None:
        # organisation_create checks the short name and says which one is taken.
        pass

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class MembershipInviteForm(forms.Form):
    """Invite someone by e-mail address, with organisation-wide roles.

    There is no "existing user by username": an admin of one organisation must not
    be able to look up, or probe for, accounts of another (see
    :func:`~stuurwiel.organisations.services.membership_invite`).
    """

    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_(
            "The invitation goes here. Someone who already has a Stuurwiel account with "
            "this address is added with that account."
        ),
    )
    name = forms.CharField(
        label=_("Name"), max_length=200, help_text=_("As your organisation knows the person.")
    )
    roles = _roles_field(
        _("For the whole organisation. Roles for one subject are set on the member's edit page.")
    )
    change_reason = _reason_field()


def _same_address(a: str, b: str) -> bool:
    return (
        unicodedata.normalize("NFKC", a).casefold() == unicodedata.normalize("NFKC", b).casefold()
    )


class InvitationPasswordResetForm(PasswordResetForm):
    """Django's "forgot your password" form, which also serves invited people.

    Django sends nothing to an account without a usable password, and an invited
    account has none until its holder chooses one: whose invitation link expired
    could never get in. This form also sends to such an account while it has never
    logged in (:func:`~stuurwiel.organisations.services.awaiting_password`). The
    answer page is the same for every address, known or not, as in Django.
    """

    def get_users(self, email: str) -> Iterator[Any]:
        user_model = get_user_model()
        field = user_model.get_email_field_name()
        candidates = user_model._default_manager.filter(
            **{f"{field}__iexact": email, "is_active": True}
        )
        return (
            user
            for user in candidates
            if (user.has_usable_password() or awaiting_password(user))
            and _same_address(email, getattr(user, field))
        )


class MembershipRolesForm(forms.Form):
    roles = _roles_field(_("Roles for the whole organisation."))
    version = _version_field()
    change_reason = _reason_field()

    def __init__(self, *args, membership: Membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = membership.version
        self.fields["roles"].initial = [
            a.role for a in membership.role_assignments.all() if a.subject_id is None
        ]


class ScopedRoleForm(forms.Form):
    """One role for one subject of the organisation (a row of the formset below)."""

    role = forms.ChoiceField(
        label=_("Role"),
        required=False,
        choices=[("", "---------")]
        + [(value, label) for value, label in Role.choices if value != Role.ORGANISATION_ADMIN],
    )
    subject = forms.ModelChoiceField(
        label=_("Scope"), queryset=Subject.objects.none(), required=False
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].queryset = Subject.objects.filter(
            organisation=organisation
        ).order_by("name")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("role") and not data.get("subject"):
            self.add_error("subject", _("Choose the subject this role holds for."))
        if data.get("subject") and not data.get("role"):
            self.add_error("role", _("Choose a role."))
        return data


ScopedRoleFormSet = forms.formset_factory(ScopedRoleForm, extra=2, can_delete=True)


def scoped_role_formset(
    *, membership: Membership, organisation: Organisation, data=None
) -> forms.BaseFormSet:
    initial = [
        {"role": a.role, "subject": a.subject_id}
        for a in membership.role_assignments.all()
        if a.subject_id is not None
    ]
    return ScopedRoleFormSet(
        data, initial=initial, prefix="scoped", form_kwargs={"organisation": organisation}
    )


def role_specs(form: MembershipRolesForm, formset: forms.BaseFormSet) -> list[tuple[str, Any]]:
    """The roles the two forms describe, as ``(role, subject or None)`` for the service."""
    specs: list[tuple[str, Any]] = [(role, None) for role in form.cleaned_data["roles"]]
    for row in formset.forms:
        data = getattr(row, "cleaned_data", {})
        if data.get("role") and data.get("subject") and not data.get("DELETE"):
            specs.append((data["role"], data["subject"]))
    return specs
