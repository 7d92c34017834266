from django.urls import path

from stuurwiel.notifications.api import views

app_name = "notifications-api"

urlpatterns = [
    path(
        "settings/",
        views.NotificationSettingsViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="settings",
    ),
]
