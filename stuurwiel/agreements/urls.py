from django.urls import path

from stuurwiel.agreements import views

app_name = "agreements"

urlpatterns = [
    path("", views.AgreementListView.as_view(), name="agreement_list"),
    path("add/", views.AgreementEditView.as_view(), name="agreement_add"),
    path(
        "service/<int:service>/",
        views.ServiceAgreementsView.as_view(),
        name="service_agreements",
    ),
    path("<int:pk>/", views.AgreementDetailView.as_view(), name="agreement_detail"),
    path("<int:pk>/edit/", views.AgreementEditView.as_view(), name="agreement_edit"),
    path("<int:pk>/delete/", views.AgreementDeleteView.as_view(), name="agreement_delete"),
    path("<int:pk>/history/", views.AgreementHistoryView.as_view(), name="agreement_history"),
    path("versions/<int:pk>/", views.VersionDetailView.as_view(), name="version_detail"),
    path("versions/<int:pk>/edit/", views.VersionEditView.as_view(), name="version_edit"),
    path("versions/<int:pk>/new/", views.VersionNewView.as_view(), name="version_new"),
    path(
        "versions/<int:pk>/activate/",
        views.VersionActivateView.as_view(),
        name="version_activate",
    ),
    path("priority-matrix/", views.PriorityMatrixView.as_view(), name="priority_matrix"),
    path(
        "priority-matrix/edit/",
        views.PriorityMatrixEditView.as_view(),
        name="priority_matrix_edit",
    ),
]
