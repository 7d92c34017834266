"""The front door: reporting a call (the requester portal), registering one at
the desk on someone's behalf, and the requester's own calls."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from stuurwiel.calls import display, forms, selectors, services
from stuurwiel.calls.choices import CallStatus, Channel
from stuurwiel.calls.definitions import current_snapshot, definition_of
from stuurwiel.calls.models import Call
from stuurwiel.core.pagination import KeysetPaginator
from stuurwiel.core.text import whole_number
from stuurwiel.organisations import access
from stuurwiel.organisations.choices import Role
from stuurwiel.services.selectors import requester_catalogue
from stuurwiel.web.generic import _add_errors
from stuurwiel.web.mixins import OrganisationViewMixin


def requester_only(member_access: access.Access) -> bool:
    """Whether the member holds no role but requester (the portal is theirs)."""
    membership = member_access.membership
    roles = {assignment.role for assignment in membership.role_assignments.all()}
    return bool(roles) and roles <= {Role.REQUESTER}


class ReportView(OrganisationViewMixin, TemplateView):
    """Report a call for a live service, in the requester's own words: the call
    types are shown with the everyday words that map to them."""

    permission_required = "calls.register"
    access_model = Call
    template_name = "calls/report.html"
    form_class: type[forms.ReportForm] = forms.ReportForm

    def form_kwargs(self) -> dict:
        return {
            "services": requester_catalogue(self.organisation),
            "definition": definition_of(current_snapshot()),
        }

    def get(self, request, *args, **kwargs):
        service = whole_number(request.GET.get("service", ""))
        kwargs = self.form_kwargs()
        if service is None:
            # With one live service there is nothing to choose.
            only = list(kwargs["services"].values_list("pk", flat=True)[:2])
            service = only[0] if len(only) == 1 else None
        form = self.form_class(initial={"service": service}, **kwargs)
        return self.render_to_response(self.get_context_data(form=form))

    def post(self, request, *args, **kwargs):
        form = self.form_class(request.POST, **self.form_kwargs())
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        try:
            call = services.call_register(
                organisation=self.organisation, by=request.user, **self.register_data(form)
            )
        except ValidationError as exc:
            _add_errors(form, exc)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        except access.AccessDenied as exc:
            form.add_error(None, exc.message)
            return self.render_to_response(self.get_context_data(form=form), status=403)
        messages.success(
            request, _("Your call has been registered as {number}.").format(number=call.number)
        )
        return HttpResponseRedirect(call.get_absolute_url())

    def register_data(self, form) -> dict:
        return {**form.service_data(), "channel": Channel.PORTAL, "requester": self.request.user}


class IntakeView(ReportView):
    """Register a call at the desk (phone, counter) on behalf of a requester."""

    template_name = "calls/intake.html"
    form_class = forms.IntakeForm

    def get(self, request, *args, **kwargs):
        if requester_only(self.access):
            return HttpResponseRedirect(
                reverse("calls:call_report", kwargs={"org": self.organisation.slug})
            )
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if requester_only(self.access):
            return HttpResponseRedirect(
                reverse("calls:call_report", kwargs={"org": self.organisation.slug})
            )
        return super().post(request, *args, **kwargs)

    def form_kwargs(self) -> dict:
        members = (
            get_user_model()
            .objects.filter(
                memberships__organisation=self.organisation, memberships__is_active=True
            )
            .order_by("first_name", "last_name", "username")
        )
        return {**super().form_kwargs(), "members": members}

    def register_data(self, form) -> dict:
        return form.service_data()


class MyCallsView(OrganisationViewMixin, TemplateView):
    """The calls the member reported: their status, the latest public reply, and
    for a call waiting on them the buttons to confirm it is resolved or reopen it."""

    permission_required = "calls.view"
    access_model = Call
    template_name = "calls/my_calls.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        paginator = KeysetPaginator(
            selectors.requester_calls(self.access), settings.STUURWIEL_LIST_PAGE_SIZE
        )
        page = paginator.page(self.request.GET)
        calls = display.label_calls(list(page.object_list))
        context.update(
            page=page,
            calls=calls,
            waiting=CallStatus.PROCESS_FULFILLED,
            may_register=self.access.holds_for("calls.register", Call),
        )
        return context
