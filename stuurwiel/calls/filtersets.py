import django_filters
from django.utils.translation import gettext_lazy as _

from stuurwiel.calls.choices import CallStatus
from stuurwiel.calls.models import Call
from stuurwiel.calls.selectors import sees_as_supplier
from stuurwiel.core.filtersets import IdFilter, SearchFilterSet


class CallFilterSet(SearchFilterSet):
    search_fields = ("number", "title")
    status = django_filters.ChoiceFilter(choices=CallStatus.choices, label=_("Status"))
    service = IdFilter(field_name="service_id", label=_("Service"))
    link = IdFilter(field_name="current_link_id", label=_("With link"))
    assignee = IdFilter(field_name="assignee_id", label=_("Operator"))
    coordinator = IdFilter(field_name="coordinator_id", label=_("Workflow coordinator"))
    call_type = django_filters.CharFilter(field_name="call_type", label=_("Type"))
    priority = django_filters.NumberFilter(field_name="priority", label=_("Priority"))

    def search(self, queryset, name, value):
        # A supplier does not see the title (the requester's words): its search
        # must not find calls by them either, or a search would reveal them.
        member_access = getattr(self.request, "access", None)
        if member_access is not None and sees_as_supplier(member_access):
            value = value.strip()
            return queryset.filter(number__icontains=value) if value else queryset
        return super().search(queryset, name, value)

    class Meta:
        model = Call
        fields = ["q", "status", "service", "link", "assignee", "coordinator", "call_type"]
