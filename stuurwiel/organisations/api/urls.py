from rest_framework.routers import SimpleRouter

from stuurwiel.organisations.api import views

router = SimpleRouter()
router.register("members", views.MembershipViewSet, basename="membership")

app_name = "organisations-api"
urlpatterns = router.urls
