"""The dashboard's roll-ups: figures kept per day, so that a signal sums at most
the period's days instead of aggregating every event, segment and clock of its
calls (issue 7: the dashboard at a million calls).

A :class:`DailyFigure` row holds one figure of the calls *registered* on one day
(in the installation's time zone) of one service, for one link, pair of links,
norm kind, person or label, as :class:`FigureKind` says; the roll-up
(:mod:`stuurwiel.dashboard.rollup`) rewrites a day's rows whole. Its watermark,
:class:`DashboardRollup`, says up to when the figures are complete."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class FigureKind(models.TextChoices):
    """What a :class:`DailyFigure` row counts (and which of its columns it fills)."""

    CALLS = "calls", _("calls registered")  # count
    CLOCKS = "clocks", _("clocks")  # link (none: the chain), norm_kind; met, breached, running
    BREACHED_CALLS = "breached_calls", _("calls with a breached clock")  # count
    WATERMELONS = "watermelons", _("watermelon calls")  # count
    RETURNS = "returns", _("hand-overs back")  # link (back to), other_link (from); count
    PING_PONG_CALLS = "ping_pong_calls", _("calls with ping-pong")  # count
    ESCALATIONS = "escalations", _("escalations")  # link; count, calls
    ESCALATED_CALLS = "escalated_calls", _("escalated calls")  # count
    EXCEPTIONS = "exceptions", _("approved exceptions")  # label (kind); count, calls, improved
    STEPS = "steps", _("steps completed")  # person, person_name; count, calls
    WAITS = "waits", _("assignments that waited")  # person; count (late), running (open)
    INCIDENTS = "incidents", _("incidents per category")  # label (category); count


class DailyFigure(models.Model):
    """One figure of the calls registered on ``day`` for ``service`` (see
    :class:`FigureKind` for which columns a kind fills; the others stay empty)."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField(_("day"))
    # 0: the figure of ``day`` alone. N (a standard period of the dashboard): the
    # sum of the N days up to and including ``day``, kept by the roll-up for
    # today, so the default pages sum one row per service and person, not N.
    days = models.PositiveSmallIntegerField(_("days summed"), default=0)
    kind = models.CharField(_("figure"), max_length=20, choices=FigureKind.choices)
    service = models.ForeignKey("services.Service", on_delete=models.CASCADE, related_name="+")
    link = models.ForeignKey(
        "services.Link", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    other_link = models.ForeignKey(
        "services.Link", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        # The operator of a wait comes from an event's data: no constraint, so a
        # stale id there cannot stop the roll-up (its rows are rewritten anyway).
        db_constraint=False,
    )
    person_name = models.CharField(_("person"), max_length=200, blank=True)
    norm_kind = models.CharField(_("norm"), max_length=12, blank=True)
    label = models.CharField(_("label"), max_length=100, blank=True)
    count = models.PositiveIntegerField(_("count"), default=0)
    calls = models.PositiveIntegerField(_("calls"), default=0)
    met = models.PositiveIntegerField(_("met"), default=0)
    breached = models.PositiveIntegerField(_("breached"), default=0)
    running = models.PositiveIntegerField(_("running"), default=0)
    improved = models.PositiveIntegerField(_("improved"), default=0)

    class Meta:
        verbose_name = _("daily figure")
        verbose_name_plural = _("daily figures")
        indexes = [
            # Every read is "this organisation's figure of this kind over these days"
            # (single days), or "... summed over the N days up to today".
            models.Index(
                fields=["organisation", "kind", "days", "day"], name="dailyfigure_org_kind_span"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} ({self.days}) {self.kind} {self.count}"


class DashboardRollup(models.Model):
    """The roll-up's watermark for one organisation: the figures hold every write
    up to ``rolled_at`` (and the append-only rows up to the ids below)."""

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    rolled_at = models.DateTimeField(_("figures as of"))
    last_call_id = models.BigIntegerField(default=0)
    last_event_id = models.BigIntegerField(default=0)
    last_segment_id = models.BigIntegerField(default=0)
    last_clock_id = models.BigIntegerField(default=0)
    last_exception_id = models.BigIntegerField(default=0)
    days = models.PositiveIntegerField(_("days rolled up last time"), default=0)
    summed_day = models.DateField(_("periods summed up to"), null=True, blank=True)

    class Meta:
        verbose_name = _("dashboard roll-up")
        verbose_name_plural = _("dashboard roll-ups")

    def __str__(self) -> str:
        return f"{self.organisation_id} @ {self.rolled_at:%Y-%m-%d %H:%M}"
