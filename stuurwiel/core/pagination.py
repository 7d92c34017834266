"""Paging of list pages and API lists that stays flat as an organisation grows.

Every list is ordered by an index that leads with ``organisation`` and ends with
the tie-breaker ``id`` (e.g. ``(organisation, name, id)``), so PostgreSQL and
SQLite read a page from the index without sorting the organisation's rows. Two
costs would still grow with the organisation, and the paginator avoids both:

* **The rows before the page.** ``OFFSET 90000`` on a queryset with joins and
  annotations makes the database build 90,000 joined rows only to skip them.
  :class:`DeferredJoinPaginator` first reads the page's ids from the ordering
  index alone, then the rows, their joins, annotations and prefetches for those
  50 ids only.
* **The count.** Page numbers need the number of rows. It is counted on the
  filtered table alone (Django leaves out ``select_related`` joins, ordering and
  unused annotations), which an index-only scan answers in a few milliseconds
  even at 100,000 rows; no join, no grouping.
"""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from rest_framework.pagination import PageNumberPagination as DRFPageNumberPagination


class DeferredJoinPaginator(Paginator):
    """Pages a large ordered queryset in two steps: the page's ids first, then
    the rows with their joins and prefetches for those ids only. The result is
    the same objects in the same order as plain slicing; a plain list (no
    queryset) is sliced as usual."""

    def page(self, number) -> Page:
        page = super().page(number)
        queryset, sliced = self.object_list, page.object_list
        if not (isinstance(queryset, QuerySet) and isinstance(sliced, QuerySet)):
            return page
        ids = list(sliced.values_list("pk", flat=True))
        rows = {row.pk: row for row in queryset.filter(pk__in=ids).order_by()}
        page.object_list = [rows[pk] for pk in ids if pk in rows]
        return page


class PageNumberPagination(DRFPageNumberPagination):
    """The API's page numbers (``?page=N``), read like the list pages' ones."""

    django_paginator_class = DeferredJoinPaginator
