"""Where the current write comes from, and which entries belong together.

Every entry records its *source* (web, API, command, job) and a *correlation id*
shared by all entries written during one request, one command or one background
job, so "what did this save do" is one query. Requests get theirs from
:class:`~stuurwiel.changelog.middleware.ChangeContextMiddleware`, commands from
:class:`~stuurwiel.changelog.commands.WritingCommand`; a job wraps its work in
:func:`change_context` (a context manager that is also a decorator)::

    with change_context(source=ChangeSource.JOB, actor_name="Nachtelijke controle"):
        ...

    @change_context(source=ChangeSource.JOB)
    def run_sla_clock(): ...

Contexts nest: an inner one without a ``correlation_id`` keeps the outer id, so
a job started by a request stays part of that request unless it asks for its own.
The acting *user* is still passed explicitly to services, never taken from here;
``actor_name`` only names who acts when there is no user ("Demo", a job's name).
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass

from stuurwiel.changelog.choices import ChangeSource


@dataclass(frozen=True)
class ChangeContext:
    source: str = ChangeSource.SYSTEM
    correlation_id: uuid.UUID | None = None
    actor_name: str = ""


_NONE = ChangeContext()
_current: ContextVar[ChangeContext | None] = ContextVar("stuurwiel_change_context", default=None)


def current_context() -> ChangeContext:
    return _current.get() or _NONE


def current_source() -> str:
    return current_context().source


def current_correlation_id() -> uuid.UUID | None:
    return current_context().correlation_id


@contextlib.contextmanager
def change_context(
    *,
    source: str | None = None,
    correlation_id: uuid.UUID | str | None = None,
    actor_name: str | None = None,
    new_correlation: bool = False,
) -> Iterator[ChangeContext]:
    """Run the body as one unit of work in the change log.

    ``source`` defaults to the enclosing context's; ``correlation_id`` to the
    enclosing one's, or a fresh id when there is none (or ``new_correlation``).
    Yields the context, so a job can store its correlation id with its own record.
    """
    outer = current_context()
    if correlation_id is not None:
        correlation = uuid.UUID(str(correlation_id))
    elif outer.correlation_id is not None and not new_correlation:
        correlation = outer.correlation_id
    else:
        correlation = uuid.uuid4()
    context = ChangeContext(
        source=source or outer.source,
        correlation_id=correlation,
        actor_name=outer.actor_name if actor_name is None else actor_name,
    )
    token = _current.set(context)
    try:
        yield context
    finally:
        _current.reset(token)


def change_source(source: str) -> contextlib.AbstractContextManager[ChangeContext]:
    """Shorthand kept for callers that only set the source (a new unit of work)."""
    return change_context(source=source, new_correlation=True)
