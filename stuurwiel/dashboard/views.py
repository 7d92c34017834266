"""The management dashboard: the signals of a working system per period and
service, each with the calls behind it; a watermelon view of its own; and the
one write, registering a recurring problem as a risk."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from stuurwiel.core.pagination import KeysetPaginator
from stuurwiel.dashboard import figures, selectors, services
from stuurwiel.dashboard.forms import DEFAULT_DAYS, PERIOD_DAYS, SignalsFilterForm
from stuurwiel.services.models import Service
from stuurwiel.web.mixins import OrganisationViewMixin


class _SignalsMixin(OrganisationViewMixin):
    permission_required = "dashboard.view"

    def filters(self, data) -> SignalsFilterForm:
        services_seen = selectors.dashboard_services(
            organisation=self.organisation, member_access=self.access
        )
        return SignalsFilterForm(data or None, services=services_seen)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = self.filters(self.request.GET)
        start, end = form.period()
        context.update(
            form=form,
            period_days=PERIOD_DAYS,
            chosen_days=_chosen_days(form, self.request.GET),
            services=form.fields["service"].queryset,
            chosen_service=form.chosen_service(),
            query=self.request.GET.urlencode(),
            start=start,
            end=end,
            thresholds=_thresholds(),
        )
        return context


def _chosen_days(form: SignalsFilterForm, query) -> int | None:
    """The period choice to show selected: the one asked for, else the default
    unless a from–to period was asked for."""
    if form.is_bound and form.is_valid() and form.cleaned_data.get("days"):
        return form.cleaned_data["days"]
    return None if query.get("from") or query.get("to") else DEFAULT_DAYS


def _thresholds() -> dict:
    return {
        "escalation_count": selectors.ESCALATION_MIN_COUNT,
        "escalation_percent": round(selectors.ESCALATION_MIN_SHARE * 100),
        "exception_count": selectors.EXCEPTION_MIN_COUNT,
        "hero_percent": round(selectors.HERO_MIN_SHARE * 100),
        "hero_calls": selectors.HERO_MIN_CALLS,
        "hero_hours": int(selectors.HERO_WAIT.total_seconds() // 3600),
        "recurring_count": selectors.RECURRING_MIN_COUNT,
        "norm_target_percent": round(figures.NORM_TARGET_SHARE * 100),
        "listed": figures.LISTED,
    }


class DashboardView(_SignalsMixin, TemplateView):
    """One card per signal, standing findings at the top."""

    template_name = "dashboard/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["signals"] = selectors.signals(
            organisation=self.organisation,
            member_access=self.access,
            start=context["start"],
            end=context["end"],
            service=context["chosen_service"],
        )
        context["may_register"] = "calls.register" in self.permissions
        return context


class WatermelonView(_SignalsMixin, TemplateView):
    """Per service, each link's share of OLA/UC met beside the chain's SA share,
    and the calls where every link was green and the chain red."""

    template_name = "dashboard/watermelon.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        where = {
            "organisation": self.organisation,
            "member_access": self.access,
            "start": context["start"],
            "end": context["end"],
            "service": context["chosen_service"],
        }
        found = selectors.watermelon(**where)
        found.norms = selectors.norms(**where)
        context.update(
            watermelon=found,
            findings=selectors.standing_findings(organisation=self.organisation),
            per_service=_side_by_side(found.norms),
            as_of=selectors.figures_as_of(organisation=self.organisation),
            thresholds=_thresholds(),
        )
        return context


class SignalCallsView(_SignalsMixin, TemplateView):
    """Every call behind one signal's figure in the period, newest first, a
    keyset page at a time (the dashboard lists the newest few and links here)."""

    template_name = "dashboard/signal_calls.html"

    def get_context_data(self, **kwargs):
        signal = self.kwargs["signal"]
        if signal not in selectors.SIGNAL_LISTS:
            raise Http404
        context = super().get_context_data(**kwargs)
        category = self.request.GET.get("category", "").strip()
        calls = selectors.signal_calls(
            signal=signal,
            organisation=self.organisation,
            member_access=self.access,
            start=context["start"],
            end=context["end"],
            service=context["chosen_service"],
            category=category,
        )
        page = KeysetPaginator(calls, settings.STUURWIEL_LIST_PAGE_SIZE).page(self.request.GET)
        context.update(
            signal=signal,
            title=selectors.SIGNAL_LISTS[signal],
            category=category,
            page=page,
            dashboard_query=_without(self.request.GET, "category", "after", "before"),
        )
        return context


def _without(query, *names: str) -> str:
    kept = query.copy()
    for name in names:
        kept.pop(name, None)
    return kept.urlencode()


def _side_by_side(figures: selectors.NormFigures) -> list[dict]:
    """Per service and norm kind: the chain's row and the links' rows."""
    grouped: dict[tuple[str, str], dict] = {}
    for row in figures.rows:
        entry = grouped.setdefault(
            (row.service, row.norm_kind),
            {"service": row.service, "norm_kind": row.norm_kind, "chain": None, "links": []},
        )
        if row.link_id is None:
            entry["chain"] = row
        else:
            entry["links"].append(row)
    return list(grouped.values())


class RecurringRiskRegisterView(_SignalsMixin, View):
    """POST: register the recurring problem (service, category, period) as a risk."""

    def post(self, request, *args, **kwargs):
        back = reverse("dashboard:dashboard", kwargs={"org": self.organisation.slug})
        query = request.POST.get("query", "")
        form = self.filters(request.POST)
        category = request.POST.get("category", "").strip()
        service_id = request.POST.get("service", "")
        if not (form.is_valid() and category and service_id.isdigit()):
            messages.error(request, _("Choose a recurring problem to register as a risk."))
            return HttpResponseRedirect(f"{back}?{query}" if query else back)
        service = get_object_or_404(
            Service.objects.filter(organisation=self.organisation), pk=service_id
        )
        start, end = form.period()
        try:
            risk = services.recurring_problem_register_risk(
                organisation=self.organisation,
                service=service,
                category=category,
                start=start,
                end=end,
                by=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(f"{back}?{query}" if query else back)
        messages.success(request, _("Registered as risk {number}.").format(number=risk.number))
        return HttpResponseRedirect(
            reverse("calls:call_detail", kwargs={"org": self.organisation.slug, "pk": risk.pk})
        )
