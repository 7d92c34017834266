"""Writes on calls: register, take a transition, assign, coordinate, hand over,
escalate, comment. Each is one transaction; each locks the call and checks the
``version`` the caller read, so of two concurrent writes exactly one wins and the
other gets a :class:`~stuurwiel.core.exceptions.ConflictError` (409).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from stuurwiel.calls import clocks, intake, routing
from stuurwiel.calls.choices import CallStatus, Channel, EventKind
from stuurwiel.calls.definitions import current_snapshot, definition_of
from stuurwiel.calls.events import event_build, events_record
from stuurwiel.calls.facts import call_facts, member_roles, relaxed_rules
from stuurwiel.calls.models import Call, CallCounter, CallEvent, LinkSegment
from stuurwiel.changelog.choices import ChangeAction
from stuurwiel.changelog.services import actor_name, change_entry, snapshot
from stuurwiel.core import clock
from stuurwiel.core.exceptions import ConflictError
from stuurwiel.core.gathered import gathered
from stuurwiel.core.text import clean_text
from stuurwiel.organisations import access
from stuurwiel.organisations.choices import Role
from stuurwiel.workflow import engine
from stuurwiel.workflow.definition import Definition
from stuurwiel.workflow.guards import Blocker

TEXT_MAX = 10_000


def _text(value: Any, *, field: str, max_length: int, required: bool = False) -> str:
    """Storable text, stripped; a required field may not be left empty."""
    text = clean_text(value, field=field, max_length=max_length).strip()
    if required and not text:
        raise ValidationError({field: _("This field is required.")}, code="required")
    return text


class ServiceNotLive(ValidationError):
    """A call for a service that does not take calls: the design gate's gaps."""

    def __init__(self, service, gaps: list) -> None:
        self.gaps = gaps
        message = _("“{service}” is not live, so it takes no calls yet.").format(service=service)
        super().__init__({"service": [ValidationError(message, code="service_not_live")]})


class TransitionNotOffered(Exception):
    """The call's state does not offer this transition (409): ``options`` are the
    ones it does, each allowed or with what blocks it."""

    def __init__(self, options: list[engine.Option]) -> None:
        self.options = options
        super().__init__(_("This transition is not possible in the call's current step."))


class TransitionBlocked(Exception):
    """The state offers the transition, but a role or separation rule blocks it
    for this member (403), with the blockers and the other options."""

    def __init__(self, blockers: tuple[Blocker, ...], options: list[engine.Option]) -> None:
        self.blockers = blockers
        self.options = options
        super().__init__(" ".join(blocker.message for blocker in blockers))


class CallActionRefused(Exception):
    """A write on a call that the member's place in it does not allow (403)."""

    def __init__(self, message: str, code: str) -> None:
        self.message = message
        self.code = code
        super().__init__(message)


# --- Registering ---------------------------------------------------------------------


def _next_number(organisation, year: int) -> str:
    """The next number of the organisation's year, e.g. ``MI-2026-000123``: one
    ``UPDATE … RETURNING`` (PostgreSQL, SQLite ≥ 3.35), which also serialises two
    intakes at once; the year's first call creates the counter."""
    table = CallCounter._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET last = last + 1 WHERE organisation_id = %s AND year = %s "
            "RETURNING last",
            [organisation.pk, year],
        )
        row = cursor.fetchone()
    if row is None:
        try:
            with transaction.atomic():
                CallCounter.objects.create(organisation=organisation, year=year, last=1)
            last = 1
        except IntegrityError:  # another intake created it first
            return _next_number(organisation, year)
    else:
        last = row[0]
    return _number(organisation, year, last)


def _number(organisation, year: int, last: int) -> str:
    prefix = (organisation.slug[:2] or "X").upper()
    return f"{prefix}-{year}-{last:06d}"


