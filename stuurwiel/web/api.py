"""API base: organisation-scoped viewsets whose writes go through the services.

URLs look like ``/api/o/<org>/<app>/<objects>/``. Non-members get 404; members
without the permission get 403; updates must quote the ``version`` they read
(body field or ``If-Match`` header) and get 409 when someone else saved first.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from stuurwiel.core.exceptions import ConflictError, ProtectedError
from stuurwiel.core.models import OrganisationOwnedModel
from stuurwiel.core.text import REASON_MAX_LENGTH, clean_text, whole_number
from stuurwiel.organisations import access
from stuurwiel.organisations.selectors import membership_get

ORG_PARAMETER = OpenApiParameter(
    "org", OpenApiTypes.STR, OpenApiParameter.PATH, description="Organisation short name"
)


def exception_handler(exc, context):
    if isinstance(exc, ConflictError):
        return Response(
            {"detail": str(exc), "current_version": exc.current_version},
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, access.AccessDenied):
        return Response({"detail": exc.message}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, ProtectedError):
        return Response({"detail": exc.message}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        return Response(detail, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)


class OrganisationScopedSerializer(serializers.ModelSerializer):
    """Limits related-object choices to the organisation in the URL."""

    version = serializers.IntegerField(
        required=False, help_text="The version you read; required on update."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        organisation = self.context.get("organisation")
        for field in self.fields.values():
            target = getattr(field, "child_relation", field)
            queryset = getattr(target, "queryset", None)
            if (
                organisation is not None
                and queryset is not None
                and issubclass(queryset.model, OrganisationOwnedModel)
            ):
                target.queryset = queryset.filter(organisation=organisation)

    def service_data(self) -> dict[str, Any]:
        return {k: v for k, v in self.validated_data.items() if k not in {"version", "reason"}}


def org_scoped_schema(cls):
    """Document the ``org`` path parameter on every action of a viewset."""
    from drf_spectacular.utils import extend_schema

    actions = ["list", "retrieve", "create", "update", "partial_update", "destroy"]
    present = [a for a in actions if hasattr(cls, a)]  # read-only viewsets have fewer
    return extend_schema_view(**{a: extend_schema(parameters=[ORG_PARAMETER]) for a in present})(
        cls
    )


class OrganisationAccessPermission(BasePermission):
    """The DRF face of the access layer (:mod:`stuurwiel.organisations.access`).

    Resolves the organisation in the URL (non-members: 404), then asks whether the
    member holds the view's permission anywhere (403 if not); per object, whether
    they may change it (403 with the reason). What they may not see at all is not
    in the view's queryset, so it is a 404 like an id that does not exist.
    """

    message = _lazy("Your roles do not allow this.")

    def has_permission(self, request, view) -> bool:
        if not getattr(request.user, "is_authenticated", False):
            return False
        view.resolve_organisation(request)
        return view.access.holds_for(view.required_permission(request), view.queryset.model)

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in SAFE_METHODS:
            return True
        if not access.permitted(view.access, "change", obj):
            raise PermissionDenied(access.denial_message(view.access, "change", obj))
        return True


class OrganisationAccessMixin:
    """For viewsets under ``/api/o/<org>/``: the organisation, the member's access,
    and a queryset restricted by the access layer."""

    permission_classes = [OrganisationAccessPermission]
    organisation = None

    def resolve_organisation(self, request) -> None:
        self.membership = membership_get(user=request.user, org_slug=self.kwargs["org"])
        self.organisation = request.organisation = self.membership.organisation
        self.access = request.access = access.access_from_membership(self.membership)
        access.remember(self.access)

    def required_permission(self, request) -> str:
        # A method the endpoint does not have is judged as a read, so that the
        # member learns "405 not allowed" rather than "403 not for you".
        writes = request.method not in SAFE_METHODS and hasattr(self, request.method.lower())
        action = "change" if writes else "view"
        return access.permission_for(self.queryset.model, action)

    def get_queryset(self):
        if self.organisation is None:  # schema generation
            return self.queryset.none()
        return access.restrict(self.queryset.filter(organisation=self.organisation), self.access)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["organisation"] = self.organisation
        context["access"] = getattr(self, "access", None)
        return context


class OrganisationScopedViewSet(OrganisationAccessMixin, viewsets.ModelViewSet):
    area: str = ""
    create_service: Callable[..., Any]
    update_service: Callable[..., Any]
    delete_service: Callable[..., Any]

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        response["ETag"] = f'"{response.data.get("version")}"'
        return response

    def _reason(self) -> str:
        """The change's reason: text, storable, at most 1,000 characters (400 if not)."""
        data = self.request.data
        reason = data.get("reason", "") if hasattr(data, "get") else ""
        return clean_text(reason, field="reason", max_length=REASON_MAX_LENGTH)

    def perform_create(self, serializer):
        serializer.instance = type(self).create_service(
            organisation=self.organisation,
            by=self.request.user,
            data=serializer.service_data(),
            reason=self._reason(),
        )

    def perform_update(self, serializer):
        version = serializer.validated_data.get("version")
        if version is None:
            header = self.request.headers.get("If-Match", "").strip().strip('W/"').strip('"')
            version = whole_number(header)
        if version is None:
            raise ValidationError(
                {"version": [_("Give the version you read (field or If-Match header).")]}
            )
        serializer.instance = type(self).update_service(
            instance=serializer.instance,
            by=self.request.user,
            data=serializer.service_data(),
            version=version,
            reason=self._reason(),
        )

    def perform_destroy(self, instance):
        type(self).delete_service(instance=instance, by=self.request.user, reason=self._reason())
