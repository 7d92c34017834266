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
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from stuurwiel.core.exceptions import ConflictError, ProtectedError
from stuurwiel.core.models import OrganisationOwnedModel
from stuurwiel.organisations.selectors import membership_get, membership_permissions

ORG_PARAMETER = OpenApiParameter(
    "org", OpenApiTypes.STR, OpenApiParameter.PATH, description="Organisation short name"
)


def exception_handler(exc, context):
    if isinstance(exc, ConflictError):
        return Response(
            {"detail": str(exc), "current_version": exc.current_version},
            status=status.HTTP_409_CONFLICT,
        )
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


class OrganisationScopedViewSet(viewsets.ModelViewSet):
    area: str = ""
    create_service: Callable[..., Any]
    update_service: Callable[..., Any]
    delete_service: Callable[..., Any]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.membership = membership_get(user=request.user, org_slug=kwargs["org"])
        self.organisation = self.membership.organisation
        permissions = membership_permissions(self.membership)
        action = "view" if request.method in ("GET", "HEAD", "OPTIONS") else "change"
        if f"{self.area}.{action}" not in permissions:
            raise PermissionDenied(_("Your roles do not allow this."))

    def get_queryset(self):
        organisation = getattr(self, "organisation", None)
        if organisation is None:  # schema generation
            return self.queryset.none()
        return self.queryset.filter(organisation=organisation)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["organisation"] = getattr(self, "organisation", None)
        return context

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        response["ETag"] = f'"{response.data.get("version")}"'
        return response

    def _reason(self) -> str:
        return str(self.request.data.get("reason", ""))[:1000]

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
            version = int(header) if header.isdigit() else None
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
