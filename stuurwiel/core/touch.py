"""Telling derived data that a write touched some subjects.

The connected model (``graph``) and the apps that write into it (services,
organisations' roles) do not depend on the apps that derive from it (the
coherence engine keeps findings per subject). Those apps register a listener
here when they start (their ``AppConfig.ready``); a write service calls
:func:`subjects_touched` inside its transaction, so whatever is derived is kept
current in the same transaction — in a request, a command or a job alike. No
Django signal: the call is written out in every service that needs it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

Listener = Callable[..., None]
_LISTENERS: list[Listener] = []


def listen(listener: Listener) -> None:
    if listener not in _LISTENERS:
        _LISTENERS.append(listener)


def subjects_touched(*, organisation, subject_ids: Iterable[int | None]) -> None:
    """``subject_ids`` (``None`` entries ignored) changed in ``organisation``."""
    ids = sorted({pk for pk in subject_ids if pk is not None})
    if not ids:
        return
    for listener in _LISTENERS:
        listener(organisation=organisation, subject_ids=ids)
