"""The pilot path: USM's seven implementation steps with their progress from the data
(stuurwiel/services/pilot.py)."""

from __future__ import annotations

from django.views.generic import TemplateView

from stuurwiel.organisations.models import Membership
from stuurwiel.services import pilot
from stuurwiel.services.models import Link, Service
from stuurwiel.web.mixins import OrganisationViewMixin

# What opening each step's action link takes (a link the member may not follow
# is not shown).
_ACTION_PERMISSIONS = {
    "services:service_list": ("services.view", Service),
    "services:service_gate": ("services.view", Service),
    "services:service_canvas": ("services.view", Service),
    "services:link_list": ("services.view", Link),
    "services:requester_catalogue": ("services.catalogue", Service),
    "organisations:membership_list": ("organisations.view", Membership),
}


class PilotPathView(OrganisationViewMixin, TemplateView):
    permission_required = "services.view"
    access_model = Service
    template_name = "services/pilot_path.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        path = pilot.pilot_path(organisation=self.organisation, member_access=self.access)
        for step in path.steps:
            permission, model = _ACTION_PERMISSIONS.get(step.action_name, ("", None))
            if not permission or not self.access.holds_for(permission, model):
                step.action_url = ""
        context["path"] = path
        return context
