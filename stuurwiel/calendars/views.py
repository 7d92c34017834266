from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.generic import TemplateView

from stuurwiel.calendars import filtersets, forms, selectors, services
from stuurwiel.calendars.models import ClosedDay
from stuurwiel.core.exceptions import ConflictError
from stuurwiel.core.tables import Column
from stuurwiel.core.text import whole_number
from stuurwiel.organisations import access
from stuurwiel.web import generic

AREA = "calendars"

# --- Calendars --------------------------------------------------------------------------


class CalendarListView(generic.ObjectListView):
    area = AREA
    queryset = selectors.calendar_list_queryset()
    filterset_class = filtersets.BusinessCalendarFilterSet
    columns = [
        Column("name", gettext_lazy("Name"), link=True),
        Column("hours_summary", gettext_lazy("Service hours")),
        Column("time_zone", gettext_lazy("Time zone")),
        Column("closed_day_count", gettext_lazy("Closed days")),
    ]


class CalendarDetailView(generic.ObjectDetailView):
    """The week at a glance, the closed days of the coming year (each with its
    toggle), and the forms that add hours, copy holidays and import a feed."""

    area = AREA
    queryset = selectors.calendar_queryset()
    detail_fields = [
        Column("time_zone", gettext_lazy("Time zone")),
        Column("description", gettext_lazy("Description")),
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        calendar = context["object"]
        context.update(calendar_context(calendar))
        context.setdefault("windows_form", forms.WindowsAddForm())
        context.setdefault("holidays_form", holidays_form(calendar))
        context.setdefault("feed_form", forms.FeedImportForm())
        return context


def calendar_context(calendar) -> dict:
    week = selectors.calendar_week(calendar)
    today = selectors.calendar_today(calendar)
    total = selectors.week_minutes(week)
    return {
        "week": week,
        "week_hours": f"{total // 60}:{total % 60:02d}",
        "hours_ticks": [0, 6, 12, 18, 24],
        "today": today,
        "closed_days": selectors.upcoming_closed_days(calendar, first=today),
    }


def holidays_form(calendar, data=None) -> forms.HolidaysCopyForm:
    year = selectors.calendar_today(calendar).year
    return forms.HolidaysCopyForm(data, initial={"first_year": year, "last_year": year + 1})


class CalendarEditView(generic.ObjectEditView):
    area = AREA
    queryset = selectors.calendar_queryset()
    form_class = forms.BusinessCalendarForm
    create_service = services.calendar_create
    update_service = services.calendar_update


class CalendarDeleteView(generic.ObjectDeleteView):
    area = AREA
    queryset = selectors.calendar_queryset()
    delete_service = services.calendar_delete


class CalendarHistoryView(generic.ObjectHistoryView):
    area = AREA
    queryset = selectors.calendar_queryset()


class CalendarIcalView(generic.ObjectMixin, View):
    """``.ics`` of the service hours, today and a year on (``?first=&last=``
    as YYYY-MM-DD choose another stretch, three years at most)."""

    area = AREA
    queryset = selectors.calendar_queryset()

    def get(self, request, *args, **kwargs):
        calendar = self.get_object()
        try:
            first = _date(request.GET.get("first"))
            last = _date(request.GET.get("last"))
            data = selectors.calendar_ical(calendar, first, last)
        except ValueError:
            return HttpResponseBadRequest(
                _(
                    "Give first and last as YYYY-MM-DD, the last on or after the first, "
                    "at most three years apart."
                ),
                content_type="text/plain; charset=utf-8",
            )
        response = HttpResponse(data, content_type="text/calendar; charset=utf-8")
        filename = selectors.ical_filename(calendar)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


class CalendarFormView(generic.ObjectMixin, TemplateView):
    """A change to one calendar from a form of its page: GET shows the form on a
    page of its own (also where errors are shown), POST runs the service and goes
    back to the calendar."""

    area = AREA
    queryset = selectors.calendar_queryset()
    action = "change"
    template_name = "calendars/calendar_form.html"
    title = ""
    form_context_name = ""

    def make_form(self, calendar, data=None, files=None):
        raise NotImplementedError

    def run(self, calendar, form) -> str:
        """Call the service; return the success message."""
        raise NotImplementedError

    def done_url(self, calendar) -> str:
        """Where a successful POST leads: back to the calendar."""
        return calendar.get_absolute_url()

    def get(self, request, *args, **kwargs):
        calendar = self.get_object()
        return self.render_page(calendar, self.make_form(calendar))

    def post(self, request, *args, **kwargs):
        calendar = self.get_object()
        form = self.make_form(calendar, request.POST, request.FILES)
        if form.is_valid():
            try:
                message = self.run(calendar, form)
            except ValidationError as exc:
                generic._add_errors(form, exc)
            except access.AccessDenied as exc:
                form.add_error(None, exc.message)
                return self.render_page(calendar, form, status=403)
            else:
                messages.success(request, message)
                return HttpResponseRedirect(self.done_url(calendar))
        return self.render_page(calendar, form, status=400)

    def render_page(self, calendar, form, status: int = 200):
        context = self.get_context_data(
            object=calendar, form=form, form_title=self.title.format(name=calendar)
        )
        context[self.form_context_name] = form
        return render(self.request, self.template_name, context, status=status)


class CalendarWindowsAddView(CalendarFormView):
    title = gettext_lazy("Add service hours to {name}")
    form_context_name = "windows_form"

    def make_form(self, calendar, data=None, files=None):
        return forms.WindowsAddForm(data)

    def run(self, calendar, form) -> str:
        start, end = form.minutes()
        created = services.windows_create(
            calendar=calendar,
            weekdays=form.cleaned_data["weekdays"],
            start_minute=start,
            end_minute=end,
            by=self.request.user,
            reason=form.cleaned_data.get("change_reason", ""),
        )
        count = len(created)
        return ngettext(
            "{count} service window added.", "{count} service windows added.", count
        ).format(count=count)


class CalendarCopyView(CalendarFormView):
    """Copy a calendar under a new name and go to the copy."""

    title = gettext_lazy("Copy {name}")
    form_context_name = "copy_form"
    copied: services.CalendarCopied | None = None

    def make_form(self, calendar, data=None, files=None):
        initial = {"name": _("{name} (copy)").format(name=calendar)[:200]}
        return forms.CalendarCopyForm(data, initial=initial)

    def run(self, calendar, form) -> str:
        self.copied = services.calendar_copy(
            calendar=calendar, name=form.cleaned_data["name"], by=self.request.user
        )
        return _("“{copy}” is a copy of “{name}”: {windows} and {days}.").format(
            copy=self.copied.calendar,
            name=calendar,
            windows=ngettext(
                "{count} service window", "{count} service windows", len(self.copied.windows)
            ).format(count=len(self.copied.windows)),
            days=ngettext(
                "{count} closed day", "{count} closed days", len(self.copied.closed_days)
            ).format(count=len(self.copied.closed_days)),
        )

    def done_url(self, calendar) -> str:
        assert self.copied is not None
        return self.copied.calendar.get_absolute_url()


class CalendarHolidaysView(CalendarFormView):
    title = gettext_lazy("Copy Dutch public holidays into {name}")
    form_context_name = "holidays_form"

    def make_form(self, calendar, data=None, files=None):
        return holidays_form(calendar, data)

    def run(self, calendar, form) -> str:
        result = services.calendar_holidays_copy(
            calendar=calendar,
            first_year=form.cleaned_data["first_year"],
            last_year=form.cleaned_data["last_year"],
            by=self.request.user,
        )
        return added_message(result)


class CalendarFeedImportView(CalendarFormView):
    title = gettext_lazy("Import a holiday feed into {name}")
    form_context_name = "feed_form"

    def make_form(self, calendar, data=None, files=None):
        return forms.FeedImportForm(data, files)

    def run(self, calendar, form) -> str:
        result = services.calendar_feed_import(
            calendar=calendar, data=form.cleaned_data["file"].read(), by=self.request.user
        )
        return added_message(result)


def added_message(result: services.ClosedDaysAdded) -> str:
    count = len(result.created)
    message = ngettext("{count} closed day added.", "{count} closed days added.", count).format(
        count=count
    )
    if result.skipped:
        dates = sorted(day.date.isoformat() for day in result.skipped)
        shown = ", ".join(dates[:8]) + (" …" if len(dates) > 8 else "")
        message += " " + ngettext(
            "{count} date was already in the calendar and was left as it is: {dates}.",
            "{count} dates were already in the calendar and were left as they are: {dates}.",
            len(dates),
        ).format(count=len(dates), dates=shown)
    return message


# --- Service windows --------------------------------------------------------------------


class ToCalendarMixin:
    """A window's or closed day's save and delete lead back to its calendar."""

    anchor = ""

    def success_url(self, obj) -> str:
        return obj.calendar.get_absolute_url() + self.anchor

    def deleted_url(self, obj) -> str:
        return self.success_url(obj)


class ServiceWindowListView(generic.ObjectListView):
    area = AREA
    queryset = selectors.window_queryset()
    filterset_class = filtersets.ServiceWindowFilterSet
    columns = [
        Column("weekday", gettext_lazy("Weekday"), link=True),
        Column("start_label", gettext_lazy("From")),
        Column("end_label", gettext_lazy("Until")),
        Column("calendar", gettext_lazy("Calendar")),
    ]


class ServiceWindowDetailView(generic.ObjectDetailView):
    area = AREA
    queryset = selectors.window_queryset()
    detail_fields = [
        Column("calendar", gettext_lazy("Calendar")),
        Column("weekday", gettext_lazy("Weekday")),
        Column("start_label", gettext_lazy("From")),
        Column("end_label", gettext_lazy("Until")),
    ]


class ServiceWindowEditView(ToCalendarMixin, generic.ObjectEditView):
    area = AREA
    anchor = "#week"
    queryset = selectors.window_queryset()
    form_class = forms.ServiceWindowForm
    create_service = services.window_create
    update_service = services.window_update

    def get_initial(self) -> dict:
        """A new window may start in a calendar and on a day (``?calendar=…&weekday=…``)."""
        return {
            name: number
            for name in ("calendar", "weekday")
            if (number := whole_number(self.request.GET.get(name, ""))) is not None
        }


class ServiceWindowDeleteView(ToCalendarMixin, generic.ObjectDeleteView):
    area = AREA
    anchor = "#week"
    queryset = selectors.window_queryset()
    delete_service = services.window_delete


class ServiceWindowHistoryView(generic.ObjectHistoryView):
    area = AREA
    queryset = selectors.window_queryset()


# --- Closed days ------------------------------------------------------------------------


class ClosedDayListView(generic.ObjectListView):
    area = AREA
    queryset = selectors.closed_day_queryset()
    filterset_class = filtersets.ClosedDayFilterSet
    columns = [
        Column("date", gettext_lazy("Date"), link=True),
        Column("name", gettext_lazy("Name")),
        Column("calendar", gettext_lazy("Calendar")),
        Column("kind", gettext_lazy("Kind")),
        Column("active", gettext_lazy("Closed")),
    ]


class ClosedDayDetailView(generic.ObjectDetailView):
    area = AREA
    queryset = selectors.closed_day_queryset()
    detail_fields = [
        Column("calendar", gettext_lazy("Calendar")),
        Column("date", gettext_lazy("Date")),
        Column("kind", gettext_lazy("Kind")),
        Column("active", gettext_lazy("Closed")),
    ]


class ClosedDayEditView(ToCalendarMixin, generic.ObjectEditView):
    area = AREA
    anchor = "#closed-days"
    queryset = selectors.closed_day_queryset()
    form_class = forms.ClosedDayForm
    create_service = services.closed_day_create
    update_service = services.closed_day_update

    def get_initial(self) -> dict:
        """A new closed day may start in a calendar (``?calendar=…``)."""
        calendar = whole_number(self.request.GET.get("calendar", ""))
        return {"calendar": calendar} if calendar is not None else {}


class ClosedDayDeleteView(ToCalendarMixin, generic.ObjectDeleteView):
    area = AREA
    anchor = "#closed-days"
    queryset = selectors.closed_day_queryset()
    delete_service = services.closed_day_delete


class ClosedDayHistoryView(generic.ObjectHistoryView):
    area = AREA
    queryset = selectors.closed_day_queryset()


class ClosedDayToggleView(generic.ObjectMixin, View):
    """POST ``active`` (1 closed, 0 open) and the ``version`` the page showed: the
    toggle beside each closed day. If someone changed the day in between, nothing
    is saved and the message says what it is now."""

    area = AREA
    queryset = selectors.closed_day_queryset()
    action = "change"

    def post(self, request, *args, **kwargs):
        day: ClosedDay = self.get_object()
        back = day.calendar.get_absolute_url() + "#closed-days"
        wanted = request.POST.get("active")
        if wanted not in ("0", "1"):
            messages.error(request, _("Choose whether the service is closed on this day."))
            return HttpResponseRedirect(back)
        try:
            saved = services.closed_day_set_active(
                instance=day,
                active=wanted == "1",
                by=request.user,
                version=request.POST.get("version"),
            )
        except ConflictError:
            fresh = self.load_object()
            messages.error(request, conflict_message(fresh))
            return HttpResponseRedirect(back)
        except (ValidationError, access.AccessDenied) as exc:
            for message in getattr(exc, "messages", [getattr(exc, "message", str(exc))]):
                messages.error(request, message)
            return HttpResponseRedirect(back)
        state = _("closed") if saved.active else _("open")
        messages.success(
            request, _("{day}: the service is now {state}.").format(day=saved, state=state)
        )
        return HttpResponseRedirect(back)


def conflict_message(day: ClosedDay) -> str:
    state = _("closed") if day.active else _("open")
    return _(
        "Someone else changed {day} while you were looking; nothing was saved. "
        "It is now {state} (version {version}). Check it and choose again."
    ).format(day=day, state=state, version=day.version)
