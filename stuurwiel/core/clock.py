"""The one clock the services read.

Services take "now" from :func:`now` instead of ``timezone.now()``, so that one
place can set the time for a whole run of writes: the demo builds six months of
history by driving the real services at past instants (``with clock.at(t): ...``),
and the events, clocks and change log of that history then agree with each other.
Outside such a block it is simply the current time. The setting is a context
variable, so it stays within the thread (or task) that set it.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime
from collections.abc import Iterator

from django.utils import timezone

_fixed: contextvars.ContextVar[datetime.datetime | None] = contextvars.ContextVar(
    "stuurwiel_clock", default=None
)


def now() -> datetime.datetime:
    """The current instant, or the one set by :func:`at` (aware, UTC)."""
    fixed = _fixed.get()
    return fixed if fixed is not None else timezone.now()


@contextlib.contextmanager
def at(instant: datetime.datetime) -> Iterator[None]:
    """Let :func:`now` answer ``instant`` inside the block (must be aware)."""
    if timezone.is_naive(instant):
        raise ValueError("clock.at needs an aware datetime")
    token = _fixed.set(instant)
    try:
        yield
    finally:
        _fixed.reset(token)
