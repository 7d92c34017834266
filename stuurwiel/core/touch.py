"""Telling derived data that a write touched some subjects.

The connected model (``graph``) and the apps that write into it (services,
organisations' roles) do not depend on the apps that derive from it (the
coherence engine keeps findings per subject). Those apps register a listener
here when they start (their ``AppConfig.ready``); a write service calls
:func:`subjects_touched` inside its transaction, so whatever is derived is kept
current in the same transaction — in a request, a command or a job alike. No
Django signal: the call is written out in every service that needs it.

A write may say what of the subjects it touched (:class:`Touched`): a listener
then redoes only what reads that (the coherence engine runs only the rules
whose kind reads it). Without it, everything of the subjects counts as touched.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from enum import StrEnum

Listener = Callable[..., None]
_LISTENERS: list[Listener] = []


class Touched(StrEnum):
    """What of a subject a write changed."""

    PARTS = "parts"  # its elements, their types and the parts they answer
    LINKS = "links"  # the relations of its elements
    REVIEWS = "reviews"  # when its elements last changed (and nothing else of them)
    ROLES = "roles"  # who holds which role for it
    CHAINS = "chains"  # the chain of the service it is
    SUBJECT = "subject"  # the subject itself (kind, owner, frameworks)


def listen(listener: Listener) -> None:
    """Register ``listener(organisation=…, subject_ids=[…], touched=frozenset | None)``."""
    if listener not in _LISTENERS:
        _LISTENERS.append(listener)


def subjects_touched(
    *,
    organisation,
    subject_ids: Iterable[int | None],
    touched: Iterable[Touched] | None = None,
) -> None:
    """``subject_ids`` (``None`` entries ignored) changed in ``organisation``;
    ``touched`` says what of them (``None``: anything)."""
    ids = sorted({pk for pk in subject_ids if pk is not None})
    if not ids:
        return
    what = None if touched is None else frozenset(Touched(item) for item in touched)
    if what is not None and not what:
        return
    for listener in _LISTENERS:
        listener(organisation=organisation, subject_ids=ids, touched=what)
