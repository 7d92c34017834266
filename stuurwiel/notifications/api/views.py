"""``GET``/``PATCH /api/o/<org>/notifications/settings/``: the organisation's
e-mail switches, for whoever may use the settings page (``notifications.manage``).

A PATCH changes only the kinds it names and must quote the ``version`` read
(body field or ``If-Match``); someone else's change in between is a 409 with the
current version. The answer carries the version as ``ETag``.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from stuurwiel.core.text import whole_number
from stuurwiel.notifications import selectors, services
from stuurwiel.notifications.api.serializers import NotificationSettingsSerializer
from stuurwiel.notifications.models import NotificationSetting
from stuurwiel.web.api import ORG_PARAMETER, OrganisationAccessMixin

_ERRORS = {
    400: OpenApiResponse(description="An unknown kind, a value that is not a boolean, no version."),
    403: OpenApiResponse(description="Your roles do not include notifications.manage."),
    404: OpenApiResponse(description="Not a member of this organisation."),
}


class NotificationSettingsViewSet(OrganisationAccessMixin, viewsets.GenericViewSet):
    """The switches of the organisation's e-mail notifications, one per kind (one
    object per organisation: ``retrieve`` and ``partial_update`` without an id)."""

    # Organisation-wide settings, as on the page: a role scoped to one subject
    # does not reach them (the access layer judges by this model).
    queryset = NotificationSetting.objects.all()
    serializer_class = NotificationSettingsSerializer
    pagination_class = None
    filter_backends: list = []
    action_permissions = {
        "retrieve": "notifications.manage",
        "partial_update": "notifications.manage",
    }

    def required_permission(self, request) -> str:
        return "notifications.manage"

    def _answer(self) -> Response:
        version = selectors.settings_version(self.organisation)
        data = {"version": version, **selectors.kinds_enabled(self.organisation)}
        response = Response(data)
        response["ETag"] = f'"{version}"'
        return response

    @extend_schema(parameters=[ORG_PARAMETER], responses={200: NotificationSettingsSerializer})
    def retrieve(self, request, *args, **kwargs):
        return self._answer()

    @extend_schema(
        parameters=[ORG_PARAMETER],
        request=NotificationSettingsSerializer,
        responses={
            200: NotificationSettingsSerializer,
            409: OpenApiResponse(description="Changed by someone else since your version."),
            **_ERRORS,
        },
    )
    def partial_update(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        version = serializer.validated_data.get("version")
        if version is None:
            header = request.headers.get("If-Match", "").strip().strip('W/"').strip('"')
            version = whole_number(header)
        if version is None:
            raise ValidationError(
                {"version": [_("Give the version you read (field or If-Match header).")]}
            )
        services.notification_settings_set(
            organisation=self.organisation,
            enabled=serializer.enabled(),
            by=request.user,
            version=version,
        )
        return self._answer()
