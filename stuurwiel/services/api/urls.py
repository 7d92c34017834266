from rest_framework.routers import SimpleRouter

from stuurwiel.services.api import views

app_name = "services-api"

router = SimpleRouter()
router.register("services", views.ServiceViewSet, basename="service")
router.register("canvas-items", views.CanvasItemViewSet, basename="canvasitem")
router.register("links", views.LinkViewSet, basename="link")
router.register("interfaces", views.InterfaceViewSet, basename="interface")
router.register("infrastructure", views.InfrastructureComponentViewSet, basename="component")
router.register("approvals", views.DesignApprovalViewSet, basename="approval")

urlpatterns = router.urls
