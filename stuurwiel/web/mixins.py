from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from stuurwiel.organisations import access
from stuurwiel.organisations.selectors import membership_get


class OrganisationViewMixin:
    """Resolves the organisation in the URL for the signed-in member.

    Non-members get 404 (they learn nothing of the organisation), members who hold
    ``permission_required`` nowhere get 403. Sets ``self.organisation``,
    ``self.membership``, ``self.access`` (the access layer's answer for this member)
    and ``self.permissions`` (what the member holds somewhere, for menus), and the
    same on the request for the templates. Object-level answers come from
    :mod:`stuurwiel.organisations.access`, never from here.
    """

    permission_required: str = ""
    # The model the permission is about; ``None``: any grant of it opens the page.
    access_model = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        self.membership = membership_get(user=request.user, org_slug=kwargs["org"])
        self.organisation = request.organisation = self.membership.organisation
        self.access = request.access = access.access_from_membership(self.membership)
        access.remember(self.access)
        self.permissions = request.permissions = self.access.permissions
        if self.permission_required and not self.access.holds_for(
            self.permission_required, self.get_access_model()
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_access_model(self):
        return self.access_model

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(organisation=self.organisation, permissions=self.permissions)
        return context
