import datetime

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.fields import ModelChoiceField

from stuurwiel.changelog.choices import ChangeAction, ChangeSource
from stuurwiel.changelog.models import ChangeLogEntry
from stuurwiel.changelog.selectors import object_type_choices


def _actors(request):
    organisation = getattr(request, "organisation", None)
    users = get_user_model().objects.all()
    if organisation is None:
        return users.none()
    # Named as the organisation knows them (their member name), never by username.
    return (
        users.filter(memberships__organisation=organisation)
        .annotate(member_name=F("memberships__name"))
        .order_by("member_name", "pk")
    )


class _ActorField(ModelChoiceField):
    def label_from_instance(self, obj):
        return getattr(obj, "member_name", "") or obj.get_full_name()


class _ActorChoiceFilter(django_filters.ModelChoiceFilter):
    """People by their names, not their usernames."""

    field_class = _ActorField


def _start_of_day(day: datetime.date, organisation) -> datetime.datetime:
    """Midnight of ``day`` in the organisation's time zone (the installation's
    zone until organisations carry their own)."""
    zone = getattr(organisation, "time_zone", None) or timezone.get_current_timezone()
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)


class ChangeLogEntryFilterSet(django_filters.FilterSet):
    """The feed's filters, shared by the page, the CSV export and the API. Dates
    become plain ranges on ``timestamp`` (from midnight, before the next midnight)
    that the feed's indexes serve; a date cast per row would read the whole log."""

    actor = _ActorChoiceFilter(queryset=_actors, label=_("Who"))
    content_type = django_filters.ChoiceFilter(choices=object_type_choices, label=_("Object type"))
    action = django_filters.ChoiceFilter(choices=ChangeAction.choices, label=_("Action"))
    source = django_filters.ChoiceFilter(choices=ChangeSource.choices, label=_("Source"))
    since = django_filters.DateFilter(method="filter_since", label=_("From date"))
    until = django_filters.DateFilter(method="filter_until", label=_("Until date"))
    correlation = django_filters.UUIDFilter(
        field_name="correlation_id", label=_("Request, command or job")
    )
    q = django_filters.CharFilter(
        field_name="object_repr", lookup_expr="icontains", label=_("Object")
    )

    class Meta:
        model = ChangeLogEntry
        fields = ["actor", "content_type", "action", "source", "since", "until", "q"]

    def _organisation(self):
        return getattr(self.request, "organisation", None)

    def filter_since(self, queryset, name, value):
        return queryset.filter(timestamp__gte=_start_of_day(value, self._organisation()))

    def filter_until(self, queryset, name, value):
        if value >= datetime.date.max:
            return queryset
        next_day = value + datetime.timedelta(days=1)
        return queryset.filter(timestamp__lt=_start_of_day(next_day, self._organisation()))
