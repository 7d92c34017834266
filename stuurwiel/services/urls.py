from django.urls import path

from stuurwiel.services.views import canvas, catalogue, chain
from stuurwiel.services.views import design as design_views
from stuurwiel.services.views import diagram as diagram_views
from stuurwiel.services.views import exchange as exchange_views
from stuurwiel.services.views import pilot as pilot_views

app_name = "services"

urlpatterns = [
    # --- catalogue and service pages ---
    path("", catalogue.ServiceListView.as_view(), name="service_list"),
    path("catalogue/", catalogue.RequesterCatalogueView.as_view(), name="requester_catalogue"),
    path("add/", catalogue.ServiceEditView.as_view(), name="service_add"),
    path("<int:pk>/", catalogue.ServiceDetailView.as_view(), name="service_detail"),
    path("<int:pk>/edit/", catalogue.ServiceEditView.as_view(), name="service_edit"),
    path("<int:pk>/delete/", catalogue.ServiceDeleteView.as_view(), name="service_delete"),
    path("<int:pk>/history/", catalogue.ServiceHistoryView.as_view(), name="service_history"),
    # --- pilot path ---
    path("pilot/", pilot_views.PilotPathView.as_view(), name="pilot_path"),
    # --- design gate and decisions ---
    path("<int:pk>/gate/", design_views.ServiceGateView.as_view(), name="service_gate"),
    path(
        "<int:pk>/status/",
        design_views.ServiceTransitionView.as_view(),
        name="service_transition",
    ),
    path("<int:pk>/approve/", design_views.ServiceApproveView.as_view(), name="service_approve"),
    # --- chain diagram ---
    path(
        "<int:pk>/chain/diagram/",
        diagram_views.ChainDiagramView.as_view(),
        name="service_chain_diagram",
    ),
    path(
        "<int:pk>/chain/diagram.svg",
        diagram_views.ChainDiagramSvgView.as_view(),
        name="service_chain_svg",
    ),
    # --- canvas ---
    path("<int:pk>/canvas/", canvas.ServiceCanvasView.as_view(), name="service_canvas"),
    path("<int:pk>/canvas/add/", canvas.CanvasItemAddView.as_view(), name="service_canvas_add"),
    path("canvas-items/<int:pk>/cell/", canvas.CanvasCellView.as_view(), name="canvasitem_cell"),
    path(
        "canvas-items/<int:pk>/rename/",
        canvas.CanvasItemRenameView.as_view(),
        name="canvasitem_rename",
    ),
    path(
        "canvas-items/<int:pk>/remove/",
        canvas.CanvasItemRemoveView.as_view(),
        name="canvasitem_remove",
    ),
    path("canvas-items/", chain.CanvasItemListView.as_view(), name="canvasitem_list"),
    path("canvas-items/add/", chain.CanvasItemEditView.as_view(), name="canvasitem_add"),
    path("canvas-items/<int:pk>/", chain.CanvasItemDetailView.as_view(), name="canvasitem_detail"),
    path("canvas-items/<int:pk>/edit/", chain.CanvasItemEditView.as_view(), name="canvasitem_edit"),
    path(
        "canvas-items/<int:pk>/delete/",
        chain.CanvasItemDeleteView.as_view(),
        name="canvasitem_delete",
    ),
    path(
        "canvas-items/<int:pk>/history/",
        chain.CanvasItemHistoryView.as_view(),
        name="canvasitem_history",
    ),
    # --- chain: links, interfaces, managed infrastructure ---
    path("links/", chain.LinkListView.as_view(), name="link_list"),
    path("links/add/", chain.LinkEditView.as_view(), name="link_add"),
    path("links/<int:pk>/", chain.LinkDetailView.as_view(), name="link_detail"),
    path("links/<int:pk>/edit/", chain.LinkEditView.as_view(), name="link_edit"),
    path("links/<int:pk>/delete/", chain.LinkDeleteView.as_view(), name="link_delete"),
    path("links/<int:pk>/history/", chain.LinkHistoryView.as_view(), name="link_history"),
    path("interfaces/", chain.InterfaceListView.as_view(), name="interface_list"),
    path("interfaces/add/", chain.InterfaceEditView.as_view(), name="interface_add"),
    path("interfaces/<int:pk>/", chain.InterfaceDetailView.as_view(), name="interface_detail"),
    path("interfaces/<int:pk>/edit/", chain.InterfaceEditView.as_view(), name="interface_edit"),
    path(
        "interfaces/<int:pk>/delete/", chain.InterfaceDeleteView.as_view(), name="interface_delete"
    ),
    path(
        "interfaces/<int:pk>/history/",
        chain.InterfaceHistoryView.as_view(),
        name="interface_history",
    ),
    path("infrastructure/", chain.ComponentListView.as_view(), name="infrastructurecomponent_list"),
    path(
        "infrastructure/add/",
        chain.ComponentEditView.as_view(),
        name="infrastructurecomponent_add",
    ),
    path(
        "infrastructure/<int:pk>/",
        chain.ComponentDetailView.as_view(),
        name="infrastructurecomponent_detail",
    ),
    path(
        "infrastructure/<int:pk>/edit/",
        chain.ComponentEditView.as_view(),
        name="infrastructurecomponent_edit",
    ),
    path(
        "infrastructure/<int:pk>/delete/",
        chain.ComponentDeleteView.as_view(),
        name="infrastructurecomponent_delete",
    ),
    path(
        "infrastructure/<int:pk>/history/",
        chain.ComponentHistoryView.as_view(),
        name="infrastructurecomponent_history",
    ),
    # --- exchange ---
    path("import/", exchange_views.ServiceImportView.as_view(), name="service_import"),
    path("<int:pk>/export/", exchange_views.ServiceExportView.as_view(), name="service_export"),
]
