import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

#: The largest id a database stores (a signed 64-bit integer).
MAX_ID = 2**63 - 1


class IdFilter(django_filters.NumberFilter):
    """An object id: a whole number the database can hold. A larger one used to
    reach SQLite as a query parameter and fail there (500); now the filter form
    refuses it, and the list answers 400 with the reason like any invalid filter."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class SearchFilterSet(django_filters.FilterSet):
    """Base: a free-text ``q`` over ``search_fields``; shared by list pages and the API."""

    search_fields: tuple[str, ...] = ("name",)

    q = django_filters.CharFilter(method="search", label=_("Search"))

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        condition = Q()
        for field in self.search_fields:
            condition |= Q(**{f"{field}__icontains": value})
        return queryset.filter(condition)
