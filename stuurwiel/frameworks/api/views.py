"""Read-only API over the libraries: installation-wide, so any signed-in user may
read them (no organisation in the URL)."""

from rest_framework import viewsets

from stuurwiel.frameworks import filtersets, selectors
from stuurwiel.frameworks.api import serializers


class FrameworkViewSet(viewsets.ReadOnlyModelViewSet):
    """Frameworks with their parts (flat, in tree order), link types and rules."""

    queryset = selectors.framework_detail_queryset()
    serializer_class = serializers.FrameworkSerializer
    lookup_field = "ref_id"
    lookup_value_regex = "[a-z0-9_-]+"


class FrameworkPartViewSet(viewsets.ReadOnlyModelViewSet):
    """Parts of all frameworks, searchable by framework, kind and words (``q``)."""

    queryset = selectors.framework_part_list().prefetch_related("questions")
    serializer_class = serializers.FrameworkPartSearchSerializer
    filterset_class = filtersets.FrameworkPartFilterSet
    lookup_field = "urn"
    lookup_value_regex = "[^/]+"