def _priority(definition: Definition, reads, call_type: str, impact: str, urgency: str):
    """The call's priority: the organisation's own cell of the matrix the type
    uses (read by :func:`intake.intake_reads`), else the library's default."""
    from stuurwiel.agreements.choices import MatrixKind
    from stuurwiel.agreements.library import priority_library

    if not impact and not urgency:
        return None
    kind = MatrixKind.RISK if definition.call_types[call_type].risk_priority else MatrixKind.CALL
    priority = reads.cells[kind]
    if priority is None:
        priority = priority_library(key=reads.library).matrix(kind).cells.get((impact, urgency))
    if priority is None:
        raise ValidationError(
            {"impact": _("This combination of levels is not in the priority matrix.")},
            code="unknown_level",
        )
    return priority


def _check_service(service) -> None:
    from stuurwiel.services.choices import ServiceStatus
    from stuurwiel.services.gate import gate_gaps

    if service.status != ServiceStatus.LIVE:
        raise ServiceNotLive(service, gate_gaps(service))


def _registrar_requester(by, organisation, requester):
    """A requester reports for themselves; staff register on someone's behalf."""
    roles = member_roles(by, organisation)
    if requester is None and roles and roles <= {Role.REQUESTER}:
        return by
    return requester


@transaction.atomic
def call_register(
    *,
    organisation,
    service,
    call_type: str,
    title: str,
    by,
    description: str = "",
    channel: str = Channel.PORTAL,
    requester=None,
    requester_name: str = "",
    requester_contact: str = "",
    impact: str = "",
    urgency: str = "",
    category: str = "",
    origin: Call | None = None,
) -> Call:
    """Register a call for a live service; it enters the process its type starts,
    at the link of the chain that performs that process's first step."""
    title = _text(title, field="title", max_length=200, required=True)
    description = _text(description, field="description", max_length=TEXT_MAX)
    if channel not in Channel.values:
        raise ValidationError({"channel": _("Unknown channel.")}, code="invalid")
    now = clock.now()
    reads = intake.intake_reads(
        organisation=organisation, service=service, row=impact, column=urgency, year=now.year
    )
    snapshot_row = current_snapshot(reads.library[1] if reads.library else None)
    definition = definition_of(snapshot_row)
    if call_type not in definition.call_types:
        raise ValidationError({"call_type": _("Unknown call type.")}, code="invalid")
    if service.organisation_id != organisation.pk:
        raise ValidationError({"service": _("Choose a service of your own organisation.")})
    requester = _registrar_requester(by, organisation, requester)
    state = engine.start(definition, call_type)
    call = Call(
        organisation=organisation,
        service=service,
        call_type=call_type,
        title=title,
        description=description,
        channel=channel,
        requester=requester,
        requester_name=requester_name or (actor_name(requester, organisation) if requester else ""),
        requester_contact=_text(requester_contact, field="requester_contact", max_length=200),
        registered_by=by if getattr(by, "is_authenticated", False) else None,
        impact=impact,
        urgency=urgency,
        category=_text(category, field="category", max_length=100),
        workflow=snapshot_row,
        state=engine.state_as_data(state),
        process=state.root.process,
        step=state.root.step,
        registered_at=now,
        origin=origin,
    )
    access.require(by=by, organisation=organisation, action="register", obj=call)
    _check_service(service)
    call.priority = _priority(definition, reads, call_type, impact, urgency)
    call.sa_version_id = reads.sa_version_id
    chain = routing.chain_of(service)
    first = routing.link_for(chain, state.root.step, current=None)
    call.current_link = first
    if reads.counter_last is None:
        call.number = _next_number(organisation, now.year)
    else:  # taken by the reads already (PostgreSQL)
        call.number = _number(organisation, now.year, reads.counter_last)
    call.clocks_stale = True  # clocks: the sweep computes them (no statement here)
    # On PostgreSQL the rows below go out as one statement (ids reserved by the reads).
    with gathered(ids=reads.ids):
        _intake_rows(call, by=by, first=first, chain=chain, now=now)
    return call


