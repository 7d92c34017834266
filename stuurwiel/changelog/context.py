"""Where the current write comes from (web, API, command, job).

Set once per request by :class:`~stuurwiel.changelog.middleware.ChangeSourceMiddleware`
and by commands through :func:`change_source`; the acting *user* is always passed
explicitly to services, never taken from here.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar

from stuurwiel.changelog.choices import ChangeSource

_source: ContextVar[str] = ContextVar("stuurwiel_change_source", default=ChangeSource.SYSTEM)


def current_source() -> str:
    return _source.get()


@contextlib.contextmanager
def change_source(source: str) -> Iterator[None]:
    token = _source.set(source)
    try:
        yield
    finally:
        _source.reset(token)
