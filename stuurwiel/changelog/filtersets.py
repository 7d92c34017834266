import django_filters
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from stuurwiel.changelog.choices import ChangeAction, ChangeSource
from stuurwiel.changelog.models import ChangeLogEntry


def _actors(request):
    organisation = getattr(request, "organisation", None)
    users = get_user_model().objects.all()
    if organisation is None:
        return users.none()
    return users.filter(memberships__organisation=organisation).order_by("username")


def _object_types(request):
    organisation = getattr(request, "organisation", None)
    if organisation is None:
        return ContentType.objects.none()
    ids = (
        ChangeLogEntry.objects.filter(organisation=organisation)
        .values_list("content_type_id", flat=True)
        .distinct()
    )
    return ContentType.objects.filter(id__in=ids).order_by("model")


class ChangeLogEntryFilterSet(django_filters.FilterSet):
    actor = django_filters.ModelChoiceFilter(queryset=_actors, label=_("Who"))
    content_type = django_filters.ModelChoiceFilter(queryset=_object_types, label=_("Object type"))
    action = django_filters.ChoiceFilter(choices=ChangeAction.choices, label=_("Action"))
    source = django_filters.ChoiceFilter(choices=ChangeSource.choices, label=_("Source"))
    since = django_filters.DateFilter(
        field_name="timestamp", lookup_expr="date__gte", label=_("From date")
    )
    until = django_filters.DateFilter(
        field_name="timestamp", lookup_expr="date__lte", label=_("Until date")
    )
    q = django_filters.CharFilter(
        field_name="object_repr", lookup_expr="icontains", label=_("Object")
    )

    class Meta:
        model = ChangeLogEntry
        fields = ["actor", "content_type", "action", "source", "since", "until", "q"]
