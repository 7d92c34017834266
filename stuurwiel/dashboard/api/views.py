"""The signals of a working system as JSON: ``GET /api/o/<org>/dashboard/signals/``
with ``service``, ``from``, ``to`` (dates, inclusive) or ``days``; the same figures
as the dashboard page, for whoever holds ``dashboard.view``."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from stuurwiel.calls.models import Call
from stuurwiel.dashboard import selectors
from stuurwiel.dashboard.api.serializers import SignalsSerializer
from stuurwiel.dashboard.forms import SignalsFilterForm
from stuurwiel.web.api import ORG_PARAMETER, OrganisationAccessMixin

_PARAMETERS = [
    ORG_PARAMETER,
    OpenApiParameter("service", OpenApiTypes.INT, description="One service (its id)."),
    OpenApiParameter("from", OpenApiTypes.DATE, description="First day (inclusive)."),
    OpenApiParameter("to", OpenApiTypes.DATE, description="Last day (inclusive)."),
    OpenApiParameter(
        "days", OpenApiTypes.INT, description="The last 30, 90 (default) or 180 days."
    ),
]


class SignalsViewSet(OrganisationAccessMixin, viewsets.GenericViewSet):
    """The signals of a working system for one period (and service)."""

    # The calls are what the signals count; the queryset names the model for the
    # access layer (dashboard.view reaches calls by their service's subject).
    queryset = Call.objects.all()
    serializer_class = SignalsSerializer
    pagination_class = None
    filter_backends: list = []
    action_permissions = {"list": "dashboard.view"}

    def required_permission(self, request) -> str:
        return "dashboard.view"

    @extend_schema(
        parameters=_PARAMETERS,
        responses={
            200: SignalsSerializer,
            400: OpenApiResponse(description="A bad period or an unknown service."),
        },
    )
    def list(self, request, *args, **kwargs):
        services_seen = selectors.dashboard_services(
            organisation=self.organisation, member_access=self.access
        )
        form = SignalsFilterForm(request.query_params or None, services=services_seen)
        if form.is_bound and not form.is_valid():
            raise ValidationError(form.errors.get_json_data())
        start, end = form.period()
        figures = selectors.signals(
            organisation=self.organisation,
            member_access=self.access,
            start=start,
            end=end,
            service=form.chosen_service(),
        )
        return Response(self.get_serializer(figures).data)
