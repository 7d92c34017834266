from rest_framework.routers import SimpleRouter

app_name = "calendars-api"

router = SimpleRouter()

urlpatterns = router.urls
