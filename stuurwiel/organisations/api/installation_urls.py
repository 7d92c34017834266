"""Organisations in the API outside any one organisation (installation-wide)."""

from django.urls import path

from stuurwiel.organisations.api import views

app_name = "installation-api"

urlpatterns = [
    path(
        "",
        views.OrganisationViewSet.as_view({"get": "list", "post": "create"}),
        name="organisation-list",
    ),
]
