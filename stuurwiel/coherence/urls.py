from django.urls import path

from stuurwiel.coherence import views

app_name = "coherence"

urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
    path("review/", views.ReviewMarkView.as_view(), name="review_mark"),
    path("subjects/<int:pk>/", views.SubjectFindingsView.as_view(), name="subject_findings"),
    path("trace/<int:pk>/", views.ElementTraceView.as_view(), name="element_trace"),
]
