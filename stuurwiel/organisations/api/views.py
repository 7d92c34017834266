from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from stuurwiel.core.text import whole_number
from stuurwiel.organisations import filtersets, selectors, services
from stuurwiel.organisations.api import serializers
from stuurwiel.organisations.roles import may_create_organisation
from stuurwiel.web.api import ORG_PARAMETER, OrganisationAccessMixin


@extend_schema_view(
    create=extend_schema(
        request=serializers.OrganisationCreateSerializer,
        responses={201: serializers.OrganisationSerializer},
    ),
)
class OrganisationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The organisations you are an active member of; never any other.

    Platform admins (``is_staff``) create organisations; with ``admin`` an existing
    user becomes the first organisation admin. A platform admin who does not make
    themselves that admin is not a member, and does not see the new organisation here.
    """

    serializer_class = serializers.OrganisationSerializer

    def get_queryset(self):
        return selectors.organisations_for_user(self.request.user)

    def create(self, request, *args, **kwargs):
        if not may_create_organisation(request.user):
            raise PermissionDenied(_("Only platform admins create organisations."))
        serializer = serializers.OrganisationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        organisation = services.organisation_create(
            by=request.user,
            data=serializer.service_data(),
            admin=serializer.validated_data.get("admin"),
            reason=serializer.validated_data["reason"],
        )
        output = self.get_serializer(organisation)
        return Response(output.data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(parameters=[ORG_PARAMETER]),
    retrieve=extend_schema(parameters=[ORG_PARAMETER]),
    create=extend_schema(
        parameters=[ORG_PARAMETER],
        request=serializers.MembershipCreateSerializer,
        responses={201: serializers.MembershipSerializer},
    ),
    update=extend_schema(
        parameters=[ORG_PARAMETER],
        request=serializers.MembershipRolesSerializer,
        responses={200: serializers.MembershipSerializer},
    ),
    deactivate=extend_schema(
        parameters=[ORG_PARAMETER],
        request=serializers.MembershipActiveSerializer,
        responses={200: serializers.MembershipSerializer},
    ),
    activate=extend_schema(
        parameters=[ORG_PARAMETER],
        request=serializers.MembershipActiveSerializer,
        responses={200: serializers.MembershipSerializer},
    ),
    invitation=extend_schema(
        parameters=[ORG_PARAMETER],
        request=serializers.MembershipInvitationSerializer,
        responses={202: None},
    ),
)
class MembershipViewSet(
    OrganisationAccessMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """The organisation's members and their roles.

    Reading needs ``organisations.view``; adding members and changing roles needs
    ``organisations.manage``. A PUT replaces all roles of the member and must quote
    the ``version`` read (field or ``If-Match``); there is no PATCH, as a role list
    is only meaningful whole. Members are never
    deleted: deactivate them, so the history keeps who held which role.
    """

    queryset = selectors.membership_queryset()
    serializer_class = serializers.MembershipSerializer
    filterset_class = filtersets.MembershipFilterSet

    def _input(self, serializer_class):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _output(self, membership, status_code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=membership.pk)
        response = Response(self.get_serializer(fresh).data, status=status_code)
        response["ETag"] = f'"{fresh.version}"'
        return response

    def _version(self, data) -> int | None:
        version = data.get("version")
        if version is None:
            header = self.request.headers.get("If-Match", "").strip().strip('W/"').strip('"')
            version = whole_number(header)
        return version

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        response["ETag"] = f'"{response.data.get("version")}"'
        return response

    def create(self, request, *args, **kwargs):
        """Invite someone by e-mail address (see the request body's description)."""
        data = self._input(serializers.MembershipCreateSerializer)
        try:
            membership = services.membership_invite(
                organisation=self.organisation,
                by=request.user,
                email=data["email"],
                name=data["name"],
                roles=serializers.role_specs(data["roles"]),
                reason=data["reason"],
            )
        except DjangoValidationError as exc:
            if hasattr(exc, "error_dict") and "user" in exc.error_dict:
                exc.error_dict["email"] = exc.error_dict.pop("user")
            raise
        return self._output(membership, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        membership = self.get_object()
        data = self._input(serializers.MembershipRolesSerializer)
        version = self._version(data)
        if version is None:
            raise ValidationError(
                {"version": [_("Give the version you read (field or If-Match header).")]}
            )
        membership = services.membership_roles_set(
            membership=membership,
            by=request.user,
            roles=serializers.role_specs(data["roles"]),
            version=version,
            reason=data["reason"],
        )
        return self._output(membership)

    def _set_active(self, service):
        membership = self.get_object()
        data = self._input(serializers.MembershipActiveSerializer)
        membership = service(
            membership=membership,
            by=self.request.user,
            version=data.get("version"),
            reason=data["reason"],
        )
        return self._output(membership)

    @action(detail=True, methods=["post"])
    def deactivate(self, request, *args, **kwargs):
        """Take away the member's access; refused for the last organisation admin."""
        return self._set_active(services.membership_deactivate)

    @action(detail=True, methods=["post"])
    def activate(self, request, *args, **kwargs):
        """Give a deactivated member access again, with their recorded roles."""
        return self._set_active(services.membership_activate)

    @action(detail=True, methods=["post"])
    def invitation(self, request, *args, **kwargs):
        """Send the member's invitation again; the answer is the same for every
        active member (202, no body), whatever their account."""
        membership = self.get_object()
        data = self._input(serializers.MembershipInvitationSerializer)
        services.membership_invitation_resend(
            membership=membership, by=request.user, reason=data["reason"]
        )
        return Response(status=status.HTTP_202_ACCEPTED)
