import django_filters
from django.utils.translation import gettext_lazy as _

from stuurwiel.calls.choices import CallStatus
from stuurwiel.calls.models import Call
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

    class Meta:
        model = Call
        fields = ["q", "status", "service", "link", "assignee", "coordinator", "call_type"]
