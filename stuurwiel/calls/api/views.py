"""The calls API: register a call, read the register, take transitions.

A transition the call's current step does not offer is 409 with the transitions
it does offer; one that is offered but blocked for the member (a role, or a
separation rule of the USM library) is 403 with the blocking rules and the other
transitions; a stale ``version`` is 409 with the current version. A call for a
service that is not live is 400 with the design gate's gaps.
"""

from __future__ import annotations

from dataclasses import asdict

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.pagination import CursorPagination
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response

from stuurwiel.calls import attachments, handback, selectors, services
from stuurwiel.calls.api import serializers
from stuurwiel.calls.filtersets import CallFilterSet
from stuurwiel.calls.monitoring import monitoring_event_receive
from stuurwiel.organisations import access
from stuurwiel.web.api import ORG_PARAMETER, OrganisationAccessMixin, org_scoped_schema


class CallCursorPagination(CursorPagination):
    """Newest first, by id: no count, so a page costs the same at a million calls."""

    ordering = "-id"
    page_size = 50


_ERRORS = {
    400: OpenApiResponse(description="Bad input, per field; a service that is not live."),
    403: OpenApiResponse(serializers.RefusalSerializer, description="Blocked by a role or rule."),
    409: OpenApiResponse(serializers.RefusalSerializer, description="Not offered, or stale."),
}


def _options(options) -> list[dict]:
    return [option.as_data() for option in options]


def refusal_response(exc) -> Response | None:
    """The JSON answer for a refused call write, or ``None`` if not one."""
    if isinstance(exc, services.TransitionNotOffered):
        return Response(
            {"detail": str(exc), "code": "not_offered", "transitions": _options(exc.options)},
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, services.TransitionBlocked):
        return Response(
            {
                "detail": str(exc),
                "code": "blocked",
                "blocked_by": [blocker.as_data() for blocker in exc.blockers],
                "transitions": _options(exc.options),
            },
            status=status.HTTP_403_FORBIDDEN,
        )
    if isinstance(exc, services.CallActionRefused):
        return Response({"detail": exc.message, "code": exc.code}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, services.ServiceNotLive):
        return Response(
            {
                "service": exc.message_dict["service"],
                "code": "service_not_live",
                "gaps": [asdict(gap) for gap in exc.gaps],
            },
            status=status.HTTP_400_BAD_REQUEST,
        )
    return None


