"""The agreements API: agreements, their versions (norms nested; new version and
putting in force as actions), the priority matrix cells and a service's findings.

Conflicts — a version put in force or a draft made by someone else in between, a
stale ``version`` — are 409 with ``detail``; bad input is 400 per field.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from stuurwiel.agreements import filtersets, selectors, services
from stuurwiel.agreements.api import serializers
from stuurwiel.agreements.consistency import agreement_findings
from stuurwiel.core.text import whole_number
from stuurwiel.organisations import access
from stuurwiel.services.models import Service
from stuurwiel.web.api import (
    ORG_PARAMETER,
    OrganisationAccessMixin,
    OrganisationScopedViewSet,
    org_scoped_schema,
)

SERVICE_PARAMETER = OpenApiParameter(
    "service", OpenApiTypes.INT, OpenApiParameter.QUERY, required=True, description="Service id"
)


@org_scoped_schema
@extend_schema_view(
    findings=extend_schema(
        parameters=[ORG_PARAMETER, SERVICE_PARAMETER],
        responses=serializers.FindingSerializer(many=True),
        filters=False,
    )
)
class AgreementViewSet(OrganisationScopedViewSet):
    """Agreements: an SA per service, an OLA or UC per chain link. Creating one
    makes its version 1 (a draft). An agreement that has been in force is not
    deleted (409)."""

    area = "agreements"
    queryset = selectors.agreement_queryset()
    serializer_class = serializers.AgreementSerializer
    filterset_class = filtersets.AgreementFilterSet
    create_service = services.agreement_create
    update_service = services.agreement_update
    delete_service = services.agreement_delete

    @action(detail=False, methods=["get"], pagination_class=None, filterset_class=None)
    def findings(self, request, *args, **kwargs):
        """The design findings of a service's agreements (``?service=<id>``):
        what is missing and which norms do not fit. For staff who read every
        agreement of the organisation."""
        service_id = whole_number(request.query_params.get("service", ""))
        if service_id is None:
            raise ValidationError({"service": [_("Give the service's id.")]})
        service = Service.objects.filter(organisation=self.organisation, pk=service_id).first()
        if service is None or not access.permitted(self.access, "view", service):
            raise ValidationError({"service": [_("There is no such service you may see.")]})
        if not self.access.holds_everywhere("agreements.view"):
            # The findings compare every party's agreement; a supplier sees its own only.
            return Response([])
        found = agreement_findings(service)
        return Response(serializers.FindingSerializer(found, many=True).data)


@org_scoped_schema
@extend_schema_view(
    activate=extend_schema(
        parameters=[ORG_PARAMETER],
        request=serializers.VersionActionSerializer,
        responses={200: serializers.AgreementVersionSerializer},
    ),
    new_version=extend_schema(
        parameters=[ORG_PARAMETER],
        request=serializers.NewVersionSerializer,
        responses={201: serializers.AgreementVersionSerializer},
    ),
)
class AgreementVersionViewSet(
    OrganisationAccessMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Versions of agreements with their norms. Only a draft is changed (400
    otherwise); ``new-version`` copies a version into a new draft, ``activate``
    puts a draft in force and supersedes the version before it."""

    area = "agreements"
    queryset = selectors.version_queryset().order_by("agreement_id", "-number")
    serializer_class = serializers.AgreementVersionSerializer
    filterset_class = filtersets.AgreementVersionFilterSet
    update_service = services.version_update

    perform_update = OrganisationScopedViewSet.perform_update
    _reason = OrganisationScopedViewSet._reason

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        response["ETag"] = f'"{response.data.get("version")}"'
        return response

    def _output(self, version, status_code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=version.pk)
        response = Response(self.get_serializer(fresh).data, status=status_code)
        response["ETag"] = f'"{fresh.version}"'
        return response

    def _input(self, serializer_class):
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @action(detail=True, methods=["post"])
    def activate(self, request, *args, **kwargs):
        """Put this draft in force from today (409 if it is not a draft any more
        or ``version`` is stale; 400 if a priority has no norm)."""
        version = self.get_object()
        data = self._input(serializers.VersionActionSerializer)
        activated = services.version_activate(
            instance=version, by=request.user, version=data.get("version"), reason=data["reason"]
        )
        return self._output(activated)

    @action(detail=True, methods=["post"], url_path="new-version")
    def new_version(self, request, *args, **kwargs):
        """A new draft copied from this version (409 while the agreement has a draft)."""
        version = self.get_object()
        data = self._input(serializers.NewVersionSerializer)
        draft = services.version_new(
            agreement=version.agreement, by=request.user, source=version, reason=data["reason"]
        )
        return self._output(draft, status.HTTP_201_CREATED)


@org_scoped_schema
@extend_schema_view(
    reset=extend_schema(
        parameters=[ORG_PARAMETER],
        request=serializers.MatrixResetSerializer,
        responses={200: serializers.PriorityCellSerializer(many=True)},
    )
)
class PriorityCellViewSet(
    OrganisationAccessMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The organisation's priority matrices, cell by cell (empty until edited or
    reset: then the USM library's default applies). ``reset`` stores the default."""

    area = "agreements"
    queryset = selectors.priority_cell_queryset()
    serializer_class = serializers.PriorityCellSerializer
    filterset_class = filtersets.PriorityCellFilterSet
    update_service = services.priority_cell_update

    perform_update = OrganisationScopedViewSet.perform_update
    _reason = OrganisationScopedViewSet._reason

    @action(detail=False, methods=["post"], pagination_class=None, filterset_class=None)
    def reset(self, request, *args, **kwargs):
        serializer = serializers.MatrixResetSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        cells = services.priority_matrix_reset(
            organisation=self.organisation,
            by=request.user,
            matrix=serializer.validated_data.get("matrix"),
            reason=serializer.validated_data["reason"],
        )
        return Response(serializers.PriorityCellSerializer(cells, many=True).data)
