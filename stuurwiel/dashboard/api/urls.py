from rest_framework.routers import SimpleRouter

from stuurwiel.dashboard.api import views

app_name = "dashboard-api"

router = SimpleRouter()
router.register("signals", views.SignalsViewSet, basename="signals")

urlpatterns = router.urls