@org_scoped_schema
class CallViewSet(
    OrganisationAccessMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """The one register of calls: wishes, requests for change, incidents,
    service requests and risks. Requesters see their own calls, suppliers the
    calls handed to their link, staff all calls of the services in their reach."""

    queryset = selectors.call_queryset()
    serializer_class = serializers.CallSerializer
    filterset_class = CallFilterSet
    pagination_class = CallCursorPagination

    #: What each write needs on the call; finer checks (the step, the link, the
    #: separation rules) are the services'. Taking a transition needs only sight of
    #: the call: the engine answers who may take which one, and why not.
    action_permissions = {
        "create": "calls.register",
        "monitoring_event": "calls.register",
        "transition": "calls.view",
        "assign": "calls.coordinate",
        "coordinate": "calls.coordinate",
        "hand_over": "calls.view",
        "hand_back": "calls.work",
        "escalate": "calls.view",
        "comment": "calls.view",
        "attachments": "calls.view",
        "relations": "calls.view",
    }

    def required_permission(self, request) -> str:
        if request.method in SAFE_METHODS:
            return "calls.view"
        return self.action_permissions.get(self.action, "calls.view")

    def check_object_permissions(self, request, obj) -> None:
        if request.method in SAFE_METHODS:
            return
        action_name = self.required_permission(request).split(".", 1)[1]
        if not access.permitted(self.access, action_name, obj):
            raise PermissionDenied(access.denial_message(self.access, action_name, obj))

    def get_queryset(self):
        calls = super().get_queryset()
        if self.organisation is not None and selectors.sees_as_supplier(self.access):
            calls = selectors.with_handover(calls)
        return calls

    def handle_exception(self, exc):
        return refusal_response(exc) or super().handle_exception(exc)

    def _input(self, serializer_class):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _answer(self, call, code=status.HTTP_200_OK) -> Response:
        # The services return the call as written (service and link loaded):
        # serialized as it is, not read again.
        return Response(self.get_serializer(call).data, status=code)

    @extend_schema(
        parameters=[ORG_PARAMETER],
        request=serializers.CallCreateSerializer,
        responses={201: serializers.CallSerializer, **_ERRORS},
    )
    def create(self, request, *args, **kwargs):
        data = self._input(serializers.CallCreateSerializer)
        call = services.call_register(organisation=self.organisation, by=request.user, **data)
        return self._answer(call, status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[ORG_PARAMETER],
        request=serializers.MonitoringEventSerializer,
        responses={
            201: serializers.CallSerializer,
            200: OpenApiResponse(serializers.CallSerializer, description="Grouped on a call."),
            **_ERRORS,
        },
        filters=False,
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="monitoring-events",
        filterset_class=None,
        pagination_class=None,
    )
    def monitoring_event(self, request, *args, **kwargs):
        """An event from monitoring: a failure becomes an incident, a perceived
        risk a risk; the same key for the same service within the grouping window
        joins the open call it raised (200) instead of a new one (201)."""
        data = self._input(serializers.MonitoringEventSerializer)
        call, new = monitoring_event_receive(
            organisation=self.organisation, by=request.user, **data
        )
        return self._answer(call, status.HTTP_201_CREATED if new else status.HTTP_200_OK)

    @extend_schema(
        parameters=[ORG_PARAMETER],
        responses=serializers.OptionSerializer(many=True),
        filters=False,
    )
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def transitions(self, request, *args, **kwargs):
        """Every transition of the call's current step, allowed for you or not
        (with the rule or role that blocks it)."""
        return Response(_options(services.call_options(call=self.get_object(), by=request.user)))

    @extend_schema(
        parameters=[ORG_PARAMETER],
        request=serializers.CallTransitionSerializer,
        responses={200: serializers.CallSerializer, **_ERRORS},
        filters=False,
    )
    @action(detail=True, methods=["post"], filterset_class=None, pagination_class=None)
    def transition(self, request, *args, **kwargs):
        """Complete the current step, fork (``target``: the process), confirm or reopen."""
        call = self.get_object()
        data = self._input(serializers.CallTransitionSerializer)
        call = services.call_transition(call=call, by=request.user, **data)
        return self._answer(call)

    @extend_schema(
        parameters=[ORG_PARAMETER],
        request=serializers.AssignSerializer,
        responses={200: serializers.CallSerializer, **_ERRORS},
        filters=False,
    )
    @action(detail=True, methods=["post"], filterset_class=None, pagination_class=None)
    def assign(self, request, *args, **kwargs):
        """Assign the current step to an operator of the link that holds the call."""
        call = self.get_object()
        data = self._input(serializers.AssignSerializer)
        call = services.call_assign(call=call, by=request.user, **data)
        return self._answer(call)

    @extend_schema(
        parameters=[ORG_PARAMETER],
        request=serializers.VersionSerializer,
        responses={200: serializers.CallSerializer, **_ERRORS},
        filters=False,
    )
    @action(detail=True, methods=["post"], filterset_class=None, pagination_class=None)
    def coordinate(self, request, *args, **kwargs):
        """Take the call as its workflow coordinator."""
        call = self.get_object()
        data = self._input(serializers.VersionSerializer)
        return self._answer(services.call_coordinate(call=call, by=request.user, **data))

    @extend_schema(
        parameters=[ORG_PARAMETER],
        request=serializers.HandOverSerializer,
        responses={200: serializers.CallSerializer, **_ERRORS},
        filters=False,
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="hand-over",
        filterset_class=None,
        pagination_class=None,
    )
    def hand_over(self, request, *args, **kwargs):
        """Hand the call to another link of the chain, with the reason."""
        call = self.get_object()
        data = self._input(serializers.HandOverSerializer)
        return self._answer(services.call_hand_over(call=call, by=request.user, **data))

    @extend_schema(
        parameters=[ORG_PARAMETER],
        request=serializers.HandBackSerializer,
        responses={200: serializers.CallSerializer, **_ERRORS},
        filters=False,
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="hand-back",
        filterset_class=None,
        pagination_class=None,
    )
    def hand_back(self, request, *args, **kwargs):
        """The supplier that holds the call hands it back to the link it came
        from, with the outcome (resolved, not resolved, more information needed)."""
        call = self.get_object()
        data = self._input(serializers.HandBackSerializer)
        return self._answer(handback.call_hand_back(call=call, by=request.user, **data))

    @extend_schema(
        parameters=[ORG_PARAMETER],
        request=serializers.ReasonSerializer,
        responses={200: serializers.CallSerializer, **_ERRORS},
        filters=False,
    )
    @action(detail=True, methods=["post"], filterset_class=None, pagination_class=None)
    def escalate(self, request, *args, **kwargs):
        """Escalate to the call's coordinators; the reason is required."""
        call = self.get_object()
        data = self._input(serializers.ReasonSerializer)
        return self._answer(services.call_escalate(call=call, by=request.user, **data))

    @extend_schema(
        parameters=[ORG_PARAMETER],
        request=serializers.CommentSerializer,
        responses={201: serializers.CallEventSerializer, **_ERRORS},
        filters=False,
    )
    @action(detail=True, methods=["post"], filterset_class=None, pagination_class=None)
    def comment(self, request, *args, **kwargs):
        """A comment: internal, or public (the requester sees it)."""
        call = self.get_object()
        data = self._input(serializers.CommentSerializer)
        event = services.call_comment(call=call, by=request.user, **data)
        return Response(serializers.CallEventSerializer(event).data, status=201)

    @extend_schema(
        parameters=[ORG_PARAMETER],
        responses=serializers.CallEventSerializer(many=True),
        filters=False,
    )
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def events(self, request, *args, **kwargs):
        """The call's history that you may read (requesters: the public part)."""
        events = selectors.visible_events(self.get_object(), self.access)
        return Response(serializers.CallEventSerializer(events, many=True).data)

    @extend_schema(
        parameters=[ORG_PARAMETER],
        request={"multipart/form-data": serializers.AttachmentUploadSerializer},
        responses={
            200: serializers.CallAttachmentSerializer(many=True),
            201: serializers.CallAttachmentSerializer,
            **_ERRORS,
        },
        filters=False,
    )
    @action(
        detail=True,
        methods=["get", "post"],
        filterset_class=None,
        pagination_class=None,
        parser_classes=[MultiPartParser, FormParser],
    )
    def attachments(self, request, *args, **kwargs):
        """The files on the call you may see; POST (multipart) adds one. Size and
        type are checked against the file's content, not the declared type."""
        call = self.get_object()
        if request.method == "POST":
            data = self._input(serializers.AttachmentUploadSerializer)
            added = attachments.attachment_add(
                call=call, by=request.user, upload=data["file"], public=data["public"]
            )
            return Response(
                serializers.CallAttachmentSerializer(added, context={"request": request}).data,
                status=201,
            )
        rows = attachments.attachments_visible(call, self.access).select_related(
            "call__organisation"
        )
        return Response(
            serializers.CallAttachmentSerializer(rows, many=True, context={"request": request}).data
        )

    @extend_schema(
        parameters=[ORG_PARAMETER],
        responses={(200, "application/octet-stream"): bytes},
        filters=False,
    )
    @action(
        detail=True,
        methods=["get"],
        filterset_class=None,
        pagination_class=None,
        url_path=r"attachments/(?P<token>[0-9a-zA-Z]+)",
        url_name="attachment-download",
    )
    def attachment_download(self, request, *args, **kwargs):
        """One file, always as a download (never shown inline)."""
        call = self.get_object()
        attachment = (
            attachments.attachments_visible(call, self.access).filter(token=kwargs["token"]).first()
        )
        if attachment is None:
            raise Http404
        return attachments.attachment_response(attachment)

    @extend_schema(
        parameters=[ORG_PARAMETER],
        request=serializers.RelationCreateSerializer,
        responses={
            200: serializers.CallRelationSerializer(many=True),
            201: serializers.CallRelationSerializer(many=True),
            **_ERRORS,
        },
        filters=False,
    )
    @action(detail=True, methods=["get", "post"], filterset_class=None, pagination_class=None)
    def relations(self, request, *args, **kwargs):
        """The calls linked to this one (that you may see); POST links another
        call by its number. The answer lists them all, from this call's side."""
        call = self.get_object()
        created = request.method == "POST"
        if created:
            data = self._input(serializers.RelationCreateSerializer)
            attachments.relation_add(call=call, by=request.user, **data)
        rows = [
            {
                "relation": label,
                "call": other.pk,
                "number": other.number,
                "title": other.title,
                "status": other.status,
            }
            for label, other in attachments.relations_of(call, self.access)
        ]
        return Response(
            serializers.CallRelationSerializer(rows, many=True).data, status=201 if created else 200
        )


__all__ = ["CallViewSet", "refusal_response"]
