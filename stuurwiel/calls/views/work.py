"""Worklists: the calls assigned to me, the calls at my link(s), and the calls I
coordinate. One page with three tabs, filters, and an HTMX refresh of the table."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from stuurwiel.calls import display, selectors
from stuurwiel.calls.definitions import current_snapshot, definition_of
from stuurwiel.calls.filtersets import CallFilterSet
from stuurwiel.calls.forms import call_type_label
from stuurwiel.calls.models import Call
from stuurwiel.calls.views.portal import requester_only
from stuurwiel.core.pagination import KeysetPaginator
from stuurwiel.services.selectors import requester_catalogue
from stuurwiel.web.mixins import OrganisationViewMixin

TAB_LABELS = {
    "mine": _("Assigned to me"),
    "links": _("At my link"),
    "coordination": _("I coordinate"),
}


class WorklistView(OrganisationViewMixin, TemplateView):
    """My work: a tab per worklist; HTMX requests (filters, the refresh) get the
    table only. Requesters have no worklist: they go to their own calls."""

    permission_required = "calls.view"
    access_model = Call
    template_name = "calls/worklist.html"
    partial_template_name = "calls/_worklist_table.html"

    def get(self, request, *args, **kwargs):
        if requester_only(self.access):
            return HttpResponseRedirect(
                reverse("calls:my_calls", kwargs={"org": self.organisation.slug})
            )
        return super().get(request, *args, **kwargs)

    def get_template_names(self):
        if getattr(self.request, "htmx", False) and not self.request.htmx.boosted:
            return [self.partial_template_name]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        chosen = self.request.GET.get("list")
        chosen = chosen if chosen in selectors.WORKLISTS else "mine"
        calls = selectors.worklist(chosen, self.access)
        black_box = selectors.sees_as_supplier(self.access)
        if black_box:
            calls = selectors.with_handover(calls)
        filterset = CallFilterSet(self.request.GET or None, queryset=calls, request=self.request)
        # Keyset pages: a worklist deep down costs what its first page costs.
        paginator = KeysetPaginator(filterset.qs, settings.STUURWIEL_LIST_PAGE_SIZE)
        page = paginator.page(self.request.GET)
        definition = definition_of(current_snapshot())
        context.update(
            chosen=chosen,
            black_box=black_box,
            tabs=[(name, TAB_LABELS[name]) for name in selectors.WORKLISTS],
            filterset=filterset,
            page=page,
            calls=display.label_calls(list(page.object_list)),
            services=requester_catalogue(self.organisation),
            call_types=[(t.ref, call_type_label(t)) for t in definition.call_types.values()],
            refresh_seconds=60,
        )
        return context