def _intake_rows(call: Call, *, by, first, chain, now) -> None:
    """The new call's rows: the call, its registered event (and what follows from
    it: the outbox row), its first link's segment and its change-log entry."""
    organisation, description, channel = call.organisation, call.description, call.channel
    intake.rows_insert(call)
    name = actor_name(by, organisation) if getattr(by, "is_authenticated", False) else ""
    event = event_build(
        call,
        EventKind.REGISTERED,
        by=call.registered_by,
        now=now,
        name=name or call.requester_name,
        to_link=first,
        text=description,
        public=True,
        data={"channel": channel, "call_type": call.call_type},
    )
    if first is not None:
        segment = LinkSegment(
            organisation=organisation,
            call=call,
            link=first,
            started_at=now,
            passes=routing.passes(chain, None, first),
        )
        intake.rows_insert(segment)
    events_record(call, [event], insert=intake.rows_insert)
    entry = change_entry(instance=call, action=ChangeAction.CREATE, by=by, after=snapshot(call))
    if entry is not None:
        intake.rows_insert(entry)


# --- Transitions ---------------------------------------------------------------------


def _locked(call: Call, version: int) -> Call:
    fresh = (
        Call.objects.select_for_update(of=("self",))
        .select_related("service__owner", "organisation", "current_link", "workflow")
        .get(pk=call.pk)
    )
    if int(version) != fresh.version:
        raise ConflictError(fresh.version)
    return fresh


def call_options(*, call: Call, by) -> list[engine.Option]:
    """The transitions the call's state offers, each allowed for ``by`` or not."""
    definition = definition_of(call.workflow)
    state = engine.state_from_data(call.state)
    facts = replace(call_facts(call, by, definition), relaxed=relaxed_rules(call))
    return engine.options(definition, state, facts)


def _sync_state(call: Call, definition: Definition, state: engine.State, now) -> None:
    call.state = engine.state_as_data(state)
    call.status = state.status
    run = state.active
    call.process = run.process if run else call.process
    call.step = run.step if run else ""
    pattern = engine.derived_pattern(definition, state)
    call.pattern = pattern.number if pattern else None
    if state.status == CallStatus.WORKFLOW_FULFILLED and call.confirmed_at is None:
        call.confirmed_at = now
    if state.status == CallStatus.OPEN:
        call.confirmed_at = None
    if state.status == CallStatus.CLOSED:
        call.closed_at = now


def _event_rows(call: Call, happened: list[engine.Event], by, name: str, now, note: str):
    return [
        event_build(
            call,
            event.kind,
            by=by,
            now=now,
            name=name,
            run=event.run,
            process=event.process,
            step=event.step,
            link=call.current_link,
            text=note if event.kind in ("step_completed", "confirmed", "reopened") else "",
            public=event.kind in ("confirmed", "reopened", "closed", "process_fulfilled"),
            data={"target": event.target, **event.data} if event.target else dict(event.data),
        )
        for event in happened
    ]


def _chosen(offered: list[engine.Option], transition: str, target: str):
    return next(
        (o for o in offered if o.name == transition and (o.target == target or not o.target)),
        None,
    )


@transaction.atomic
def call_transition(
    *,
    call: Call,
    by,
    transition: str,
    version: int,
    target: str = "",
    note: str = "",
    risks: list[dict] | None = None,
) -> Call:
    """Take ``transition`` (complete, fork with ``target``, confirm, reopen) on
    the call's current step. Not offered: :class:`TransitionNotOffered`; offered
    but blocked for ``by``: :class:`TransitionBlocked` with the rules. Completing
    an evaluation may raise improvement proposals (``risks``: title and
    description each) as new risks linked to the call."""
    note = _text(note, field="note", max_length=TEXT_MAX)
    fresh = _locked(call, version)
    definition = definition_of(fresh.workflow)
    state = engine.state_from_data(fresh.state)
    facts = call_facts(fresh, by, definition)
    offered = engine.options(definition, state, facts)
    chosen = _chosen(offered, transition, target)
    if chosen is not None and any(blocker.rule for blocker in chosen.blockers):
        # Only a rule that blocks can have been relaxed for the link: look then.
        facts = replace(facts, relaxed=relaxed_rules(fresh))
        offered = engine.options(definition, state, facts)
        chosen = _chosen(offered, transition, target)
    if chosen is None:
        raise TransitionNotOffered(offered)
    if not chosen.allowed:
        raise TransitionBlocked(chosen.blockers, offered)
    if risks and not (transition == engine.COMPLETE and definition.step(chosen.step).submits_risk):
        raise ValidationError(
            {"risks": _("Improvement proposals are raised when the call is evaluated.")},
            code="not_evaluating",
        )
    now = clock.now()
    new_state, happened = engine.apply(definition, state, transition, target=target, facts=facts)
    name = actor_name(by, fresh.organisation)
    rows = _event_rows(fresh, happened, by, name, now, note)
    _sync_state(fresh, definition, new_state, now)
    routing.route(fresh, rows, by=by, name=name, now=now)
    clocks.end_pause_at_closure(fresh, rows, by=by, name=name, now=now)  # clocks: no lost pause
    fresh.clocks_stale = True  # clocks: the next sweep recomputes them (saved below)
    fresh.version += 1
    fresh.save()
    events_record(fresh, rows)
    if risks:
        risks_raise(call=fresh, by=by, proposals=risks)
    return fresh


