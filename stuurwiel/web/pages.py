from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.views.generic import TemplateView

from stuurwiel.organisations.roles import may_create_organisation
from stuurwiel.organisations.selectors import organisations_for_user


class HomeView(LoginRequiredMixin, TemplateView):
    """Sends a member of one organisation straight to it; others choose.

    Platform admins always get the list, as it holds the button to add an organisation.
    """

    template_name = "core/home.html"

    def get(self, request, *args, **kwargs):
        organisations = list(organisations_for_user(request.user))
        # The organisation switcher without JavaScript submits ?o=<organisation URL>.
        chosen = request.GET.get("o")
        for organisation in organisations:
            if chosen and chosen == organisation.get_absolute_url():
                return redirect(chosen)
        can_add = may_create_organisation(request.user)
        if len(organisations) == 1 and not can_add:
            return redirect(organisations[0].get_absolute_url())
        return self.render_to_response(
            {"organisations": organisations, "can_add_organisation": can_add}
        )
