"""The call register: calls, their events, and each link's share of a call.

A call (melding) is one request of one of the five types for one live service. Its
route through the five processes is the workflow engine's state (``state``, see
:mod:`stuurwiel.workflow`), kept on the call with the definition it started under
(:class:`WorkflowSnapshot`); its history is :class:`CallEvent` rows, append-only;
every stretch a link holds the call is a :class:`LinkSegment`, so each link is
measured on its own share.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from stuurwiel.calls.choices import (
    CallStatus,
    Channel,
    ClockState,
    EventKind,
    ExceptionDecision,
    ExceptionKind,
    NormKind,
    PauseReason,
)
from stuurwiel.core.models import OrganisationOwnedModel


class WorkflowSnapshot(models.Model):
    """A compiled workflow definition of one USM library version, stored once per
    content hash; every call points at the one it started under, so reloading the
    library never changes a running call."""

    framework_urn = models.CharField(_("framework"), max_length=200)
    framework_version = models.PositiveIntegerField(_("library version"))
    content_hash = models.CharField(_("content hash"), max_length=64, unique=True)
    definition = models.JSONField(_("definition"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("workflow definition")
        verbose_name_plural = _("workflow definitions")

    def __str__(self) -> str:
        return f"{self.framework_urn} v{self.framework_version}"


class CallCounter(models.Model):
    """The last call number handed out per organisation and year."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="callcounter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}/{self.year}: {self.last}"


