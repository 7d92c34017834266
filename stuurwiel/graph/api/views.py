from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from stuurwiel.graph import filtersets, selectors, services
from stuurwiel.graph.api import serializers
from stuurwiel.web.api import ORG_PARAMETER, OrganisationScopedViewSet, org_scoped_schema


class LargeListPagination(PageNumberPagination):
    """Page numbers as everywhere, with deep pages fetched ids-first."""

    django_paginator_class = selectors.DeferredJoinPaginator


class GraphViewSet(OrganisationScopedViewSet):
    """Base of the graph viewsets: the filters limit their subject and owner
    choices to the organisation, which they read from the request."""

    area = "graph"


@org_scoped_schema
class SubjectViewSet(GraphViewSet):
    """Subjects; ``frameworks`` are framework URNs. ``lens`` answers each applied
    framework's parts with the subject's elements."""

    queryset = selectors.subject_queryset()
    serializer_class = serializers.SubjectSerializer
    filterset_class = filtersets.SubjectFilterSet
    create_service = services.subject_create
    update_service = services.subject_update
    delete_service = services.subject_delete

    @extend_schema(
        operation_id="o_model_subjects_lens",
        description="For each framework applied to the subject: its parts in tree order, "
        "the first elements answering each, their count, and whether it is answered.",
        parameters=[ORG_PARAMETER],
        responses=serializers.LensSerializer(many=True),
        filters=False,
    )
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def lens(self, request, *args, **kwargs):
        lenses = selectors.subject_lens(subject=self.get_object())
        return Response(serializers.LensSerializer(lenses, many=True).data)


@org_scoped_schema
class ElementViewSet(GraphViewSet):
    """Elements; ``parts`` are the URNs of the framework parts they answer.
    Deleting an element deletes its relations (each logged)."""

    queryset = selectors.element_queryset()
    serializer_class = serializers.ElementSerializer
    pagination_class = LargeListPagination
    filterset_class = filtersets.ElementFilterSet
    create_service = services.element_create
    update_service = services.element_update
    delete_service = services.element_delete


@org_scoped_schema
class RelationViewSet(GraphViewSet):
    """Typed, directed relations between two elements of the organisation."""

    queryset = selectors.relation_queryset()
    serializer_class = serializers.RelationSerializer
    pagination_class = LargeListPagination
    filterset_class = filtersets.RelationFilterSet
    create_service = services.relation_create
    update_service = services.relation_update
    delete_service = services.relation_delete