# --- Coordination -------------------------------------------------------------------


def _event(call: Call, kind: str, by, now, **values: Any) -> CallEvent:
    return event_build(call, kind, by=by, now=now, run=_active_run(call), **values)


def _active_run(call: Call) -> int:
    active = engine.state_from_data(call.state).active
    return active.number if active is not None else 1


def _require(call: Call, by, action: str, message: str, code: str) -> None:
    member_access = access.access_for(by, call.organisation)
    if not access.permitted(member_access, action, call):
        raise CallActionRefused(message, code)


def _save(call: Call, *events: CallEvent) -> Call:
    call.version += 1
    call.save()
    events_record(call, events)
    return call


@transaction.atomic
def call_coordinate(*, call: Call, by, version: int) -> Call:
    """A workflow coordinator takes the call: steers it across the links."""
    fresh = _locked(call, version)
    if Role.WORKFLOW_COORDINATOR not in member_roles(by, fresh.organisation, fresh.service):
        raise CallActionRefused(
            _("Only a workflow coordinator of this service coordinates a call."),
            "not_workflow_coordinator",
        )
    if fresh.assignee_id == by.pk:
        raise CallActionRefused(
            _("Coordinators organise the work but do not carry it out: you are its operator."),
            "coordinator_executes",
        )
    fresh.coordinator = by
    return _save(fresh, _event(fresh, EventKind.COORDINATOR_SET, by, clock.now()))


@transaction.atomic
def call_assign(*, call: Call, operator, by, version: int, note: str = "") -> Call:
    """Assign the current step to an operator of the link that holds the call.
    The team coordinator of that link assigns; the call's workflow coordinator
    may too, and outranks the team coordinator: an operator the workflow
    coordinator chose is not replaced by a team coordinator."""
    fresh = _locked(call, version)
    _require(
        fresh, by, "coordinate", _("Only a coordinator assigns work on a call."), "not_coordinator"
    )
    link = fresh.current_link
    is_workflow_coordinator = fresh.coordinator_id == by.pk
    if not is_workflow_coordinator:
        if link is not None and not routing.is_member(link, by):
            raise CallActionRefused(
                _("A team coordinator assigns work only within their own team."), "other_team"
            )
        if fresh.coordinator_id and routing.assigned_by(fresh) == fresh.coordinator_id:
            raise CallActionRefused(
                _(
                    "The workflow coordinator of this call chose this operator; on a call the "
                    "workflow coordinator outranks the team coordinator."
                ),
                "outranked",
            )
    if operator is not None:
        roles = member_roles(operator, fresh.organisation, fresh.service)
        if not roles & {Role.OPERATOR, Role.SUPPLIER_USER}:
            raise ValidationError({"operator": _("Choose an operator.")}, code="not_operator")
        if link is not None and not routing.is_member(link, operator):
            raise ValidationError(
                {"operator": _("Choose an operator of the link that holds the call.")},
                code="outside_link",
            )
        if operator.pk in (fresh.coordinator_id, by.pk):
            raise CallActionRefused(
                _("Coordinators organise the work but do not carry it out themselves."),
                "coordinator_executes",
            )
    fresh.assignee = operator
    event = _event(
        fresh,
        EventKind.ASSIGNED,
        by,
        clock.now(),
        link=link,
        text=_text(note, field="note", max_length=TEXT_MAX),
        data={"operator": getattr(operator, "pk", None)},
    )
    return _save(fresh, event)


