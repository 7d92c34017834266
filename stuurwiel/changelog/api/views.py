from rest_framework import viewsets

from stuurwiel.changelog.api.serializers import ChangeLogEntrySerializer
from stuurwiel.changelog.filtersets import ChangeLogEntryFilterSet
from stuurwiel.changelog.models import ChangeLogEntry
from stuurwiel.core.api import OrganisationAccessMixin, org_scoped_schema


@org_scoped_schema
class ChangeLogEntryViewSet(OrganisationAccessMixin, viewsets.ReadOnlyModelViewSet):
    """The organisation's change feed (read-only: the log cannot be edited)."""

    queryset = ChangeLogEntry.objects.select_related("content_type")
    serializer_class = ChangeLogEntrySerializer
    filterset_class = ChangeLogEntryFilterSet
