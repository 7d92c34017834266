import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from stuurwiel.calendars.choices import ClosedDayKind, Weekday
from stuurwiel.calendars.models import BusinessCalendar, ClosedDay, ServiceWindow
from stuurwiel.core.filtersets import IdFilter, SearchFilterSet


class BusinessCalendarFilterSet(SearchFilterSet):
    search_fields = ("name", "description", "time_zone")

    class Meta:
        model = BusinessCalendar
        fields = ["q"]


class ServiceWindowFilterSet(SearchFilterSet):
    search_fields = ("calendar__name",)
    calendar = IdFilter(field_name="calendar_id", label=_("Calendar"))
    weekday = django_filters.ChoiceFilter(choices=Weekday.choices, label=_("Weekday"))

    class Meta:
        model = ServiceWindow
        fields = ["q", "calendar", "weekday"]


class ClosedDayFilterSet(SearchFilterSet):
    search_fields = ("name", "calendar__name")
    calendar = IdFilter(field_name="calendar_id", label=_("Calendar"))
    kind = django_filters.ChoiceFilter(choices=ClosedDayKind.choices, label=_("Kind"))
    active = django_filters.BooleanFilter(
        label=_("Closed"),
        widget=forms.Select(choices=[("", "—"), ("true", _("yes")), ("false", _("no"))]),
    )
    year = django_filters.NumberFilter(
        field_name="date__year", label=_("Year"), min_value=1, max_value=9999
    )

    class Meta:
        model = ClosedDay
        fields = ["q", "calendar", "kind", "active", "year"]
