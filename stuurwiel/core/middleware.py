"""Requests whose URL or form data hold characters no database can store (a NUL,
a broken UTF-16 surrogate) are refused with 400 before any view runs: PostgreSQL
raised on them deep inside a lookup (``/api/frameworks/parts/%00/``), a 500."""

from __future__ import annotations

from django.http import HttpResponseBadRequest, JsonResponse, QueryDict
from django.utils.translation import gettext as _

from stuurwiel.core.text import text_problem


class UnstorableInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._problem(request):
            message = _("The address or the form holds a character that cannot be stored.")
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=400)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    @staticmethod
    def _problem(request) -> bool:
        if text_problem(request.path):
            return True
        for key, values in request.GET.lists():
            if text_problem(key) or any(text_problem(v) for v in values):
                return True
        content_type = request.content_type or ""
        if request.method == "POST" and content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            form = request.POST
        elif request.method in ("PUT", "PATCH", "DELETE") and content_type == (
            "application/x-www-form-urlencoded"
        ):
            # Django parses form bodies of POST only; the API's form parser takes others.
            form = QueryDict(request.body, encoding=request.encoding)
        else:
            return False
        return any(
            text_problem(key) or any(text_problem(v) for v in values)
            for key, values in form.lists()
        )