@transaction.atomic
def call_hand_over(*, call: Call, to_link, by, version: int, reason: str) -> Call:
    """Hand the call to another link of its service's chain, with the reason;
    what passes is the interface between the two links."""
    fresh = _locked(call, version)
    reason = _text(reason, field="reason", max_length=TEXT_MAX, required=True)
    if to_link.service_id != fresh.service_id:
        raise ValidationError(
            {"to_link": _("Choose a link of this call's service.")}, code="other_service"
        )
    if to_link.pk == fresh.current_link_id:
        raise ValidationError({"to_link": _("The call is with this link already.")}, code="same")
    member_access = access.access_for(by, fresh.organisation)
    works_here = fresh.current_link is not None and routing.is_member(fresh.current_link, by)
    if not (
        access.permitted(member_access, "coordinate", fresh)
        or (access.permitted(member_access, "work", fresh) and works_here)
    ):
        raise CallActionRefused(
            _("Only a coordinator, or an operator of the link that holds it, hands a call over."),
            "not_holder",
        )
    now = clock.now()
    event = routing.hand_over(fresh, to_link, by=by, now=now, reason=reason)
    _save(fresh, event)
    clocks.clock_update(fresh, now=now)  # clocks: one link's share ends, the next one's opens
    return fresh


@transaction.atomic
def call_escalate(*, call: Call, by, version: int, reason: str) -> Call:
    """Escalate to the call's coordinators, with the reason (never without)."""
    fresh = _locked(call, version)
    reason = _text(reason, field="reason", max_length=TEXT_MAX, required=True)
    # Whoever is involved in the call may escalate it (requesters included).
    _require(fresh, by, "view", _("Your roles do not allow this."), "not_allowed")
    event = _event(
        fresh, EventKind.ESCALATED, by, clock.now(), link=fresh.current_link, text=reason
    )
    return _save(fresh, event)


@transaction.atomic
def call_comment(*, call: Call, by, text: str, public: bool = False) -> CallEvent:
    """A comment: internal for the chain, or public (the requester sees it). A
    requester's own comments are always public; a supplier's never reach the
    requester directly."""
    text = _text(text, field="text", max_length=TEXT_MAX, required=True)
    fresh = Call.objects.select_for_update().get(pk=call.pk)
    member_access = access.access_for(by, fresh.organisation)
    if not access.permitted(member_access, "view", fresh):
        raise CallActionRefused(_("Your roles do not allow this."), "not_allowed")
    roles = member_roles(by, fresh.organisation, fresh.service)
    if fresh.requester_id == getattr(by, "pk", None) and not roles - {Role.REQUESTER}:
        public = True
    if roles and roles <= {Role.SUPPLIER_USER}:
        public = False
    event = _event(fresh, EventKind.COMMENTED, by, clock.now(), text=text, public=public)
    (event,) = events_record(fresh, [event])
    return event


__all__ = [
    "CallActionRefused",
    "ServiceNotLive",
    "TransitionBlocked",
    "TransitionNotOffered",
    "call_assign",
    "call_comment",
    "call_coordinate",
    "call_escalate",
    "call_hand_over",
    "call_options",
    "call_register",
    "call_transition",
]


def _risk_event(call: Call, by, now, risk: Call) -> CallEvent:
    return event_build(
        call,
        EventKind.RISK_RAISED,
        by=by,
        now=now,
        link=call.current_link,
        text=risk.title,
        data={"risk": risk.pk},
    )


def risks_raise(*, call: Call, by, proposals: list[dict]) -> list[Call]:
    """Improvement proposals from evaluating ``call``, each registered as a new
    risk for the same service, linked to the call (``origin``)."""
    raised = []
    for proposal in proposals:
        risk = call_register(
            organisation=call.organisation,
            service=call.service,
            call_type="risico",
            title=proposal.get("title", ""),
            description=proposal.get("description", ""),
            by=by,
            channel=Channel.EVALUATION,
            origin=call,
        )
        raised.append(risk)
    now = clock.now()
    events_record(call, [_risk_event(call, by, now, risk) for risk in raised])
    return raised
