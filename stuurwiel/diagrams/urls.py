from django.urls import path

from stuurwiel.diagrams import views

app_name = "diagrams"

urlpatterns = [
    path(
        "subjects/<int:pk>/diagrams/<slug:ref_id>/",
        views.DiagramView.as_view(),
        name="subject_diagram",
    ),
    path(
        "subjects/<int:pk>/diagrams/<slug:ref_id>/diagram.svg",
        views.DiagramSvgView.as_view(),
        name="subject_diagram_svg",
    ),
]
