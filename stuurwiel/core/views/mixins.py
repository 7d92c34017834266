from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from stuurwiel.organisations.selectors import membership_get, membership_permissions


class OrganisationViewMixin:
    """Resolves the organisation in the URL for the signed-in member.

    Non-members get 404 (they learn nothing of the organisation), members without
    ``permission_required`` get 403. Sets ``self.organisation``, ``self.membership``
    and ``self.permissions``, and the same on the request for the templates.
    """

    permission_required: str = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        self.membership = membership_get(user=request.user, org_slug=kwargs["org"])
        self.organisation = request.organisation = self.membership.organisation
        self.permissions = request.permissions = membership_permissions(self.membership)
        if self.permission_required and self.permission_required not in self.permissions:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(organisation=self.organisation, permissions=self.permissions)
        return context
