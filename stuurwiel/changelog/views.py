from django.core.paginator import Paginator
from django.views.generic import TemplateView

from stuurwiel.changelog.filtersets import ChangeLogEntryFilterSet
from stuurwiel.changelog.selectors import changes_for_organisation
from stuurwiel.core.views.mixins import OrganisationViewMixin


class ChangeFeedView(OrganisationViewMixin, TemplateView):
    """Organisation-wide change feed, filterable by person, object type and date."""

    template_name = "changelog/feed.html"
    permission_required = "changelog.view"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = ChangeLogEntryFilterSet(
            self.request.GET or None,
            queryset=changes_for_organisation(organisation=self.organisation),
            request=self.request,
        )
        context["filterset"] = filterset
        context["page"] = Paginator(filterset.qs, 50).get_page(self.request.GET.get("page"))
        return context

    def get_template_names(self):
        if getattr(self.request, "htmx", False) and not self.request.htmx.boosted:
            return ["changelog/_feed_table.html"]
        return [self.template_name]
