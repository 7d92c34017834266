"""Organisation pages outside any one organisation (installation-wide)."""

from django.urls import path

from stuurwiel.organisations import views

app_name = "installation"

urlpatterns = [
    path("add/", views.OrganisationAddView.as_view(), name="organisation_add"),
]
