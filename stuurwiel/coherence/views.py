"""The coherence pages: a subject's findings with their reasoning and a link to
fix each, the management overview (scores per subject and framework with
their trend, the top findings, what changed since the last review, the
services' chain performance) with the mark that a review took place, and the
trace of one element (its reasons up, its realisation and evidence down)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from stuurwiel.coherence import display, selectors, services, trace_figure
from stuurwiel.coherence.models import CoherenceReview, Finding
from stuurwiel.coherence.trace import element_trace
from stuurwiel.core import clock
from stuurwiel.dashboard import figures as dashboard_figures
from stuurwiel.diagrams.registry import has_diagram
from stuurwiel.frameworks.models import Framework
from stuurwiel.graph.models import Element, Subject
from stuurwiel.organisations import access
from stuurwiel.web.mixins import OrganisationViewMixin


class _CoherenceMixin(OrganisationViewMixin):
    permission_required = "coherence.view"
    access_model = Finding

    def may_fix(self) -> set[int]:
        """The subjects whose content the member may change (fix links only there)."""
        subjects = Subject.objects.filter(organisation=self.organisation)
        return set(access.restrict(subjects, self.access, "change").values_list("pk", flat=True))


class SubjectFindingsView(_CoherenceMixin, TemplateView):
    template_name = "coherence/subject_findings.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        subjects = access.restrict(
            Subject.objects.filter(organisation=self.organisation), self.access
        )
        subject = get_object_or_404(subjects, pk=kwargs["pk"])
        if not access.permitted(self.access, "view", Finding(subject=subject)):
            raise PermissionDenied
        findings = display.findings_described(
            selectors.open_findings(subject=subject),
            org_slug=self.organisation.slug,
            may_fix=self.may_fix(),
        )
        groups: dict[str, list] = {}
        for view in findings:
            groups.setdefault(str(view.finding.rule.framework.name), []).append(view)
        diagrams = [
            (
                framework.name,
                reverse(
                    "diagrams:subject_diagram",
                    kwargs={"org": self.organisation.slug, "pk": subject.pk, "ref_id": ref_id},
                ),
            )
            for framework in subject.frameworks.order_by("name_nl")
            if has_diagram(ref_id := framework.ref_id)
        ]
        context.update(
            subject=subject,
            groups=groups,
            diagrams=diagrams,
            count=len(findings),
            scores=[
                s
                for s in selectors.scores(organisation=self.organisation, member_access=self.access)
                if s.subject.pk == subject.pk
            ],
        )
        return context


class OverviewView(_CoherenceMixin, TemplateView):
    """Scores per subject × framework with their trend, the top findings, what
    changed since the last review (the marked one, or the date asked for), and
    the services' chain performance in the same period."""

    template_name = "coherence/overview.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = clock.now()
        today = now.date()
        review = selectors.last_review(organisation=self.organisation)
        asked = parse_date(self.request.GET.get("since", "") or "")
        if asked is not None:
            since_at = timezone.make_aware(datetime.combine(min(asked, today), time.min))
        elif review is not None:
            since_at = review.reviewed_at
        else:
            since_at = timezone.make_aware(datetime.combine(today - timedelta(days=30), time.min))
        since = timezone.localtime(since_at).date()
        top = selectors.top_findings(organisation=self.organisation, member_access=self.access)
        changes = selectors.changes_since(
            organisation=self.organisation, member_access=self.access, since=since_at
        )
        slug, may_fix = self.organisation.slug, self.may_fix()
        context.update(
            scores=selectors.scores(
                organisation=self.organisation, member_access=self.access, since=since
            ),
            top=display.findings_described(top, org_slug=slug, may_fix=may_fix),
            changes=changes,
            opened=display.findings_described(changes.opened_rows, org_slug=slug, may_fix=may_fix),
            resolved=display.findings_described(
                changes.resolved_rows, org_slug=slug, may_fix=may_fix
            ),
            since=since,
            since_asked=asked is not None,
            review=review,
            may_review="coherence.review" in self.permissions,
            chains=selectors.chain_performance(
                organisation=self.organisation, member_access=self.access, start=since_at, end=now
            ),
            sees_dashboard="dashboard.view" in self.permissions,
            norm_target=round(dashboard_figures.NORM_TARGET_SHARE * 100),
        )
        return context


class ElementTraceView(_CoherenceMixin, TemplateView):
    """One element's trace in one framework (``?framework=<ref_id>``): the figure
    and, beside it, the same path as an ordered list."""

    template_name = "coherence/trace.html"
    # The page is about an element: whoever may read findings and see the element.
    access_model = Element
    queryset = Element.objects.all()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        elements = access.restrict(
            Element.objects.filter(organisation=self.organisation).select_related("subject"),
            self.access,
        )
        element = get_object_or_404(elements, pk=kwargs["pk"])
        wanted = self.request.GET.get("framework", "")
        framework = Framework.objects.filter(ref_id=wanted).first() if wanted else None
        trace = element_trace(element=element, member_access=self.access, framework=framework)
        described = display.findings_described(
            trace.findings, org_slug=self.organisation.slug, may_fix=self.may_fix()
        )
        views = {view.finding.pk: view for view in described}
        figure = trace_figure.draw_trace(trace, org=self.organisation.slug, views=views)
        context.update(
            element=element,
            trace=trace,
            views=views,
            figure=figure,
            svg=render_to_string("coherence/trace.svg", {"figure": figure}),
            stage_rows=[
                (
                    stage,
                    trace_figure.stage_name(stage),
                    [views[f.pk] for f in stage.findings],
                    [(node, [views[f.pk] for f in node.findings]) for node in stage.nodes],
                )
                for stage in trace.stages
            ],
            services=[
                (service, trace_figure.performance_sentence(service)) for service in trace.services
            ],
        )
        return context


class ReviewMarkView(_CoherenceMixin, View):
    """POST: mark that the coherence was reviewed now (the next "since")."""

    permission_required = "coherence.review"
    access_model = CoherenceReview

    def post(self, request, *args, **kwargs):
        back = reverse("coherence:overview", kwargs={"org": self.organisation.slug})
        # The service checks coherence.review again (AccessDenied is a 403).
        services.coherence_review_mark(
            organisation=self.organisation, by=request.user, note=request.POST.get("note", "")
        )
        messages.success(
            request, _("Review marked: the overview now shows what changes from here on.")
        )
        return HttpResponseRedirect(back)
