"""Organisation and member serializers. Reads show a membership with its roles
and the role combinations function separation warns about; writes go through
the services."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from stuurwiel.graph.models import Subject
from stuurwiel.organisations import access
from stuurwiel.organisations.choices import Role, SeparationPrinciple
from stuurwiel.organisations.models import Membership, Organisation
from stuurwiel.organisations.roles import separation_rules
from stuurwiel.organisations.selectors import membership_role_conflicts


class OrganisationSerializer(serializers.ModelSerializer):
    members_url = serializers.SerializerMethodField(
        help_text="The organisation's members in the API; its other endpoints share "
        "the /api/o/{slug}/ prefix."
    )

    class Meta:
        model = Organisation
        fields = ["slug", "name", "description", "members_url"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_members_url(self, obj: Organisation) -> str:
        url = reverse("organisations-api:membership-list", kwargs={"org": obj.slug})
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class OrganisationCreateSerializer(serializers.Serializer):
    """A new organisation; 400 lists every problem with the fields (a short name taken, …)."""

    slug = serializers.CharField(help_text="Short name, used in URLs; cannot be changed later.")
    name = serializers.CharField()
    description = serializers.CharField(required=False, default="", allow_blank=True)
    admin = serializers.CharField(
        required=False,
        help_text="Username of an existing user who becomes the first organisation admin.",
    )
    reason = serializers.CharField(required=False, default="", allow_blank=True, max_length=1000)

    def validate_admin(self, value: str) -> Any:
        user = get_user_model().objects.filter(username=value).first()
        if user is None:
            raise serializers.ValidationError(_("There is no user with this username."))
        return user

    def service_data(self) -> dict[str, Any]:
        return {name: self.validated_data[name] for name in ("slug", "name", "description")}


class RoleAssignmentSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices)
    role_label = serializers.CharField(source="get_role_display", read_only=True)
    subject = serializers.PrimaryKeyRelatedField(
        queryset=Subject.objects.all(),
        allow_null=True,
        required=False,
        default=None,
        help_text="The subject the role holds for; null for the whole organisation.",
    )


class RoleSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices)
    role_label = serializers.CharField()


class RoleConflictSerializer(serializers.Serializer):
    """Read-only: one :class:`~stuurwiel.organisations.selectors.ScopedRoleConflict`."""

    scope = serializers.IntegerField(
        allow_null=True, help_text="Subject id; null for the whole organisation."
    )
    roles = RoleSerializer(many=True)
    principle = serializers.ChoiceField(choices=SeparationPrinciple.choices)
    message = serializers.CharField()

    def to_representation(self, instance) -> dict[str, Any]:
        conflict = instance.conflict
        return {
            "scope": instance.scope.pk if instance.scope is not None else None,
            "roles": [
                {"role": role, "role_label": str(Role(role).label)}
                for role in (conflict.first, conflict.second)
            ],
            "principle": conflict.principle,
            "message": str(instance),
        }


class MembershipSerializer(serializers.ModelSerializer):
    """A member. ``email`` is given to the organisation's admins and to the member
    themselves, ``username`` (the login name) to the member only; others get ``null``."""

    username = serializers.SerializerMethodField()
    email = serializers.SerializerMethodField()
    roles = RoleAssignmentSerializer(source="role_assignments", many=True, read_only=True)
    role_conflicts = serializers.SerializerMethodField(
        help_text="Role combinations function separation advises against (warnings only)."
    )

    class Meta:
        model = Membership
        fields = [
            "id",
            "name",
            "username",
            "email",
            "is_active",
            "roles",
            "role_conflicts",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def _viewer(self):
        return self.context.get("access")

    @extend_schema_field(OpenApiTypes.STR)
    def get_username(self, obj: Membership) -> str | None:
        viewer = self._viewer()
        visible = viewer is not None and access.sees_member_username(viewer, obj)
        return obj.user.get_username() if visible else None

    @extend_schema_field(OpenApiTypes.EMAIL)
    def get_email(self, obj: Membership) -> str | None:
        viewer = self._viewer()
        return obj.email if viewer is not None and access.sees_member_email(viewer, obj) else None

    @extend_schema_field(RoleConflictSerializer(many=True))
    def get_role_conflicts(self, obj: Membership) -> list[dict[str, Any]]:
        rules = self.context.get("separation_rules")
        if rules is None:
            rules = self.context["separation_rules"] = separation_rules()
        return RoleConflictSerializer(membership_role_conflicts(obj, rules), many=True).data


class _OrganisationSubjectsMixin:
    """Limits the subjects a role can be scoped to, to the organisation in the URL."""

    def limit_subjects(self, roles_field) -> None:
        organisation = self.context.get("organisation")
        subject_field = roles_field.child.fields["subject"]
        subject_field.queryset = (
            Subject.objects.filter(organisation=organisation)
            if organisation is not None
            else Subject.objects.none()
        )


class MembershipCreateSerializer(_OrganisationSubjectsMixin, serializers.Serializer):
    """An invitation by e-mail address. The account with that address becomes a
    member, or one is made for it; the answer is the same either way and shows
    only what was given (never who the address belongs to elsewhere)."""

    email = serializers.EmailField(help_text="Where the invitation goes.")
    name = serializers.CharField(
        max_length=200, help_text="The person's name as your organisation knows them."
    )
    roles = RoleAssignmentSerializer(many=True, required=False, default=list)
    reason = serializers.CharField(required=False, default="", allow_blank=True, max_length=1000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_subjects(self.fields["roles"])


class MembershipRolesSerializer(_OrganisationSubjectsMixin, serializers.Serializer):
    """All of the member's roles: the list replaces the current roles."""

    roles = RoleAssignmentSerializer(many=True)
    version = serializers.IntegerField(
        required=False, help_text="The version you read; or send an If-Match header."
    )
    reason = serializers.CharField(required=False, default="", allow_blank=True, max_length=1000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_subjects(self.fields["roles"])


class MembershipActiveSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False, help_text="The version you read.")
    reason = serializers.CharField(required=False, default="", allow_blank=True, max_length=1000)


class MembershipInvitationSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, default="", allow_blank=True, max_length=1000)


def role_specs(validated_roles: list[dict[str, Any]]) -> list[tuple[str, Any]]:
    return [(r["role"], r.get("subject")) for r in validated_roles]
