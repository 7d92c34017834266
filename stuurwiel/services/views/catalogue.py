"""The service catalogue: the staff catalogue (every service, with its design
state), the service page, and the requester catalogue (live services only, in
the customers' words)."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from stuurwiel.core.tables import Column
from stuurwiel.services import filtersets, forms, gate, selectors, services
from stuurwiel.services.choices import ServiceStatus
from stuurwiel.services.models import Service
from stuurwiel.web import generic
from stuurwiel.web.mixins import OrganisationViewMixin


class ServiceListView(generic.ObjectListView):
    area = "services"
    queryset = selectors.service_queryset()
    template_name = "services/service_list.html"
    filterset_class = filtersets.ServiceFilterSet
    columns = [
        Column("name", _("Service"), link=True),
        Column("status", _("Design state")),
        Column("owner", _("Owner of the chain performance")),
        Column("form", _("Form")),
        Column("link_count", _("Links")),
        Column("interface_count", _("Interfaces")),
    ]


class ServiceDetailView(generic.ObjectDetailView):
    area = "services"
    queryset = selectors.service_queryset()
    template_name = "services/service_detail.html"

    def get_template_names(self):
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        service = context["object"]
        page = selectors.service_page(service)
        conditions = gate.gate_conditions(
            service,
            links=page["links"],
            interfaces=page["interfaces"],
            approvals=page["approvals"],
            customers=page["customers"],
            canvas_items=page["canvas_items"],
        )
        context.update(
            page,
            conditions=conditions,
            gate_open=all(condition.met for condition in conditions),
            transitions=[ServiceStatus(to) for to in services.TRANSITIONS.get(service.status, ())],
            may_approve=self.access.holds_for("services.approve", Service),
        )
        return context


class ServiceEditView(generic.ObjectEditView):
    area = "services"
    queryset = selectors.service_queryset()
    form_class = forms.ServiceForm
    create_service = services.service_create
    update_service = services.service_update


class ServiceDeleteView(generic.ObjectDeleteView):
    area = "services"
    queryset = selectors.service_queryset()
    delete_service = services.service_delete


class ServiceHistoryView(generic.ObjectHistoryView):
    area = "services"
    queryset = selectors.service_queryset()


class RequesterCatalogueView(OrganisationViewMixin, TemplateView):
    """What requesters can ask for: live services only, in their own words."""

    permission_required = "services.catalogue"
    access_model = Service
    template_name = "services/requester_catalogue.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # A page at a time, as every list: with 1,000 live services on one page,
        # rendering the cards alone took longer than the 100 ms the page may take.
        paginator = Paginator(
            selectors.requester_catalogue(self.organisation), settings.STUURWIEL_LIST_PAGE_SIZE
        )
        page = paginator.get_page(self.request.GET.get("page"))
        from stuurwiel.calls.models import Call

        context.update(
            page=page,
            services=page.object_list,
            may_report=self.access.holds_for("calls.register", Call),
        )
        return context
