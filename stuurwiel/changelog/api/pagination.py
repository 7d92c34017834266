from collections import OrderedDict

from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from stuurwiel.changelog.selectors import PAGE_SIZE, keyset_page


class ChangeLogCursorPagination(BasePagination):
    """Keyset pages of the feed: ``next`` continues after the last entry returned,
    ``previous`` goes back to the newest; no count (the log has millions of rows)."""

    cursor_query_param = "cursor"

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.page = keyset_page(
            queryset.order_by("-timestamp", "-id"),
            cursor=request.query_params.get(self.cursor_query_param),
            size=PAGE_SIZE,
        )
        return self.page.object_list

    def get_paginated_response(self, data):
        url = self.request.build_absolute_uri()
        next_url = (
            replace_query_param(url, self.cursor_query_param, self.page.next_cursor)
            if self.page.next_cursor
            else None
        )
        first_url = None if self.page.is_first else remove_query_param(url, self.cursor_query_param)
        return Response(
            OrderedDict([("next", next_url), ("previous", first_url), ("results", data)])
        )

    def get_paginated_response_schema(self, schema):
        link = {"type": "string", "nullable": True, "format": "uri"}
        return {
            "type": "object",
            "required": ["results"],
            "properties": {"next": link, "previous": link, "results": schema},
        }
