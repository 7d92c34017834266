"""Writes of the coherence engine: a full evaluation of an organisation, and
the incremental one a write of the connected model asks for (registered with
:mod:`stuurwiel.core.touch` when the app starts)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction

from stuurwiel.coherence import engine
from stuurwiel.core.touch import Touched


@transaction.atomic
def coherence_evaluate(*, organisation, now: datetime | None = None) -> engine.Report:
    """Every subject of the organisation, every rule of its applied frameworks."""
    return engine.evaluate(organisation=organisation, now=now)


def findings_refresh(
    *, organisation, subject_ids: Iterable[int], touched: frozenset[Touched] | None = None
) -> engine.Report:
    """The findings of the subjects a write touched (inside the write's
    transaction); with ``touched``, only of the rules reading what it names."""
    return engine.evaluate(
        organisation=organisation, subject_ids=list(subject_ids), touched=touched
    )
