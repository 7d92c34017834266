from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from stuurwiel.core.views.api_root import ApiRootView
from stuurwiel.organisations.forms import InvitationPasswordResetForm
from stuurwiel.web import pages

org_patterns = [
    path("", include("stuurwiel.organisations.urls")),
    path("parties/", include("stuurwiel.parties.urls")),
    path("model/", include("stuurwiel.graph.urls")),
    path("model/", include("stuurwiel.diagrams.urls")),
    path("coherence/", include("stuurwiel.coherence.urls")),
    path("changes/", include("stuurwiel.changelog.urls")),
    path("frameworks/", include("stuurwiel.frameworks.urls")),
    path("services/", include("stuurwiel.services.urls")),
    path("agreements/", include("stuurwiel.agreements.urls")),
    path("calendars/", include("stuurwiel.calendars.urls")),
    path("calls/", include("stuurwiel.calls.urls")),
    path("notifications/", include("stuurwiel.notifications.urls")),
    path("dashboard/", include("stuurwiel.dashboard.urls")),
    path("webhooks/", include("stuurwiel.webhooks.urls")),
]

api_org_patterns = [
    path("", include("stuurwiel.organisations.api.urls")),
    path("parties/", include("stuurwiel.parties.api.urls")),
    path("model/", include("stuurwiel.graph.api.urls")),
    path("coherence/", include("stuurwiel.coherence.api.urls")),
    path("changes/", include("stuurwiel.changelog.api.urls")),
    path("services/", include("stuurwiel.services.api.urls")),
    path("agreements/", include("stuurwiel.agreements.api.urls")),
    path("calendars/", include("stuurwiel.calendars.api.urls")),
    path("calls/", include("stuurwiel.calls.api.urls")),
    path("dashboard/", include("stuurwiel.dashboard.api.urls")),
    path("notifications/", include("stuurwiel.notifications.api.urls")),
]

urlpatterns = [
    path("", pages.HomeView.as_view(), name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "accounts/password/reset/",
        # Also for invited people whose link expired (they have no password yet).
        auth_views.PasswordResetView.as_view(form_class=InvitationPasswordResetForm),
        name="password_reset",
    ),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("organisations/", include("stuurwiel.organisations.installation_urls")),
    path("o/<slug:org>/", include(org_patterns)),
    path("api/", ApiRootView.as_view(), name="api-root"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("api/frameworks/", include("stuurwiel.frameworks.api.urls")),
    path("api/organisations/", include("stuurwiel.organisations.api.installation_urls")),
    path("api/o/<slug:org>/", include(api_org_patterns)),
    path("admin/", admin.site.urls),
]

handler400 = "stuurwiel.core.views.errors.bad_request"
handler403 = "stuurwiel.core.views.errors.permission_denied"
handler404 = "stuurwiel.core.views.errors.page_not_found"
handler500 = "stuurwiel.core.views.errors.server_error"
