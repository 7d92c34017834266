from rest_framework.routers import SimpleRouter

app_name = "agreements-api"

router = SimpleRouter()

urlpatterns = router.urls
