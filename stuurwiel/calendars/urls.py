from django.urls import path

from stuurwiel.calendars import views

app_name = "calendars"

urlpatterns = [
    path("", views.CalendarListView.as_view(), name="calendar_list"),
    path("add/", views.CalendarEditView.as_view(), name="calendar_add"),
    path("<int:pk>/", views.CalendarDetailView.as_view(), name="calendar_detail"),
    path("<int:pk>/edit/", views.CalendarEditView.as_view(), name="calendar_edit"),
    path("<int:pk>/delete/", views.CalendarDeleteView.as_view(), name="calendar_delete"),
    path("<int:pk>/history/", views.CalendarHistoryView.as_view(), name="calendar_history"),
    path("<int:pk>/ical/", views.CalendarIcalView.as_view(), name="calendar_ical"),
    path("<int:pk>/copy/", views.CalendarCopyView.as_view(), name="calendar_copy"),
    path("<int:pk>/hours/add/", views.CalendarWindowsAddView.as_view(), name="calendar_windows"),
    path("<int:pk>/holidays/", views.CalendarHolidaysView.as_view(), name="calendar_holidays"),
    path("<int:pk>/feed/", views.CalendarFeedImportView.as_view(), name="calendar_feed_import"),
    path("windows/", views.ServiceWindowListView.as_view(), name="window_list"),
    path("windows/add/", views.ServiceWindowEditView.as_view(), name="window_add"),
    path("windows/<int:pk>/", views.ServiceWindowDetailView.as_view(), name="window_detail"),
    path("windows/<int:pk>/edit/", views.ServiceWindowEditView.as_view(), name="window_edit"),
    path(
        "windows/<int:pk>/delete/",
        views.ServiceWindowDeleteView.as_view(),
        name="window_delete",
    ),
    path(
        "windows/<int:pk>/history/",
        views.ServiceWindowHistoryView.as_view(),
        name="window_history",
    ),
    path("closed-days/", views.ClosedDayListView.as_view(), name="closedday_list"),
    path("closed-days/add/", views.ClosedDayEditView.as_view(), name="closedday_add"),
    path("closed-days/<int:pk>/", views.ClosedDayDetailView.as_view(), name="closedday_detail"),
    path("closed-days/<int:pk>/edit/", views.ClosedDayEditView.as_view(), name="closedday_edit"),
    path(
        "closed-days/<int:pk>/delete/",
        views.ClosedDayDeleteView.as_view(),
        name="closedday_delete",
    ),
    path(
        "closed-days/<int:pk>/history/",
        views.ClosedDayHistoryView.as_view(),
        name="closedday_history",
    ),
    path(
        "closed-days/<int:pk>/toggle/",
        views.ClosedDayToggleView.as_view(),
        name="closedday_toggle",
    ),
]
