from django.urls import path

from stuurwiel.notifications.api import views

app_name = "notifications-api"

urlpatterns = [
    path("settings/", views.NotificationSettingsView.as_view(), name="settings"),
]
