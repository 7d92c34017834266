"""Writes of the coherence engine: a full evaluation of an organisation, and
the incremental one a write of the connected model asks for (registered with
:mod:`stuurwiel.core.touch` when the app starts), and a manager's mark that
the coherence was reviewed."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction

from stuurwiel.changelog.choices import ChangeAction
from stuurwiel.changelog.services import change_record, snapshot
from stuurwiel.coherence import engine
from stuurwiel.coherence.models import CoherenceReview
from stuurwiel.core import clock
from stuurwiel.core.touch import Touched
from stuurwiel.organisations import access


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


@transaction.atomic
def coherence_review_mark(*, organisation, by, note: str = "") -> CoherenceReview:
    """Record that the organisation's coherence was reviewed now, by ``by``
    (who needs ``coherence.review``); the change log keeps who and when."""
    review = CoherenceReview(
        organisation=organisation, reviewed_at=clock.now(), reviewed_by=by, note=note.strip()[:300]
    )
    access.require(by=by, organisation=organisation, action="review", obj=review)
    review.save()
    change_record(instance=review, action=ChangeAction.CREATE, by=by, after=snapshot(review))
    return review