class Call(OrganisationOwnedModel):
    """A call (melding) for a live service, run through the USM processes."""

    number = models.CharField(_("number"), max_length=30, editable=False)
    service = models.ForeignKey(
        "services.Service",
        on_delete=models.PROTECT,
        related_name="calls",
        verbose_name=_("service"),
    )
    call_type = models.CharField(_("type"), max_length=60)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="requested_calls",
        verbose_name=_("requester"),
    )
    requester_name = models.CharField(_("requester"), max_length=200, blank=True)
    requester_contact = models.CharField(_("contact"), max_length=200, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    impact = models.CharField(_("impact or effect"), max_length=20, blank=True)
    urgency = models.CharField(_("urgency or likelihood"), max_length=20, blank=True)
    priority = models.PositiveSmallIntegerField(_("priority"), null=True, blank=True)
    category = models.CharField(_("category"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=CallStatus.choices, default=CallStatus.OPEN
    )
    workflow = models.ForeignKey(
        WorkflowSnapshot, on_delete=models.PROTECT, related_name="+", editable=False
    )
    state = models.JSONField(_("workflow state"), editable=False)
    # Read off the state for lists and worklists (kept in step by the services).
    process = models.CharField(_("process"), max_length=60, editable=False)
    step = models.CharField(_("step"), max_length=100, blank=True, editable=False)
    pattern = models.PositiveSmallIntegerField(_("workflow pattern"), null=True, editable=False)
    current_link = models.ForeignKey(
        "services.Link",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="current_calls",
        verbose_name=_("with link"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_calls",
        verbose_name=_("operator"),
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coordinated_calls",
        verbose_name=_("workflow coordinator"),
    )
    sa_version = models.ForeignKey(
        "agreements.AgreementVersion",
        on_delete=models.PROTECT,
        null=True,
        related_name="calls",
        editable=False,
        verbose_name=_("service agreement version"),
    )
    origin = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="raised",
        verbose_name=_("raised from"),
    )
    # Monitoring: the key of the event that raised the call; later events with the
    # same key for the same service within the grouping window join this call.
    event_key = models.CharField(_("event key"), max_length=200, blank=True, editable=False)
    event_count = models.PositiveIntegerField(_("events grouped"), default=0, editable=False)
    registered_at = models.DateTimeField(_("registered at"), editable=False)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, editable=False)
    # clocks: set by a write that changes the call's clocks without recomputing
    # them (a transition stays within its statement budget); the sweep recomputes.
    clocks_stale = models.BooleanField(default=False, editable=False)

    url_namespace = "calls"
    # The access layer: a call lies in its service's subject; it is "own" to its
    # requester and to the staff of a supplier whose link it was handed to.
    access_scope = "service__subject"
    access_owner = ("requester", "segments__link__supplier__staff__user")
    changelog_exclude = ("created_at", "updated_at", "version", "state", "clocks_stale")

    class Meta:
        ordering = ["-registered_at", "-id"]
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "number"], name="call_unique_number")
        ]
        indexes = [
            models.Index(fields=["organisation", "-registered_at", "-id"], name="call_org_new"),
            models.Index(fields=["organisation", "status", "-id"], name="call_org_status"),
            models.Index(fields=["organisation", "assignee", "status"], name="call_org_assignee"),
            models.Index(fields=["organisation", "current_link", "status"], name="call_org_link"),
            models.Index(fields=["organisation", "coordinator", "status"], name="call_org_coord"),
            # The lists: each reads its page in order from one index (no sort of the
            # organisation's calls, no count of them). The worklists show open calls
            # only: their indexes hold the open calls alone, which stay few while
            # the closed ones grow by the year.
            models.Index(fields=["organisation", "-id"], name="call_org_id"),
            models.Index(
                fields=["organisation", "requester", "-registered_at", "-id"],
                name="call_org_requester_time",
            ),
            models.Index(
                fields=["organisation", "assignee", "-registered_at", "-id"],
                condition=~models.Q(status=CallStatus.CLOSED),
                name="call_open_assignee",
            ),
            models.Index(
                fields=["organisation", "current_link", "-registered_at", "-id"],
                condition=~models.Q(status=CallStatus.CLOSED),
                name="call_open_link",
            ),
            models.Index(
                fields=["organisation", "coordinator", "-registered_at", "-id"],
                condition=~models.Q(status=CallStatus.CLOSED),
                name="call_open_coordinator",
            ),
            # The team coordinator's side of the coordination tab: open calls nobody
            # has taken yet, by link.
            models.Index(
                fields=["organisation", "current_link", "-registered_at", "-id"],
                condition=~models.Q(status=CallStatus.CLOSED) & models.Q(assignee__isnull=True),
                name="call_open_unassigned",
            ),
            models.Index(fields=["service", "registered_at"], name="call_service_time"),
            # The dashboard's recurring problems look up the risks of a service and
            # category (of any time): risks are few, so the index holds them alone.
            models.Index(
                fields=["organisation", "service", "category"],
                condition=models.Q(call_type="risico"),
                name="call_risk_service_category",
            ),
            models.Index(
                fields=["clocks_stale"],
                condition=models.Q(clocks_stale=True),
                name="call_clocks_stale",
            ),
            models.Index(
                fields=["service", "event_key", "registered_at"],
                name="call_service_event",
                condition=~models.Q(event_key=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("calls:call_detail", kwargs={"org": self.organisation.slug, "pk": self.pk})


class CallEvent(models.Model):
    """One thing that happened to a call; never changed afterwards."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("at"))
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    actor_name = models.CharField(_("by"), max_length=200, blank=True)
    run = models.PositiveSmallIntegerField(_("process run"), default=1)
    process = models.CharField(_("process"), max_length=60, blank=True)
    step = models.CharField(_("step"), max_length=100, blank=True)
    link = models.ForeignKey(
        "services.Link", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    to_link = models.ForeignKey(
        "services.Link", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("text"), blank=True)
    public = models.BooleanField(_("visible to the requester"), default=False)
    data = models.JSONField(_("data"), default=dict, blank=True)
    call_version = models.PositiveIntegerField(_("call version"), default=1)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("call event")
        verbose_name_plural = _("call events")
        indexes = [
            models.Index(fields=["call", "at", "id"], name="callevent_call_time"),
            models.Index(fields=["organisation", "kind", "at"], name="callevent_org_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


class LinkSegment(models.Model):
    """A stretch during which one link of the chain holds the call: opened at the
    hand-over to it, closed at its hand-back. Its OLA or UC clock measures it."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="segments")
    link = models.ForeignKey(
        "services.Link", on_delete=models.PROTECT, related_name="segments", verbose_name=_("link")
    )
    started_at = models.DateTimeField(_("handed over at"))
    ended_at = models.DateTimeField(_("handed back at"), null=True, blank=True)
    passes = models.TextField(_("what passes"), blank=True)
    reason = models.TextField(_("why"), blank=True)

    class Meta:
        ordering = ["started_at", "id"]
        verbose_name = _("link segment")
        verbose_name_plural = _("link segments")
        indexes = [
            models.Index(fields=["call", "started_at"], name="segment_call_time"),
            models.Index(fields=["link", "ended_at"], name="segment_link_open"),
        ]

    def __str__(self) -> str:
        return f"{self.call_id} @ {self.link_id}"


class ClockPause(models.Model):
    """A stretch during which a call's clocks stand still, with who and why. A
    pause is never lost: it ends at the resume, or at the call's closure."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="pauses")
    reason_kind = models.CharField(_("reason"), max_length=20, choices=PauseReason.choices)
    note = models.TextField(_("note"), blank=True)
    started_at = models.DateTimeField(_("paused at"))
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    started_by_name = models.CharField(_("paused by"), max_length=200, blank=True)
    ended_at = models.DateTimeField(_("resumed at"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    ended_by_name = models.CharField(_("resumed by"), max_length=200, blank=True)

    class Meta:
        ordering = ["started_at", "id"]
        verbose_name = _("clock pause")
        verbose_name_plural = _("clock pauses")
        constraints = [
            # At most one open pause per call: pauses never overlap.
            models.UniqueConstraint(
                fields=["call"], condition=models.Q(ended_at__isnull=True), name="pause_one_open"
            )
        ]
        indexes = [models.Index(fields=["call", "started_at"], name="pause_call_time")]

    def __str__(self) -> str:
        return f"{self.call_id} {self.get_reason_kind_display()} {self.started_at:%Y-%m-%d %H:%M}"


class ClockResult(models.Model):
    """One clock of one call against one norm: the chain's SA clock (``link``
    empty) or one link's OLA/UC clock, kept current by the services and the
    sweep (:mod:`stuurwiel.calls.clocks`), so reports are queries.

    While the clock ticks, ``ticking_offset`` holds the business seconds used
    minus the calendar's business position of the moment it last started, so
    the time used now is that plus the calendar's position now (read, not
    stored: :func:`~stuurwiel.calls.clocks.used_now`). ``due_75_position`` and
    ``due_100_position`` are the calendar positions at which the use reaches
    75 % and 100 % of the norm; they stay put while the clock ticks, so the
    sweep finds the clocks due for a warning by an index range, not by
    rewriting every ticking clock. All three are empty once the clock stops."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="clocks")
    link = models.ForeignKey(
        "services.Link",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="clock_results",
        verbose_name=_("link"),
    )
    agreement_version = models.ForeignKey(
        "agreements.AgreementVersion",
        on_delete=models.PROTECT,
        related_name="clock_results",
        verbose_name=_("agreement version"),
    )
    calendar = models.ForeignKey(
        "calendars.BusinessCalendar",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("service hours"),
    )
    norm_kind = models.CharField(_("norm"), max_length=12, choices=NormKind.choices)
    norm_minutes = models.PositiveIntegerField(_("norm (business minutes)"))
    used_seconds = models.BigIntegerField(_("used (business seconds)"), default=0)
    used_minutes = models.PositiveIntegerField(_("used (business minutes)"), default=0)
    ticking_offset = models.BigIntegerField(null=True, blank=True, editable=False)
    due_75_position = models.BigIntegerField(null=True, blank=True, editable=False)
    due_100_position = models.BigIntegerField(null=True, blank=True, editable=False)
    state = models.CharField(
        _("state"), max_length=10, choices=ClockState.choices, default=ClockState.RUNNING
    )
    stopped_at = models.DateTimeField(_("stopped at"), null=True, blank=True)
    warned_75_at = models.DateTimeField(_("75 % warning at"), null=True, blank=True)
    warned_100_at = models.DateTimeField(_("100 % warning at"), null=True, blank=True)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        ordering = ["call", "link__position", "norm_kind"]
        verbose_name = _("clock result")
        verbose_name_plural = _("clock results")
        constraints = [
            models.UniqueConstraint(
                fields=["call", "norm_kind"],
                condition=models.Q(link__isnull=True),
                name="clock_one_chain_per_norm",
            ),
            models.UniqueConstraint(
                fields=["call", "link", "norm_kind"],
                condition=models.Q(link__isnull=False),
                name="clock_one_link_per_norm",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "state", "norm_kind"], name="clock_org_state"),
            # The sweep's two range reads: ticking clocks not yet warned at 75 %,
            # and ticking clocks not yet breached, by their due position.
            models.Index(
                fields=["calendar", "due_75_position"],
                condition=models.Q(due_75_position__isnull=False, warned_75_at__isnull=True),
                name="clock_due_75",
            ),
            models.Index(
                fields=["calendar", "due_100_position"],
                condition=models.Q(due_100_position__isnull=False, state=ClockState.RUNNING),
                name="clock_due_100",
            ),
            # The warnings' look-back (calls/warnings.py): the clocks warned lately.
            models.Index(fields=["warned_75_at"], name="clock_warned_75"),
            models.Index(fields=["warned_100_at"], name="clock_warned_100"),
        ]

    def __str__(self) -> str:
        return f"{self.call_id} {self.link_id or 'chain'} {self.norm_kind}: {self.state}"

    @property
    def share(self) -> float:
        """The part of the norm used (1.0 is the whole norm)."""
        return self.used_seconds / (self.norm_minutes * 60) if self.norm_minutes else 0.0

    @property
    def percent(self) -> int:
        """The part of the norm used, in whole percent (for pages and reports)."""
        return round(self.share * 100)


