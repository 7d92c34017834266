from rest_framework.routers import SimpleRouter

from stuurwiel.changelog.api import views

router = SimpleRouter()
router.register("", views.ChangeLogEntryViewSet, basename="change")

app_name = "changelog-api"
urlpatterns = router.urls
