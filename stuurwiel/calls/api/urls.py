from rest_framework.routers import SimpleRouter

from stuurwiel.calls.api import views

app_name = "calls-api"

router = SimpleRouter()
router.register("calls", views.CallViewSet, basename="call")

urlpatterns = router.urls
