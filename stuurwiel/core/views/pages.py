from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.views.generic import TemplateView

from stuurwiel.organisations.selectors import organisations_for_user


class HomeView(LoginRequiredMixin, TemplateView):
    """Sends a member of one organisation straight to it; others choose."""

    template_name = "core/home.html"

    def get(self, request, *args, **kwargs):
        organisations = list(organisations_for_user(request.user))
        if len(organisations) == 1:
            return redirect(organisations[0].get_absolute_url())
        return self.render_to_response({"organisations": organisations})
