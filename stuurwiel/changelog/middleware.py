from stuurwiel.changelog.choices import ChangeSource
from stuurwiel.changelog.context import change_source


class ChangeSourceMiddleware:
    """Marks writes made during a request as coming from the UI or the API."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        source = ChangeSource.API if request.path.startswith("/api/") else ChangeSource.UI
        with change_source(source):
            return self.get_response(request)
