from django.urls import path

from stuurwiel.graph import graph_views, views

app_name = "graph"

urlpatterns = [
    path("subjects/", views.SubjectListView.as_view(), name="subject_list"),
    path("subjects/add/", views.SubjectEditView.as_view(), name="subject_add"),
    path("subjects/lookup/", views.SubjectLookupView.as_view(), name="subject_lookup"),
    path("subjects/<int:pk>/", views.SubjectDetailView.as_view(), name="subject_detail"),
    path("subjects/<int:pk>/edit/", views.SubjectEditView.as_view(), name="subject_edit"),
    path("subjects/<int:pk>/delete/", views.SubjectDeleteView.as_view(), name="subject_delete"),
    path("subjects/<int:pk>/history/", views.SubjectHistoryView.as_view(), name="subject_history"),
    path("graph/", graph_views.ModelGraphView.as_view(), name="model_graph"),
    path("graph/graph.svg", graph_views.ModelGraphSvgView.as_view(), name="model_graph_svg"),
    path("elements/", views.ElementListView.as_view(), name="element_list"),
    path("elements/add/", views.ElementEditView.as_view(), name="element_add"),
    path("elements/lookup/", views.ElementLookupView.as_view(), name="element_lookup"),
    path("elements/parts/", views.ElementPartsView.as_view(), name="element_parts"),
    path("elements/<int:pk>/", views.ElementDetailView.as_view(), name="element_detail"),
    path("elements/<int:pk>/edit/", views.ElementEditView.as_view(), name="element_edit"),
    path("elements/<int:pk>/delete/", views.ElementDeleteView.as_view(), name="element_delete"),
    path("elements/<int:pk>/history/", views.ElementHistoryView.as_view(), name="element_history"),
    path("relations/", views.RelationListView.as_view(), name="relation_list"),
    path("relations/add/", views.RelationEditView.as_view(), name="relation_add"),
    path(
        "relations/link-types/",
        views.RelationLinkTypesView.as_view(),
        name="relation_link_types",
    ),
    path("relations/types/", views.RelationTypesView.as_view(), name="relation_types"),
    path("relations/<int:pk>/", views.RelationDetailView.as_view(), name="relation_detail"),
    path("relations/<int:pk>/edit/", views.RelationEditView.as_view(), name="relation_edit"),
    path("relations/<int:pk>/delete/", views.RelationDeleteView.as_view(), name="relation_delete"),
    path(
        "relations/<int:pk>/history/",
        views.RelationHistoryView.as_view(),
        name="relation_history",
    ),
]
