from rest_framework.routers import SimpleRouter

from stuurwiel.graph.api import views

router = SimpleRouter()
router.register("subjects", views.SubjectViewSet, basename="subject")
router.register("elements", views.ElementViewSet, basename="element")
router.register("relations", views.RelationViewSet, basename="relation")

app_name = "graph-api"
urlpatterns = router.urls
