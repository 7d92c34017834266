"""The dashboard's filters: a period (the last 30, 90 or 180 days, or from–to)
and optionally one service. Shared by the page and the API."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stuurwiel.core import clock

#: The periods offered, in days; the signals' default is the last 90 days.
PERIOD_DAYS = (30, 90, 180)
DEFAULT_DAYS = 90


class SignalsFilterForm(forms.Form):
    """``days`` or ``from``/``to`` (dates, both inclusive) and ``service``."""

    days = forms.TypedChoiceField(
        label=_("Period"),
        choices=[(n, _("the last {n} days").format(n=n)) for n in PERIOD_DAYS],
        coerce=int,
        required=False,
    )
    service = forms.ModelChoiceField(
        label=_("Service"), queryset=None, required=False, empty_label=_("all services")
    )

    def __init__(self, *args, services, **kwargs):
        super().__init__(*args, **kwargs)
        # "from" is a Python keyword: these two are added by name.
        self.fields["from"] = forms.DateField(label=_("From"), required=False)
        self.fields["to"] = forms.DateField(label=_("To (inclusive)"), required=False)
        from stuurwiel.services.models import Service

        self.fields["service"].queryset = Service.objects.filter(
            pk__in=[service.pk for service in services]
        )

    def clean(self):
        data = super().clean()
        start, end = data.get("from"), data.get("to")
        if start and end and end < start:
            raise forms.ValidationError(_("The period ends before it starts."), code="order")
        return data

    def period(self) -> tuple[datetime.datetime, datetime.datetime]:
        """The period as ``[start, end)`` in time, from a valid form."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        now = clock.now()
        first, last = data.get("from"), data.get("to")
        if first or last:
            end = _midnight(last + datetime.timedelta(days=1)) if last else now
            start = _midnight(first) if first else end - datetime.timedelta(days=DEFAULT_DAYS)
            return start, end
        days = data.get("days") or DEFAULT_DAYS
        return now - datetime.timedelta(days=days), now

    def chosen_service(self):
        return self.cleaned_data.get("service") if self.is_bound and self.is_valid() else None


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
