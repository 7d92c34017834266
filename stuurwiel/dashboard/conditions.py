"""The conditions behind the signals, shared by the roll-up (which counts them per
day) and the drill-down lists (which read the calls behind a figure): one
definition of a watermelon, a hand-over back and a wait, so that a figure and
its calls always agree."""

from __future__ import annotations

from typing import Any

from django.db.models import (
    Case,
    Exists,
    F,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    When,
)
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast

from stuurwiel.calls.choices import ClockState, EventKind
from stuurwiel.calls.models import Call, CallEvent, ClockResult, LinkSegment

INCIDENT = "incident"
RISK = "risico"


def _melons(chain_clocks: QuerySet[ClockResult]) -> QuerySet[ClockResult]:
    """Of ``chain_clocks``, the breached chain (SA) clocks whose norm kind has link
    clocks and every one of them met."""
    links = ClockResult.objects.filter(
        call=OuterRef("call_id"), norm_kind=OuterRef("norm_kind"), link__isnull=False
    )
    return (
        chain_clocks.filter(link__isnull=True, state=ClockState.BREACHED)
        .filter(Exists(links))
        .exclude(Exists(links.exclude(state=ClockState.MET)))
    )


def watermelon_ids(calls: QuerySet[Call]) -> QuerySet[ClockResult, Any]:
    """The ids of the calls whose chain clock of a norm kind is breached while every
    link clock of that kind is met (and there is one). Read from the breached chain
    clocks (a tenth of the calls or so): asking six EXISTS of every call of the
    period cost PostgreSQL two seconds at a million calls."""
    return _melons(ClockResult.objects.filter(call__in=calls.values("pk"))).values("call_id")


def is_watermelon() -> Exists:
    """:func:`watermelon_ids` asked of one call (a list walking the calls newest
    first asks it of each until its page is full)."""
    return Exists(_melons(ClockResult.objects.filter(call=OuterRef("pk"))))


def breached() -> Exists:
    """A call with a breached clock (any: the chain's or a link's)."""
    return Exists(ClockResult.objects.filter(call=OuterRef("pk"), state=ClockState.BREACHED))


def escalated() -> Exists:
    """A call escalated at least once."""
    return Exists(CallEvent.objects.filter(call=OuterRef("pk"), kind=EventKind.ESCALATED))


def _returns(handovers: QuerySet[CallEvent]) -> QuerySet[CallEvent]:
    held_before = LinkSegment.objects.filter(
        call=OuterRef("call_id"), link=OuterRef("to_link_id"), started_at__lt=OuterRef("at")
    )
    return (
        handovers.filter(kind=EventKind.HANDED_OVER, link__isnull=False)
        .exclude(data__routed=True)
        .exclude(link=F("to_link"))
        .filter(Exists(held_before))
    )


def returns_of(calls: QuerySet[Call]) -> QuerySet[CallEvent]:
    """The hand-overs of ``calls`` back to a link that held the call before
    (A → B → A): by a person, not the workflow moving the call to the link of its
    next step (those are marked ``routed``; a chain whose steps alternate between
    two links is not ping-pong)."""
    return _returns(CallEvent.objects.filter(call__in=calls.values("pk")))


def handed_back() -> Exists:
    """:func:`returns_of` asked of one call: was it handed back at least once."""
    return Exists(_returns(CallEvent.objects.filter(call=OuterRef("pk"))))


def waits_of(calls: QuerySet[Call]) -> QuerySet[Any, Any]:
    """The assignments of ``calls``, each with its ``operator`` (the one in the
    event's data; without one, the call's assignee) and ``next_at``, when that
    operator next completed a step of the call (``None``: not yet)."""
    operator = Case(
        When(
            data__has_key="operator",
            then=Cast(KeyTextTransform("operator", "data"), IntegerField()),
        ),
        default=F("call__assignee_id"),
        output_field=IntegerField(),
    )
    next_step = (
        CallEvent.objects.filter(
            call=OuterRef("call_id"),
            kind=EventKind.STEP_COMPLETED,
            actor_id=OuterRef("operator"),
            at__gt=OuterRef("at"),
        )
        .order_by("at")
        .values("at")[:1]
    )
    return (
        CallEvent.objects.filter(call__in=calls.values("pk"), kind=EventKind.ASSIGNED)
        .annotate(operator=operator)
        .annotate(next_at=Subquery(next_step))
    )
