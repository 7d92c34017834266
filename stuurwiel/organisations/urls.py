from django.urls import path

from stuurwiel.organisations import views

app_name = "organisations"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("settings/", views.OrganisationEditView.as_view(), name="organisation_edit"),
    path("members/", views.MembershipListView.as_view(), name="membership_list"),
    path("members/add/", views.MembershipAddView.as_view(), name="membership_add"),
    path("members/<int:pk>/", views.MembershipDetailView.as_view(), name="membership_detail"),
    path("members/<int:pk>/edit/", views.MembershipEditView.as_view(), name="membership_edit"),
    path(
        "members/<int:pk>/deactivate/",
        views.MembershipDeactivateView.as_view(),
        name="membership_deactivate",
    ),
    path(
        "members/<int:pk>/activate/",
        views.MembershipActivateView.as_view(),
        name="membership_activate",
    ),
    path(
        "members/<int:pk>/invitation/",
        views.MembershipInvitationResendView.as_view(),
        name="membership_invitation",
    ),
    path(
        "members/<int:pk>/history/",
        views.MembershipHistoryView.as_view(),
        name="membership_history",
    ),
]
