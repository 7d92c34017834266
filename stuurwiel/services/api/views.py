"""The service design over the API: services and the parts of their design, the
status moves and approvals (refused with the gate's gaps, the separation rule's
message or a version conflict), the gate checklist, and the design as JSON
(export per service, import per organisation)."""

from __future__ import annotations

from dataclasses import asdict

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from stuurwiel.core.parsers import SafeJSONParser
from stuurwiel.services import exchange, filtersets, gate, selectors, services
from stuurwiel.services.api import serializers
from stuurwiel.web.api import (
    ORG_PARAMETER,
    OrganisationAccessMixin,
    OrganisationScopedViewSet,
    org_scoped_schema,
)

_ERRORS = {
    403: OpenApiResponse(serializers.DetailSerializer, description="Your roles do not allow it."),
    409: OpenApiResponse(
        serializers.DetailSerializer, description="Someone else changed the service meanwhile."
    ),
}

NOT_CARRIED = (
    "Not carried by an import: the service's status (it starts as a draft), its approvals "
    "(a person's decision in the source organisation), whether agreement versions were in "
    "force (they arrive as drafts) and persons' e-mail addresses."
)


def refusal_response(refusal: exchange.ImportRefused) -> Response:
    count = len(refusal.problems)
    detail = ngettext(
        "The file was not imported: {count} problem.",
        "The file was not imported: {count} problems.",
        count,
    ).format(count=count)
    problems = [{"path": p.path, "message": p.message} for p in refusal.problems]
    return Response({"detail": detail, "problems": problems}, status=status.HTTP_400_BAD_REQUEST)


