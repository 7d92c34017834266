from django.urls import path

from stuurwiel.services.views import diagram as diagram_views

app_name = "services"

urlpatterns: list = [
    # --- chain diagram ---
    path(
        "services/<int:pk>/chain/diagram/",
        diagram_views.ChainDiagramView.as_view(),
        name="service_chain_diagram",
    ),
    path(
        "services/<int:pk>/chain/diagram.svg",
        diagram_views.ChainDiagramSvgView.as_view(),
        name="service_chain_svg",
    ),
]
