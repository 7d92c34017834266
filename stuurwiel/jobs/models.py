"""The periodic jobs' schedule: one row per periodic job, so that of several
workers exactly one enqueues each due run (see
:func:`stuurwiel.jobs.runner.periodic_enqueue_due`)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodicSchedule(models.Model):
    """When a periodic job (named by its task's import path) is due next. A
    worker enqueues it only if its conditional UPDATE moved ``next_run_at``
    on: two workers that see the same due row cannot both win."""

    name = models.CharField(_("job"), max_length=200, unique=True)
    every_seconds = models.PositiveIntegerField(_("every (seconds)"))
    next_run_at = models.DateTimeField(_("next run at"))
    last_enqueued_at = models.DateTimeField(_("last enqueued at"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("periodic job")
        verbose_name_plural = _("periodic jobs")

    def __str__(self) -> str:
        return self.name
