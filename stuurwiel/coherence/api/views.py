"""The coherence findings and scores as JSON, read-only, for whoever holds
``coherence.view``: ``GET /api/o/<org>/coherence/findings/`` (filters ``subject``,
``framework``, ``severity``, ``state``, ``outcome``; the project's page numbers) and
``GET /api/o/<org>/coherence/scores/`` (per subject × framework: score and trend
from the daily snapshots; ``since`` the last review, default 30 days ago)."""

from __future__ import annotations

from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from stuurwiel.coherence import display, selectors
from stuurwiel.coherence.api.serializers import CoherenceFindingSerializer, CoherenceScoreSerializer
from stuurwiel.coherence.filtersets import FindingFilterSet
from stuurwiel.coherence.models import Finding
from stuurwiel.web.api import ORG_PARAMETER, OrganisationAccessMixin


class FindingViewSet(OrganisationAccessMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Open (and, with ``state=resolved``, resolved) findings, most recent first."""

    queryset = Finding.objects.select_related(
        "rule", "rule__framework", "framework", "subject", "part"
    )
    serializer_class = CoherenceFindingSerializer
    filterset_class = FindingFilterSet

    def get_queryset(self):
        return super().get_queryset().order_by("-opened_at", "-pk")

    @extend_schema(parameters=[ORG_PARAMETER])
    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = list(page if page is not None else queryset)
        texts = {
            view.finding.pk: view.reasoning
            for view in display.findings_described(rows, org_slug=self.kwargs["org"])
        }
        serializer = self.get_serializer(
            rows, many=True, context={**self.get_serializer_context(), "texts": texts}
        )
        if page is not None:
            return self.get_paginated_response(serializer.data)
        return Response(serializer.data)


class ScoreViewSet(OrganisationAccessMixin, viewsets.GenericViewSet):
    """Coherence per subject × framework, lowest score first."""

    # The findings are what the scores count; the queryset names the model for the
    # access layer (coherence.view).
    queryset = Finding.objects.all()
    serializer_class = CoherenceScoreSerializer
    pagination_class = None
    filter_backends: list = []

    @extend_schema(
        parameters=[
            ORG_PARAMETER,
            OpenApiParameter(
                "since", OpenApiTypes.DATE, description="The last review (default: 30 days ago)."
            ),
        ],
        responses={
            200: CoherenceScoreSerializer(many=True),
            400: OpenApiResponse(description="A bad date."),
        },
    )
    def list(self, request, *args, **kwargs):
        raw = request.query_params.get("since", "")
        since = None
        if raw:
            try:
                since = parse_date(raw)
            except ValueError:
                since = None
            if since is None:
                raise ValidationError({"since": [_("Give a date as YYYY-MM-DD.")]})
        scores = selectors.scores(
            organisation=self.organisation, member_access=self.access, since=since
        )
        return Response(self.get_serializer(scores, many=True).data)
