from rest_framework.routers import SimpleRouter

from stuurwiel.parties.api import views

router = SimpleRouter()
router.register("teams", views.TeamViewSet, basename="team")
router.register("persons", views.PersonViewSet, basename="person")
router.register("suppliers", views.SupplierViewSet, basename="supplier")
router.register("stakeholders", views.StakeholderViewSet, basename="stakeholder")

app_name = "parties-api"
urlpatterns = router.urls
