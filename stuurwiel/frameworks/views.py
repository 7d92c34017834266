from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.views.generic import TemplateView

from stuurwiel.frameworks import selectors, services
from stuurwiel.frameworks.errors import LibraryInvalid
from stuurwiel.frameworks.filtersets import FrameworkPartFilterSet
from stuurwiel.frameworks.forms import LibraryUploadForm
from stuurwiel.frameworks.models import Framework
from stuurwiel.web.mixins import OrganisationViewMixin

SEARCH_LIMIT = 50


class PlatformAdminRequiredMixin:
    """Only platform admins (``is_staff``): libraries are installation-wide, not
    an organisation's. Put it after :class:`OrganisationViewMixin`, so that
    non-members still get 404 before anything else."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_staff:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class FrameworkListView(OrganisationViewMixin, TemplateView):
    """The loaded frameworks as cards, and a search through all their parts."""

    template_name = "frameworks/framework_list.html"
    partial_template_name = "frameworks/_part_results.html"
    permission_required = "frameworks.view"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = FrameworkPartFilterSet(
            self.request.GET or None,
            queryset=selectors.framework_part_list(),
            request=self.request,
        )
        searching = filterset.is_bound and any(
            self.request.GET.get(name) for name in filterset.filters
        )
        results = list(filterset.qs[: SEARCH_LIMIT + 1]) if searching else []
        context.update(
            frameworks=selectors.framework_list(),
            filterset=filterset,
            searching=searching,
            results=results[:SEARCH_LIMIT],
            more_results=len(results) > SEARCH_LIMIT,
            can_load=self.request.user.is_staff,
        )
        return context

    def get_template_names(self):
        if getattr(self.request, "htmx", False) and not self.request.htmx.boosted:
            return [self.partial_template_name]
        return [self.template_name]


class FrameworkDetailView(OrganisationViewMixin, TemplateView):
    """One framework as a reference page, in the active language."""

    template_name = "frameworks/framework_detail.html"
    permission_required = "frameworks.view"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            framework = selectors.framework_detail(ref_id=self.kwargs["ref_id"])
        except Framework.DoesNotExist as exc:
            raise Http404 from exc
        context.update(framework=framework, outline=selectors.framework_outline(framework))
        return context


class FrameworkLoadView(OrganisationViewMixin, PlatformAdminRequiredMixin, TemplateView):
    """Upload library files; show what was loaded, or every error (nothing written)."""

    template_name = "frameworks/framework_load.html"
    permission_required = "frameworks.view"

    def get(self, request, *args, **kwargs):
        return self.render_page(LibraryUploadForm())

    def post(self, request, *args, **kwargs):
        form = LibraryUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_page(form, status=400)
        try:
            report = services.framework_library_load(
                files=form.library_files(), by=request.user, reason=form.cleaned_data["reason"]
            )
        except LibraryInvalid as exc:
            return self.render_page(form, errors=exc.errors, status=400)
        return self.render_page(LibraryUploadForm(), report=report)

    def render_page(self, form, *, errors=None, report=None, status=200):
        context = self.get_context_data(form=form, errors=errors, report=report)
        return render(self.request, self.template_name, context, status=status)
