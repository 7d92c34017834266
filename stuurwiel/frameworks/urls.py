from django.urls import path

from stuurwiel.frameworks import views

app_name = "frameworks"

urlpatterns = [
    path("", views.FrameworkListView.as_view(), name="framework_list"),
    # Before the detail pattern: "load" is reserved as a framework ref_id (see the schema).
    path("load/", views.FrameworkLoadView.as_view(), name="framework_load"),
    path("<slug:ref_id>/", views.FrameworkDetailView.as_view(), name="framework_detail"),
]
