"""Error pages: HTML for people, JSON under ``/api/`` (an API client must never
have to parse an HTML page, not even for a 500)."""

from __future__ import annotations

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults


def _api(request) -> bool:
    return request.path.startswith("/api/")


def bad_request(request, exception=None):
    if _api(request):
        return JsonResponse({"detail": _("The request is not valid.")}, status=400)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception=None):
    if _api(request):
        message = (
            str(exception) if exception and str(exception) else _("Your roles do not allow this.")
        )
        return JsonResponse({"detail": message}, status=403)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception=None):
    if _api(request):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if _api(request):
        return JsonResponse(
            {"detail": _("Something went wrong on our side. It has been logged; try again later.")},
            status=500,
        )
    return defaults.server_error(request)
