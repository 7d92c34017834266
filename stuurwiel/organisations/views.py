from django.views.generic import TemplateView

from stuurwiel.changelog.selectors import changes_for_organisation
from stuurwiel.core.views.mixins import OrganisationViewMixin
from stuurwiel.organisations import selectors


class DashboardView(OrganisationViewMixin, TemplateView):
    """The organisation's front page: what is in its model and what changed lately."""

    template_name = "organisations/dashboard.html"
    permission_required = "organisations.view"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["summary"] = selectors.organisation_summary(organisation=self.organisation)
        if "changelog.view" in self.permissions:
            context["recent_changes"] = changes_for_organisation(
                organisation=self.organisation
            )[:8]
        return context
