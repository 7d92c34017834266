from django.db import models
from django.utils.translation import gettext_lazy as _


class CallStatus(models.TextChoices):
    """Where a call stands (the engine's statuses, see ``stuurwiel.workflow``)."""

    OPEN = "open", _("open")
    PROCESS_FULFILLED = "process_fulfilled", _("process fulfilled")
    WORKFLOW_FULFILLED = "workflow_fulfilled", _("workflow fulfilled")
    CLOSED = "closed", _("closed")


class Channel(models.TextChoices):
    """How the call came in: every front door ends in the one register."""

    PORTAL = "portal", _("portal")
    DESK = "desk", _("service desk")
    PHONE = "phone", _("phone")
    COUNTER = "counter", _("counter")
    EMAIL = "email", _("e-mail")
    API = "api", _("API")
    EVENT = "event", _("monitoring event")
    EVALUATION = "evaluation", _("raised at evaluation")


class EventKind(models.TextChoices):
    """What happened to a call: its history is these append-only rows."""

    REGISTERED = "registered", _("registered")
    STEP_COMPLETED = "step_completed", _("step completed")
    FORKED = "forked", _("forked")
    PROCESS_FULFILLED = "process_fulfilled", _("process fulfilled")
    RESUMED = "resumed", _("resumed")
    CONFIRMED = "confirmed", _("confirmed by the requester")
    REOPENED = "reopened", _("reopened")
    CLOSED = "closed", _("closed")
    HANDED_OVER = "handed_over", _("handed over")
    ASSIGNED = "assigned", _("assigned")
    COORDINATOR_SET = "coordinator_set", _("coordinator set")
    ESCALATED = "escalated", _("escalated")
    COMMENTED = "commented", _("comment")
    CLASSIFIED = "classified", _("classified")
    RISK_RAISED = "risk_raised", _("improvement raised as a risk")
    MONITORING_EVENT = "monitoring", _("monitoring event grouped")
    EXCEPTION_REQUESTED = "exception_asked", _("exception asked")
    EXCEPTION_DECIDED = "exception_decided", _("exception decided")
    CLOCK_PAUSED = "clock_paused", _("clock paused")
    CLOCK_RESUMED = "clock_resumed", _("clock resumed")
    CLOCK_WARNING = "clock_warning", _("norm nearly used (75 %)")
    CLOCK_BREACHED = "clock_breached", _("norm exceeded")
    HANDED_BACK = "handed_back", _("handed back by the supplier")
    ATTACHMENT_ADDED = "attachment", _("attachment added")
    LINKED = "linked", _("linked to another call")


class HandBackOutcome(models.TextChoices):
    """What a supplier says when it hands a call back to the link it came from."""

    RESOLVED = "resolved", _("resolved")
    NOT_RESOLVED = "not_resolved", _("not resolved")
    NEEDS_INFO = "needs_info", _("more information needed")


class PauseReason(models.TextChoices):
    """Why a call's clocks stand still: only for a recorded reason (USM)."""

    REQUESTER = "requester", _("waiting for the requester")
    PLANNED = "planned", _("waiting for a planned moment")


class NormKind(models.TextChoices):
    """Which norm of an agreement a clock measures (business minutes per priority)."""

    RESPONSE = "response", _("response")
    RESOLUTION = "resolution", _("resolution")


class ClockState(models.TextChoices):
    """Where a clock stands against its norm."""

    RUNNING = "running", _("running")
    MET = "met", _("met")
    BREACHED = "breached", _("breached")


class ImpactLevel(models.TextChoices):
    """The impact and urgency levels of the USM library's default matrix."""

    HIGH = "high", _("high")
    MEDIUM = "medium", _("medium")
    LOW = "low", _("low")
    NONE = "none", _("none")


class ExceptionKind(models.TextChoices):
    """What an exception deviates from."""

    NORM = "norm", _("the norm (time)")
    AGREEMENT = "agreement", _("the agreement (what is delivered)")
    PROCEDURE = "procedure", _("the workflow (how it is handled)")


class ExceptionDecision(models.TextChoices):
    PENDING = "pending", _("awaiting a decision")
    APPROVED = "approved", _("legitimised")
    REJECTED = "rejected", _("not legitimised")


class SignalKind(models.TextChoices):
    """What a monitoring event reports (Uitvoeren's bewaking)."""

    FAILURE = "failure", _("a failure (becomes an incident)")
    RISK = "risk", _("a perceived risk (becomes a risk)")


class RelationKind(models.TextChoices):
    """How two calls relate (a call page lists both directions)."""

    RELATED = "related", _("related to")
    DUPLICATE = "duplicate", _("duplicate of")
    CAUSED_BY = "caused_by", _("caused by")
