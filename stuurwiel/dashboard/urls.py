from django.urls import path

from stuurwiel.dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("watermelon/", views.WatermelonView.as_view(), name="watermelon"),
    path("calls/<slug:signal>/", views.SignalCallsView.as_view(), name="signal_calls"),
    path(
        "recurring/register-risk/",
        views.RecurringRiskRegisterView.as_view(),
        name="recurring_register_risk",
    ),
]
