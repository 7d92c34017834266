from rest_framework.routers import SimpleRouter

from stuurwiel.frameworks.api import views

router = SimpleRouter()
# "parts" first: it is reserved as a framework ref_id (see the library schema).
router.register("parts", views.FrameworkPartViewSet, basename="part")
router.register("", views.FrameworkViewSet, basename="framework")

app_name = "frameworks-api"
urlpatterns = router.urls