@org_scoped_schema
class ServiceViewSet(OrganisationScopedViewSet):
    """Services. The status moves only through ``transition`` (going live through
    the design gate) and ``approve`` (by someone who did not specify the design)."""

    area = "services"
    queryset = selectors.service_queryset().prefetch_related("customers")
    serializer_class = serializers.ServiceSerializer
    filterset_class = filtersets.ServiceFilterSet
    create_service = services.service_create
    update_service = services.service_update
    delete_service = services.service_delete
    #: Actions that need another permission than "change" for a write.
    action_permissions = {"approve": "services.approve"}

    def required_permission(self, request) -> str:
        return self.action_permissions.get(self.action) or super().required_permission(request)

    def _fresh(self, pk):
        """The service as the list shows it (with its counts), after a write."""
        return self.get_queryset().get(pk=pk)

    def perform_create(self, serializer):
        super().perform_create(serializer)
        serializer.instance = self._fresh(serializer.instance.pk)

    def perform_update(self, serializer):
        super().perform_update(serializer)
        serializer.instance = self._fresh(serializer.instance.pk)

    def _input(self, serializer_class) -> dict:
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @extend_schema(
        operation_id="o_services_services_transition",
        description="Move the service to another status. Going live passes the design gate: "
        "refused (400) with every gap, each with a stable code and a translated message.",
        parameters=[ORG_PARAMETER],
        request=serializers.TransitionSerializer,
        responses={
            200: serializers.ServiceSerializer,
            400: OpenApiResponse(
                serializers.GateRefusalSerializer, description="Refused: the gate's gaps."
            ),
            **_ERRORS,
        },
        filters=False,
    )
    @action(detail=True, methods=["post"], filterset_class=None, pagination_class=None)
    def transition(self, request, *args, **kwargs):
        service = self.get_object()
        data = self._input(serializers.TransitionSerializer)
        try:
            services.service_transition(
                service=service,
                to=data["to"],
                by=request.user,
                version=data["version"],
                reason=data.get("reason", ""),
            )
        except services.GateRefused as refusal:
            return Response(
                {
                    "status": refusal.message_dict["status"],
                    "gaps": [asdict(gap) for gap in refusal.gaps],
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response(self.get_serializer(self._fresh(service.pk)).data)

    @extend_schema(
        operation_id="o_services_services_approve",
        description="Approve or reject the design of a service in design (needs "
        "services.approve). Refused (403) for whoever specified the design, with the USM "
        "library's separation rule as the message; an approval makes the service designed.",
        parameters=[ORG_PARAMETER],
        request=serializers.ApproveSerializer,
        responses={201: serializers.DesignApprovalSerializer, **_ERRORS},
        filters=False,
    )
    @action(detail=True, methods=["post"], filterset_class=None, pagination_class=None)
    def approve(self, request, *args, **kwargs):
        service = self.get_object()
        data = self._input(serializers.ApproveSerializer)
        approval = services.service_approve(
            service=service,
            by=request.user,
            decision=data["decision"],
            version=data["version"],
            comment=data.get("comment", ""),
        )
        return Response(
            serializers.DesignApprovalSerializer(approval).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        operation_id="o_services_services_gate",
        description="The design gate's checklist: each condition, met or with its gaps.",
        parameters=[ORG_PARAMETER],
        responses=serializers.GateSerializer,
        filters=False,
    )
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def gate(self, request, *args, **kwargs):
        conditions = gate.gate_conditions(self.get_object())
        return Response(
            {
                "open": all(condition.met for condition in conditions),
                "conditions": [
                    {
                        "code": condition.code,
                        "label": str(condition.label),
                        "met": condition.met,
                        "gaps": [asdict(gap) for gap in condition.gaps],
                    }
                    for condition in conditions
                ],
            }
        )

    @extend_schema(
        operation_id="o_services_services_export",
        description="The whole design as JSON (names, never ids), as far as you may see it. "
        + NOT_CARRIED,
        parameters=[ORG_PARAMETER],
        responses={200: OpenApiTypes.OBJECT},
        filters=False,
    )
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def export(self, request, *args, **kwargs):
        return Response(exchange.service_export(self.get_object(), access=self.access))

    @extend_schema(
        operation_id="o_services_services_import",
        description="Import a design exported as JSON (the body, or a multipart `file`) as a "
        "new draft service. Everything is checked first; with any problem nothing is written "
        "and every problem is listed with its JSON pointer. What the design names but the "
        "organisation lacks is created from the file's references. " + NOT_CARRIED,
        parameters=[ORG_PARAMETER],
        request={
            "application/json": OpenApiTypes.OBJECT,
            "multipart/form-data": serializers.DesignImportUploadSerializer,
        },
        responses={
            201: serializers.DesignImportResultSerializer,
            400: OpenApiResponse(
                serializers.DesignImportRefusalSerializer, description="Not imported."
            ),
            403: _ERRORS[403],
        },
        filters=False,
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        url_name="import",
        parser_classes=[SafeJSONParser, MultiPartParser],
        filterset_class=None,
        pagination_class=None,
    )
    def import_design(self, request, *args, **kwargs):
        try:
            data = self._design_data(request)
            result = exchange.service_import(
                organisation=self.organisation, by=request.user, data=data
            )
        except exchange.ImportRefused as refusal:
            return refusal_response(refusal)
        return Response(
            serializers.DesignImportResultSerializer(result).data, status=status.HTTP_201_CREATED
        )

    def _design_data(self, request):
        if not request.content_type.startswith("multipart/"):
            return request.data
        upload = request.FILES.get("file")
        if upload is None:
            raise exchange.ImportRefused(
                [exchange.Problem("", _("Attach the design file (field “file”)."))]
            )
        return exchange.design_load(upload.read(settings.STUURWIEL_API_MAX_BODY + 1))


@org_scoped_schema
class CanvasItemViewSet(OrganisationScopedViewSet):
    """Entries of a service's Service Model Canvas; ``section`` and the keys of
    ``values`` are USM library references."""

    area = "services"
    queryset = selectors.canvas_item_queryset()
    serializer_class = serializers.CanvasItemSerializer
    filterset_class = filtersets.CanvasItemFilterSet
    create_service = services.canvas_item_create
    update_service = services.canvas_item_update
    delete_service = services.canvas_item_delete


@org_scoped_schema
class LinkViewSet(OrganisationScopedViewSet):
    """The links of a service's chain: a team or a supplier each."""

    area = "services"
    queryset = selectors.link_queryset()
    serializer_class = serializers.LinkSerializer
    filterset_class = filtersets.LinkFilterSet
    create_service = services.link_create
    update_service = services.link_update
    delete_service = services.link_delete


@org_scoped_schema
class InterfaceViewSet(OrganisationScopedViewSet):
    """Hand-overs between the customer and links, or between two links."""

    area = "services"
    queryset = selectors.interface_queryset()
    serializer_class = serializers.InterfaceSerializer
    filterset_class = filtersets.InterfaceFilterSet
    create_service = services.interface_create
    update_service = services.interface_update
    delete_service = services.interface_delete


@org_scoped_schema
class InfrastructureComponentViewSet(OrganisationScopedViewSet):
    """The managed infrastructure of a service (under change control)."""

    area = "services"
    queryset = selectors.component_queryset()
    serializer_class = serializers.InfrastructureComponentSerializer
    filterset_class = filtersets.InfrastructureComponentFilterSet
    create_service = services.component_create
    update_service = services.component_update
    delete_service = services.component_delete


@org_scoped_schema
class DesignApprovalViewSet(OrganisationAccessMixin, viewsets.ReadOnlyModelViewSet):
    """Recorded decisions on designs (read only: they are made with ``approve``);
    filter by ``service`` for one service's."""

    queryset = selectors.approval_queryset()
    serializer_class = serializers.DesignApprovalSerializer
    filterset_class = filtersets.DesignApprovalFilterSet
