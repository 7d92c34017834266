"""Forms of business calendars. Window times are typed as HH:MM (24:00 as an end)
and stored as minutes since midnight; the form keeps them as HH:MM text, so an
edit conflict compares and shows "08:30", not 510."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from stuurwiel.calendars.choices import Weekday
from stuurwiel.calendars.ical import MAX_FEED_BYTES
from stuurwiel.calendars.models import (
    BusinessCalendar,
    ClosedDay,
    ServiceWindow,
    minutes_from_label,
    minutes_label,
)
from stuurwiel.core.forms import OrganisationModelForm


class TimeOfDayField(forms.CharField):
    """A time of day as ``HH:MM`` (also ``H:MM`` and ``HH.MM``), cleaned to ``HH:MM``;
    ``end=True`` allows 24:00, the end of the day."""

    def __init__(self, *, end: bool, **kwargs):
        self.end = end
        kwargs.setdefault("max_length", 5)
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    "inputmode": "numeric",
                    # The format, not a time: a grey 08:30 read as filled in already.
                    "placeholder": _("hh:mm"),
                    "size": 6,
                    "autocomplete": "off",
                }
            ),
        )
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return value
        return minutes_label(minutes_from_label(value, end=self.end))


class BusinessCalendarForm(OrganisationModelForm):
    class Meta:
        model = BusinessCalendar
        fields = ["name", "time_zone", "description"]


class ServiceWindowForm(OrganisationModelForm):
    """One window; its calendar is fixed once it exists (add another window to
    another calendar instead)."""

    start_minute = TimeOfDayField(end=False, label=_("From"))
    end_minute = TimeOfDayField(
        end=True, label=_("Until"), help_text=_("HH:MM; 24:00 is the end of the day.")
    )

    class Meta:
        model = ServiceWindow
        fields = ["calendar", "weekday"]

    field_order = ["calendar", "weekday", "start_minute", "end_minute"]

    def __init__(self, *args, instance=None, initial=None, **kwargs):
        # The stored minutes as HH:MM in the initial values, before the base class
        # records them as the values the editor started from.
        initial = dict(initial or {})
        if instance is not None and instance.pk:
            initial.setdefault("start_minute", minutes_label(instance.start_minute))
            initial.setdefault("end_minute", minutes_label(instance.end_minute))
        super().__init__(*args, instance=instance, initial=initial, **kwargs)
        if self.instance.pk:
            self.fields["calendar"].disabled = True

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_minute"), cleaned.get("end_minute")
        if start and end:
            # What the model's own checks (inverted, overlapping) look at.
            self.instance.start_minute = minutes_from_label(start, end=False)
            self.instance.end_minute = minutes_from_label(end, end=True)
        return cleaned

    def service_data(self) -> dict:
        data = super().service_data()
        data["start_minute"] = minutes_from_label(data["start_minute"], end=False)
        data["end_minute"] = minutes_from_label(data["end_minute"], end=True)
        return data


class WindowsAddForm(forms.Form):
    """The calendar page's "add service hours": one window on several weekdays."""

    weekdays = forms.TypedMultipleChoiceField(
        label=_("Weekdays"),
        choices=Weekday.choices,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one weekday.")},
    )
    start_minute = TimeOfDayField(end=False, label=_("From"))
    end_minute = TimeOfDayField(end=True, label=_("Until"))
    change_reason = forms.CharField(
        label=_("Reason for this change"), required=False, max_length=1000
    )

    def minutes(self) -> tuple[int, int]:
        return (
            minutes_from_label(self.cleaned_data["start_minute"], end=False),
            minutes_from_label(self.cleaned_data["end_minute"], end=True),
        )


class ClosedDayForm(OrganisationModelForm):
    class Meta:
        model = ClosedDay
        fields = ["calendar", "date", "name", "kind", "active"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["calendar"].disabled = True


class CalendarCopyForm(forms.Form):
    """The calendar page's "copy": a new calendar with the same hours and closed days."""

    name = forms.CharField(
        label=_("Name of the copy"),
        max_length=200,
        help_text=_(
            "The copy gets the same time zone, service hours and closed days (with "
            "whether each one closes the service); change them afterwards on its own page."
        ),
    )


class HolidaysCopyForm(forms.Form):
    first_year = forms.IntegerField(label=_("From year"))
    last_year = forms.IntegerField(label=_("Up to and including year"))


class FeedImportForm(forms.Form):
    file = forms.FileField(
        label=_("Holiday feed (.ics)"),
        help_text=_(
            "An iCalendar file with all-day events; each day becomes a closed day. "
            "Days the calendar already has are skipped."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".ics,text/calendar"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FEED_BYTES:
            raise ValidationError(
                _("The file is larger than {size} MB; a holiday feed is much smaller.").format(
                    size=MAX_FEED_BYTES // (1024 * 1024)
                ),
                code="too_large",
            )
        return upload
