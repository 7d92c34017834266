from rest_framework.routers import SimpleRouter

from stuurwiel.agreements.api import views

app_name = "agreements-api"

router = SimpleRouter()
router.register("agreements", views.AgreementViewSet, basename="agreement")
router.register("versions", views.AgreementVersionViewSet, basename="agreementversion")
router.register("priority-cells", views.PriorityCellViewSet, basename="prioritycell")

urlpatterns = router.urls
