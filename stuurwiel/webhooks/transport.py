"""One HTTP POST to a receiver, with the standard library: a short timeout, only
http(s) addresses, and no redirects followed at all (a redirect could send a
signed message to another host; it counts as a failed attempt instead)."""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from dataclasses import dataclass

TIMEOUT_SECONDS = 5
ERROR_MAX = 500  # characters of an error kept on the delivery
USER_AGENT = "Stuurwiel-Webhooks/1"


@dataclass(frozen=True)
class Answer:
    """What one attempt got: the status code (``None`` if none came) or an error."""

    status_code: int | None
    error: str
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # urllib then raises HTTPError with the 3xx code


_opener = urllib.request.build_opener(_NoRedirects())


def allowed_url(url: str) -> bool:
    return url.lower().startswith(("http://", "https://"))


def post(url: str, *, body: str, headers: dict[str, str]) -> Answer:
    """POST ``body`` (JSON) to ``url``; never raises for the receiver's faults."""
    started = time.monotonic()

    def answer(code: int | None, error: str = "") -> Answer:
        elapsed = int((time.monotonic() - started) * 1000)
        return Answer(code, error[:ERROR_MAX], elapsed)

    if not allowed_url(url):
        return answer(None, "refused: only http:// and https:// addresses are called")
    request = urllib.request.Request(
        url,
        data=body.encode("utf-8"),
        method="POST",
        headers={"Content-Type": "application/json", "User-Agent": USER_AGENT, **headers},
    )
    try:
        with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            return answer(response.status)
    except urllib.error.HTTPError as exc:
        exc.close()
        return answer(exc.code, f"HTTP {exc.code} {exc.reason}")
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return answer(None, f"{type(exc).__name__}: {reason}")
