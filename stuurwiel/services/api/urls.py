from rest_framework.routers import SimpleRouter

app_name = "services-api"

router = SimpleRouter()

urlpatterns = router.urls
