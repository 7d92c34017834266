"""One HTTP POST to a receiver, with the standard library: a short timeout, only
http(s) addresses, only public ones (:mod:`stuurwiel.webhooks.addresses`,
checked at every attempt and connected to exactly as checked), and no redirects
followed at all (a redirect could send a signed message to another host; it
counts as a failed attempt instead)."""

from __future__ import annotations

import http.client
import socket
import ssl
import time
from dataclasses import dataclass

from stuurwiel.webhooks.addresses import AddressRefused, Target, resolve_public

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


class _PinnedHTTP(http.client.HTTPConnection):
    """Connects to the address that was checked, whatever DNS says now."""

    def __init__(self, target: Target, **kwargs) -> None:
        super().__init__(target.host, target.port, **kwargs)
        self._address = target.address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    """As :class:`_PinnedHTTP`, and the certificate is checked for the host name."""

    def __init__(self, target: Target, **kwargs) -> None:
        super().__init__(target.host, target.port, context=ssl.create_default_context(), **kwargs)
        self._address = target.address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


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
    try:
        target = resolve_public(url)
    except AddressRefused as exc:
        return answer(None, f"refused: {exc.message}")
    except (OSError, ValueError) as exc:
        return answer(None, f"{type(exc).__name__}: {exc}")
    kind = _PinnedHTTPS if target.scheme == "https" else _PinnedHTTP
    connection = kind(target, timeout=TIMEOUT_SECONDS)
    try:
        connection.request(
            "POST",
            target.path,
            body=body.encode("utf-8"),
            headers={"Content-Type": "application/json", "User-Agent": USER_AGENT, **headers},
        )
        response = connection.getresponse()
        response.read(64 * 1024)  # the answer's body is not used; read a little, politely
        if 200 <= response.status < 300:
            return answer(response.status)
        return answer(response.status, f"HTTP {response.status} {response.reason}")
    except (OSError, http.client.HTTPException, ValueError) as exc:
        return answer(None, f"{type(exc).__name__}: {exc}")
    finally:
        connection.close()
