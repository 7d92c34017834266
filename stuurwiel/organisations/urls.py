from django.urls import path

from stuurwiel.organisations import views

app_name = "organisations"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
]
