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

The call register grows without bound (a million calls and more): its lists page
by keyset instead (:class:`KeysetPaginator`): the position travels in the query
string, and the count stops at a cap.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.http import QueryDict
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


# --- Keyset paging: for lists that grow without bound (the call register) ----------------

#: The count a keyset page reads at most: beyond it the page says "more than".
KEYSET_COUNT_CAP = 1000

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def keyset_token(obj, field: str = "registered_at") -> str:
    """The position of ``obj`` in a list ordered newest first by ``field`` (a
    date-time) and id: its time in microseconds since 1970 and its id."""
    moment = getattr(obj, field)
    return f"{(moment - _EPOCH) // timedelta(microseconds=1)}_{obj.pk}"


def _position(token: str | None) -> tuple[datetime, int] | None:
    """The (time, id) of a token; ``None`` for a missing or malformed one (the
    list then starts at its top, as for a stale bookmark)."""
    micros, _, pk = (token or "").partition("_")
    if not (micros.lstrip("-").isdigit() and pk.isdigit()):
        return None
    try:
        return _EPOCH + timedelta(microseconds=int(micros)), int(pk)
    except OverflowError:
        return None


@dataclass
class KeysetPage:
    """One page of a keyset-paged list: its rows, whether there are more before
    or after it, the query strings of those pages, and the rows counted up to the
    cap (``count_capped`` when there are more)."""

    object_list: list
    has_previous: bool
    has_next: bool
    previous_query: str
    next_query: str
    count: int
    count_capped: bool

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)


class KeysetPaginator:
    """Pages a queryset newest first by ``field`` (a date-time) and id, with the
    position in the query string (``?after=`` the last row's token for the next
    page, ``?before=`` the first row's for the previous one), so a page deep in
    the list reads only its own rows from the ordering index: no ``OFFSET`` that
    builds and skips every row before it. It counts no more than
    :data:`KEYSET_COUNT_CAP` rows: a count of a million rows is a scan of a
    million index entries on every request, for a figure nobody pages through."""

    def __init__(self, queryset: QuerySet, per_page: int, field: str = "registered_at"):
        self.queryset = queryset
        self.per_page = per_page
        self.field = field

    def _after(self, moment: datetime, pk: int) -> QuerySet:
        # The leading "<=" bounds the index range; the "or" picks the rows past
        # the position within it (a row value comparison is not in Django's ORM).
        f = self.field
        return self.queryset.filter(
            Q(**{f"{f}__lt": moment}) | Q(**{f: moment, "pk__lt": pk}), **{f"{f}__lte": moment}
        ).order_by(f"-{f}", "-pk")

    def _before(self, moment: datetime, pk: int) -> QuerySet:
        f = self.field
        return self.queryset.filter(
            Q(**{f"{f}__gt": moment}) | Q(**{f: moment, "pk__gt": pk}), **{f"{f}__gte": moment}
        ).order_by(f, "pk")

    @staticmethod
    def _ids(ordered: QuerySet, limit: int) -> list:
        return list(ordered.values_list("pk", flat=True)[:limit])

    def page(self, query: QueryDict) -> KeysetPage:
        """The page the query string names (``after``/``before``), else the first."""
        size, f = self.per_page, self.field
        after, before = _position(query.get("after")), _position(query.get("before"))
        if after is not None:
            ids = self._ids(self._after(*after), size + 1)
            has_previous, has_next = True, len(ids) > size
            ids = ids[:size]
        elif before is not None:
            ids = self._ids(self._before(*before), size + 1)
            has_previous, has_next = len(ids) > size, True
            ids = ids[:size][::-1]
        else:
            ids = self._ids(self.queryset.order_by(f"-{f}", "-pk"), size + 1)
            has_previous, has_next = False, len(ids) > size
            ids = ids[:size]
        # The page's ids first (ordered from the index alone, whatever the rows
        # the order has to pass), then only those rows with their joins.
        found = {row.pk: row for row in self.queryset.filter(pk__in=ids).order_by()}
        rows = [found[pk] for pk in ids if pk in found]
        counted = self.queryset.order_by().values("pk")[: KEYSET_COUNT_CAP + 1].count()
        return KeysetPage(
            object_list=rows,
            has_previous=has_previous and bool(rows),
            has_next=has_next and bool(rows),
            previous_query=self._query(query, "before", rows[0]) if rows else "",
            next_query=self._query(query, "after", rows[-1]) if rows else "",
            count=min(counted, KEYSET_COUNT_CAP),
            count_capped=counted > KEYSET_COUNT_CAP,
        )

    def _query(self, query: QueryDict, direction: str, row) -> str:
        changed = query.copy()
        for name in ("after", "before", "page"):
            changed.pop(name, None)
        changed[direction] = keyset_token(row, self.field)
        return changed.urlencode()
