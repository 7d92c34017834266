from django.utils.translation import gettext as _
from rest_framework import viewsets
from rest_framework.exceptions import PermissionDenied

from stuurwiel.changelog.api.pagination import ChangeLogCursorPagination
from stuurwiel.changelog.api.serializers import ChangeLogEntrySerializer
from stuurwiel.changelog.filtersets import ChangeLogEntryFilterSet
from stuurwiel.changelog.models import ChangeLogEntry
from stuurwiel.core.api import org_scoped_schema
from stuurwiel.organisations.selectors import membership_get, membership_permissions


@org_scoped_schema
class ChangeLogEntryViewSet(viewsets.ReadOnlyModelViewSet):
    """The organisation's change feed (read-only: the log cannot be edited)."""

    queryset = ChangeLogEntry.objects.select_related("content_type", "parent_content_type")
    serializer_class = ChangeLogEntrySerializer
    filterset_class = ChangeLogEntryFilterSet
    pagination_class = ChangeLogCursorPagination

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.membership = membership_get(user=request.user, org_slug=kwargs["org"])
        self.organisation = request.organisation = self.membership.organisation
        if "changelog.view" not in membership_permissions(self.membership):
            raise PermissionDenied(_("Your roles do not allow this."))

    def get_queryset(self):
        organisation = getattr(self, "organisation", None)
        if organisation is None:
            return self.queryset.none()
        return self.queryset.filter(organisation=organisation).order_by("-timestamp", "-id")
