"""The admin pages of supplier webhooks: endpoints (list, add, edit, rotate the
secret — shown once, right after it was made) and the delivery log with its
"retry now". Each page is for ``webhooks.view``, each write for ``webhooks.manage``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from stuurwiel.core.exceptions import ConflictError
from stuurwiel.core.text import whole_number
from stuurwiel.organisations import access
from stuurwiel.web.mixins import OrganisationViewMixin
from stuurwiel.webhooks import forms, selectors, services
from stuurwiel.webhooks.choices import DeliveryStatus

PAGE_SIZE = 50


class _Page(OrganisationViewMixin):
    permission_required = "webhooks.view"
    queryset: QuerySet

    def get_access_model(self):
        # Endpoints are organisation-wide: a role scoped to one subject opens none.
        return self.queryset.model

    def _object(self, queryset):
        # Another organisation's id is a 404, exactly like one that does not exist.
        return get_object_or_404(
            queryset.filter(organisation=self.organisation), pk=self.kwargs["pk"]
        )

    def _url(self, name: str, **kwargs) -> str:
        return reverse(f"webhooks:{name}", kwargs={"org": self.organisation.slug, **kwargs})


class EndpointListView(_Page, TemplateView):
    template_name = "webhooks/endpoint_list.html"
    queryset = selectors.endpoint_queryset()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["endpoints"] = list(selectors.endpoint_list(self.organisation))
        context["can_manage"] = self.access.holds_everywhere("webhooks.manage")
        return context


def _secret_page(view, endpoint, *, status: int = 200):
    """The one time a secret is shown: right after it was made. Rendered as the
    POST's answer, not after a redirect, so it never sits in a URL, the session
    or a message store."""
    context = view.get_context_data(endpoint=endpoint, secret=endpoint.secret)
    return render(view.request, "webhooks/endpoint_secret.html", context, status=status)


class EndpointEditView(_Page, TemplateView):
    """Add (no ``pk``; shows the new secret once) or edit an endpoint."""

    permission_required = "webhooks.manage"
    template_name = "webhooks/endpoint_form.html"
    queryset = selectors.endpoint_queryset()

    def _form(self, data=None):
        instance = self._object(self.queryset) if "pk" in self.kwargs else None
        return forms.WebhookEndpointForm(data, instance=instance, organisation=self.organisation)

    def _render(self, form, status: int = 200):
        title = _("Edit webhook endpoint") if form.instance.pk else _("Add a webhook endpoint")
        context = self.get_context_data(form=form, form_title=title)
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, *args, **kwargs):
        return self._render(self._form())

    def post(self, request, *args, **kwargs):
        form = self._form(request.POST)
        if not form.is_valid():
            return self._render(form, status=400)
        try:
            if form.instance.pk:
                endpoint = services.endpoint_update(
                    instance=form.instance,
                    by=request.user,
                    data=form.service_data(),
                    version=form.cleaned_data.get("version"),
                    reason=form.cleaned_data.get("change_reason", ""),
                )
            else:
                endpoint = services.endpoint_create(
                    organisation=self.organisation,
                    by=request.user,
                    data=form.service_data(),
                    reason=form.cleaned_data.get("change_reason", ""),
                )
                return _secret_page(self, endpoint, status=201)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self._render(form, status=400)
        except ConflictError:
            form.add_error(None, _("Someone else saved this endpoint in the meantime. Reload it."))
            return self._render(form, status=409)
        messages.success(request, _("“{name}” has been saved.").format(name=endpoint))
        return HttpResponseRedirect(self._url("endpoint_detail", pk=endpoint.pk))


class EndpointDetailView(_Page, TemplateView):
    template_name = "webhooks/endpoint_detail.html"
    queryset = selectors.endpoint_queryset()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        endpoint = self._object(self.queryset)
        deliveries = selectors.delivery_list(self.organisation, endpoint_id=endpoint.pk)
        context.update(
            endpoint=endpoint,
            deliveries=list(deliveries[:20]),
            can_manage=self.access.holds_everywhere("webhooks.manage"),
        )
        return context


class EndpointRotateView(_Page, View):
    """POST: a new secret, shown once; the old one signs nothing from now on."""

    permission_required = "webhooks.manage"
    queryset = selectors.endpoint_queryset()

    def get_context_data(self, **kwargs):
        return {"organisation": self.organisation, "permissions": self.permissions, **kwargs}

    def post(self, request, *args, **kwargs):
        endpoint = self._object(self.queryset)
        try:
            endpoint = services.endpoint_secret_rotate(
                endpoint=endpoint, by=request.user, version=request.POST.get("version")
            )
        except ConflictError:
            messages.error(request, _("Someone else changed this endpoint meanwhile. Try again."))
            return HttpResponseRedirect(self._url("endpoint_detail", pk=endpoint.pk))
        return _secret_page(self, endpoint)


class DeliveryListView(_Page, TemplateView):
    """The delivery log: status, attempts, last answer or error, next attempt."""

    template_name = "webhooks/delivery_list.html"
    queryset = selectors.delivery_queryset()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        status = self.request.GET.get("status", "")
        deliveries = selectors.delivery_list(self.organisation, status=status)
        page = Paginator(deliveries, PAGE_SIZE).get_page(whole_number(self.request.GET.get("page")))
        context.update(
            page=page,
            status=status,
            statuses=DeliveryStatus.choices,
            can_manage=self.access.holds_everywhere("webhooks.manage"),
        )
        return context


class DeliveryDetailView(_Page, TemplateView):
    """One message: its payload and every attempt."""

    template_name = "webhooks/delivery_detail.html"
    queryset = selectors.delivery_queryset()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        delivery = self._object(self.queryset)
        context.update(
            delivery=delivery,
            body=services.body_of(delivery),
            can_manage=self.access.holds_everywhere("webhooks.manage"),
        )
        return context


class DeliveryRetryView(_Page, View):
    """POST: one attempt now, whatever the schedule said."""

    permission_required = "webhooks.manage"
    queryset = selectors.delivery_queryset()

    def post(self, request, *args, **kwargs):
        delivery = self._object(self.queryset)
        try:
            delivery = services.delivery_retry(delivery=delivery, by=request.user)
        except access.AccessDenied as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(self._url("delivery_detail", pk=delivery.pk))
        if delivery.status == DeliveryStatus.DELIVERED:
            messages.success(request, _("The message has been delivered."))
        else:
            messages.error(
                request,
                _("The receiver did not accept the message: {error}").format(
                    error=delivery.last_error or delivery.last_status_code
                ),
            )
        return HttpResponseRedirect(self._url("delivery_detail", pk=delivery.pk))
