from django.urls import path

from stuurwiel.changelog import views

app_name = "changelog"

urlpatterns = [
    path("", views.ChangeFeedView.as_view(), name="feed"),
    path("export.csv", views.ChangeFeedExportView.as_view(), name="feed_export"),
]
