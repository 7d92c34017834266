"""The calls' world (a live service whose chain ends in a supplier link), an
endpoint of that supplier, and a receiver on a free local port."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import pytest

from stuurwiel.calls.tests.conftest import api_client, build_world, english, fresh_snapshots
from stuurwiel.organisations.choices import Role
from stuurwiel.webhooks import services

__all__ = ["api_client", "english", "fresh_snapshots"]


@pytest.fixture(autouse=True)
def _local_receivers_allowed(settings):
    """The test receivers listen on 127.0.0.1, which webhooks may reach only
    when the allow-list says so (the address tests clear it)."""
    settings.STUURWIEL_WEBHOOK_ALLOW_HOSTS = ["127.0.0.1"]


@pytest.fixture
def world(org_a, make_member):
    world = build_world(org_a, make_member)
    world.admin = make_member(org_a, Role.ORGANISATION_ADMIN, username="beheerder")
    return world


class Receiver:
    """A local HTTP receiver: records every request, answers ``status`` (and
    ``location`` for a redirect)."""

    def __init__(self) -> None:
        self.requests: list[SimpleNamespace] = []
        self.status = 204
        self.location = ""
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (the standard library's name)
                length = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(length).decode("utf-8")
                headers = {name.lower(): value for name, value in self.headers.items()}
                receiver.requests.append(
                    SimpleNamespace(path=self.path, headers=headers, body=body)
                )
                self.send_response(receiver.status)
                if receiver.location:
                    self.send_header("Location", receiver.location)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):  # keep the test output quiet
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def json(self, index: int = -1):
        return json.loads(self.requests[index].body)


@pytest.fixture
def receiver():
    found = Receiver()
    yield found
    found.close()


@pytest.fixture
def closed_url():
    """An address where nothing listens (a receiver that is down)."""
    down = Receiver()
    url = down.url
    down.close()
    return url


@pytest.fixture
def endpoint_for(world):
    def make(url: str, **data):
        data.setdefault("supplier", world.links.supplier.supplier)
        return services.endpoint_create(
            organisation=world.org, by=world.admin, data={"url": url, **data}
        )

    return make
