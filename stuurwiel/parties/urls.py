from django.urls import path

from stuurwiel.parties import views

app_name = "parties"

urlpatterns = [
    path("teams/", views.TeamListView.as_view(), name="team_list"),
    path("teams/add/", views.TeamEditView.as_view(), name="team_add"),
    path("teams/<int:pk>/", views.TeamDetailView.as_view(), name="team_detail"),
    path("teams/<int:pk>/edit/", views.TeamEditView.as_view(), name="team_edit"),
    path("teams/<int:pk>/delete/", views.TeamDeleteView.as_view(), name="team_delete"),
    path("teams/<int:pk>/history/", views.TeamHistoryView.as_view(), name="team_history"),
    path("persons/", views.PersonListView.as_view(), name="person_list"),
    path("persons/add/", views.PersonEditView.as_view(), name="person_add"),
    path("persons/<int:pk>/", views.PersonDetailView.as_view(), name="person_detail"),
    path("persons/<int:pk>/edit/", views.PersonEditView.as_view(), name="person_edit"),
    path("persons/<int:pk>/delete/", views.PersonDeleteView.as_view(), name="person_delete"),
    path("persons/<int:pk>/history/", views.PersonHistoryView.as_view(), name="person_history"),
    path("suppliers/", views.SupplierListView.as_view(), name="supplier_list"),
    path("suppliers/add/", views.SupplierEditView.as_view(), name="supplier_add"),
    path("suppliers/<int:pk>/", views.SupplierDetailView.as_view(), name="supplier_detail"),
    path("suppliers/<int:pk>/edit/", views.SupplierEditView.as_view(), name="supplier_edit"),
    path("suppliers/<int:pk>/delete/", views.SupplierDeleteView.as_view(), name="supplier_delete"),
    path(
        "suppliers/<int:pk>/history/",
        views.SupplierHistoryView.as_view(),
        name="supplier_history",
    ),
    path("stakeholders/", views.StakeholderListView.as_view(), name="stakeholder_list"),
    path("stakeholders/add/", views.StakeholderEditView.as_view(), name="stakeholder_add"),
    path(
        "stakeholders/<int:pk>/",
        views.StakeholderDetailView.as_view(),
        name="stakeholder_detail",
    ),
    path(
        "stakeholders/<int:pk>/edit/",
        views.StakeholderEditView.as_view(),
        name="stakeholder_edit",
    ),
    path(
        "stakeholders/<int:pk>/delete/",
        views.StakeholderDeleteView.as_view(),
        name="stakeholder_delete",
    ),
    path(
        "stakeholders/<int:pk>/history/",
        views.StakeholderHistoryView.as_view(),
        name="stakeholder_history",
    ),
]
