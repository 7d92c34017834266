from stuurwiel.changelog.choices import ChangeSource
from stuurwiel.changelog.context import change_context


class ChangeContextMiddleware:
    """Marks writes made during a request as coming from the UI or the API and
    gives all of them one correlation id (new per request, never taken from the
    client, so nobody can attach their entries to another person's request)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        source = ChangeSource.API if request.path.startswith("/api/") else ChangeSource.UI
        with change_context(source=source, new_correlation=True) as context:
            request.correlation_id = context.correlation_id
            return self.get_response(request)
