from rest_framework.routers import SimpleRouter

from stuurwiel.calendars.api import views

router = SimpleRouter()
router.register("calendars", views.BusinessCalendarViewSet, basename="calendar")
router.register("windows", views.ServiceWindowViewSet, basename="window")
router.register("closed-days", views.ClosedDayViewSet, basename="closedday")

app_name = "calendars-api"
urlpatterns = router.urls
