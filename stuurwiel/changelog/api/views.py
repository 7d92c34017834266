from rest_framework import viewsets

from stuurwiel.changelog.api.pagination import ChangeLogCursorPagination
from stuurwiel.changelog.api.serializers import ChangeLogEntrySerializer
from stuurwiel.changelog.filtersets import ChangeLogEntryFilterSet
from stuurwiel.changelog.models import ChangeLogEntry
from stuurwiel.web.api import OrganisationAccessMixin, org_scoped_schema


@org_scoped_schema
class ChangeLogEntryViewSet(OrganisationAccessMixin, viewsets.ReadOnlyModelViewSet):
    """The organisation's change feed (read-only: the log cannot be edited)."""

    queryset = ChangeLogEntry.objects.select_related("content_type", "parent_content_type")
    serializer_class = ChangeLogEntrySerializer
    filterset_class = ChangeLogEntryFilterSet
    pagination_class = ChangeLogCursorPagination

    def get_queryset(self):
        return super().get_queryset().order_by("-timestamp", "-id")