class SeparationRelaxation(models.Model):
    """An organisation's decision to relax one named separation rule of the USM
    library for one small team: recorded with who decided it and why, and shown on
    the management dashboard as a standing finding, never silently."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    rule = models.CharField(_("rule"), max_length=100)
    team = models.ForeignKey(
        "parties.Team", on_delete=models.CASCADE, related_name="+", verbose_name=_("team")
    )
    reason = models.TextField(_("why"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_by_name = models.CharField(_("decided by"), max_length=200)
    decided_at = models.DateTimeField(_("decided at"))
    active = models.BooleanField(_("in effect"), default=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        ordering = ["-decided_at"]
        verbose_name = _("relaxed separation rule")
        verbose_name_plural = _("relaxed separation rules")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "rule", "team"],
                condition=models.Q(active=True),
                name="relaxation_one_active",
            )
        ]

    def __str__(self) -> str:
        return f"{self.rule} / {self.team_id}"


class CallException(models.Model):
    """A deviation from the agreement or the norm on one call: asked for by one
    person, legitimised (or not) by someone else, and recorded either way."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="exceptions")
    kind = models.CharField(_("kind"), max_length=20, choices=ExceptionKind.choices)
    description = models.TextField(_("what deviates, and why"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_by_name = models.CharField(_("asked by"), max_length=200)
    requested_at = models.DateTimeField(_("asked at"))
    decision = models.CharField(
        _("decision"),
        max_length=10,
        choices=ExceptionDecision.choices,
        default=ExceptionDecision.PENDING,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_by_name = models.CharField(_("decided by"), max_length=200, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("motivation"), blank=True)

    class Meta:
        ordering = ["requested_at", "id"]
        verbose_name = _("exception")
        verbose_name_plural = _("exceptions")
        indexes = [models.Index(fields=["organisation", "kind", "requested_at"], name="exc_org")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.description[:60]}"
