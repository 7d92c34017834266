"""The parts of a service design edited one by one: chain links, interfaces,
managed infrastructure and canvas items. Each is added from its service's page
(``?service=<id>``) and saving returns there."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from stuurwiel.core.tables import Column
from stuurwiel.core.text import whole_number
from stuurwiel.services import filtersets, forms, selectors, services
from stuurwiel.web import generic


class _PartEditView(generic.ObjectEditView):
    area = "services"
    anchor = ""

    def get_initial(self) -> dict:
        service = whole_number(self.request.GET.get("service", ""))
        return {"service": service} if service is not None else {}

    def success_url(self, obj) -> str:
        return f"{obj.service.get_absolute_url()}#{self.anchor}"


class _PartDeleteView(generic.ObjectDeleteView):
    area = "services"
    anchor = ""

    def deleted_url(self, obj) -> str:
        return f"{obj.service.get_absolute_url()}#{self.anchor}"


# --- Links ---------------------------------------------------------------------


class LinkListView(generic.ObjectListView):
    area = "services"
    queryset = selectors.link_queryset()
    filterset_class = filtersets.LinkFilterSet
    columns = [
        Column("__str__", _("Link"), link=True),
        Column("service", _("Service")),
        Column("position", _("Position")),
        Column("contribution", _("Contribution")),
    ]


class LinkDetailView(generic.ObjectDetailView):
    area = "services"
    queryset = selectors.link_queryset()
    detail_fields = [
        Column("service", _("Service")),
        Column("team", _("Team")),
        Column("supplier", _("Supplier")),
        Column("position", _("Position in the chain")),
        Column("contribution", _("Contribution")),
    ]


class LinkEditView(_PartEditView):
    queryset = selectors.link_queryset()
    form_class = forms.LinkForm
    create_service = services.link_create
    update_service = services.link_update
    anchor = "chain"


class LinkDeleteView(_PartDeleteView):
    queryset = selectors.link_queryset()
    delete_service = services.link_delete
    anchor = "chain"


class LinkHistoryView(generic.ObjectHistoryView):
    area = "services"
    queryset = selectors.link_queryset()


# --- Interfaces ----------------------------------------------------------------


class InterfaceListView(generic.ObjectListView):
    area = "services"
    queryset = selectors.interface_queryset()
    filterset_class = filtersets.InterfaceFilterSet
    columns = [
        Column("name", _("Interface"), link=True),
        Column("service", _("Service")),
        Column("passes", _("What passes")),
        Column("norm_minutes", _("Norm (business minutes)")),
    ]


class InterfaceDetailView(generic.ObjectDetailView):
    area = "services"
    queryset = selectors.interface_queryset()
    detail_fields = [
        Column("service", _("Service")),
        Column("source_kind", _("From")),
        Column("source_link", _("From link")),
        Column("target_kind", _("To")),
        Column("target_link", _("To link")),
        Column("passes", _("What passes")),
        Column("trigger", _("Trigger")),
        Column("expected_response", _("Expected response")),
        Column("norm_minutes", _("Norm (business minutes)")),
        Column("norm_note", _("Norm")),
    ]


class InterfaceEditView(_PartEditView):
    queryset = selectors.interface_queryset()
    form_class = forms.InterfaceForm
    create_service = services.interface_create
    update_service = services.interface_update
    anchor = "interfaces"


class InterfaceDeleteView(_PartDeleteView):
    queryset = selectors.interface_queryset()
    delete_service = services.interface_delete
    anchor = "interfaces"


class InterfaceHistoryView(generic.ObjectHistoryView):
    area = "services"
    queryset = selectors.interface_queryset()


# --- Managed infrastructure ----------------------------------------------------------


class ComponentListView(generic.ObjectListView):
    area = "services"
    queryset = selectors.component_queryset()
    filterset_class = filtersets.InfrastructureComponentFilterSet
    columns = [
        Column("name", _("Component"), link=True),
        Column("kind", _("Kind")),
        Column("service", _("Service")),
        Column("managed_by", _("Managed by")),
        Column("element", _("Model element")),
    ]


class ComponentDetailView(generic.ObjectDetailView):
    area = "services"
    queryset = selectors.component_queryset()
    detail_fields = [
        Column("service", _("Service")),
        Column("kind", _("Kind")),
        Column("managed_by", _("Managed by")),
        Column("element", _("Model element")),
        Column("description", _("Description")),
    ]


class ComponentEditView(_PartEditView):
    queryset = selectors.component_queryset()
    form_class = forms.InfrastructureComponentForm
    create_service = services.component_create
    update_service = services.component_update
    anchor = "infrastructure"


class ComponentDeleteView(_PartDeleteView):
    queryset = selectors.component_queryset()
    delete_service = services.component_delete
    anchor = "infrastructure"


class ComponentHistoryView(generic.ObjectHistoryView):
    area = "services"
    queryset = selectors.component_queryset()


# --- Canvas items ----------------------------------------------------------------


class CanvasItemDetailView(generic.ObjectDetailView):
    area = "services"
    queryset = selectors.canvas_item_queryset()
    detail_fields = [
        Column("service", _("Service")),
        Column("section", _("Section")),
        Column("position", _("Position")),
    ]


class CanvasItemEditView(_PartEditView):
    queryset = selectors.canvas_item_queryset()
    form_class = forms.CanvasItemForm
    create_service = services.canvas_item_create
    update_service = services.canvas_item_update
    anchor = "canvas"

    def success_url(self, obj) -> str:
        from django.urls import reverse

        return reverse(
            "services:service_canvas", kwargs={"org": obj.organisation.slug, "pk": obj.service_id}
        )


class CanvasItemDeleteView(_PartDeleteView):
    queryset = selectors.canvas_item_queryset()
    delete_service = services.canvas_item_delete

    def deleted_url(self, obj) -> str:
        from django.urls import reverse

        return reverse(
            "services:service_canvas", kwargs={"org": obj.organisation.slug, "pk": obj.service_id}
        )


class CanvasItemHistoryView(generic.ObjectHistoryView):
    area = "services"
    queryset = selectors.canvas_item_queryset()


class CanvasItemListView(generic.ObjectListView):
    area = "services"
    queryset = selectors.canvas_item_queryset()
    filterset_class = filtersets.CanvasItemFilterSet
    columns = [
        Column("name", _("Canvas item"), link=True),
        Column("service", _("Service")),
        Column("section", _("Section")),
    ]
