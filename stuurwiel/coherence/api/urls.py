from rest_framework.routers import SimpleRouter

from stuurwiel.coherence.api import views

app_name = "coherence-api"

router = SimpleRouter()
router.register("findings", views.FindingViewSet, basename="finding")
router.register("scores", views.ScoreViewSet, basename="score")

urlpatterns = router.urls
