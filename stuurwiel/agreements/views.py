"""Pages of agreements: the organisation's list, a service's overview, one
agreement with its versions, a draft's edit form (its norms in one grid), new
version and putting in force, and the priority matrices. Thin: the writes are
in :mod:`stuurwiel.agreements.services`."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from stuurwiel.agreements import filtersets, forms, selectors, services
from stuurwiel.agreements.choices import MatrixKind
from stuurwiel.agreements.consistency import agreement_findings
from stuurwiel.agreements.library import priority_library
from stuurwiel.agreements.models import Agreement, PriorityCell
from stuurwiel.agreements.overview import service_overview
from stuurwiel.core.exceptions import ConflictError
from stuurwiel.core.tables import Column
from stuurwiel.organisations import access
from stuurwiel.services.models import Service
from stuurwiel.web import generic
from stuurwiel.web.mixins import OrganisationViewMixin

AREA = "agreements"

# --- Agreements ----------------------------------------------------------------------


class AgreementListView(generic.ObjectListView):
    area = AREA
    queryset = selectors.agreement_queryset()
    filterset_class = filtersets.AgreementFilterSet
    template_name = "agreements/agreement_list.html"
    columns = [
        Column("name", gettext_lazy("Name"), link=True),
        Column("service", gettext_lazy("Service")),
        Column("kind", gettext_lazy("Kind")),
        Column("party", gettext_lazy("With")),
        Column("in_force_label", gettext_lazy("In force")),
        Column("draft_label", gettext_lazy("Draft")),
    ]


class AgreementDetailView(generic.ObjectDetailView):
    area = AREA
    queryset = selectors.agreement_queryset()
    # The service by name: its own pages belong to the services app.
    detail_fields = [
        Column("service.name", gettext_lazy("Service")),
        Column("kind", gettext_lazy("Kind")),
        Column("party", gettext_lazy("With")),
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        agreement = context["object"]
        versions = selectors.versions_of(agreement)
        context.update(
            versions=versions,
            draft=next((v for v in versions if v.is_draft), None),
            latest=selectors.version_in_force(versions) or (versions[0] if versions else None),
            service_url=reverse(
                "agreements:service_agreements",
                kwargs={"org": self.organisation.slug, "service": agreement.service_id},
            ),
        )
        return context


class AgreementEditView(generic.ObjectEditView):
    area = AREA
    queryset = selectors.agreement_queryset()
    form_class = forms.AgreementForm
    create_service = services.agreement_create
    update_service = services.agreement_update

    def get_initial(self) -> dict:
        return {
            name: self.request.GET[name]
            for name in ("service", "kind", "link")
            if self.request.GET.get(name)
        }


class AgreementDeleteView(generic.ObjectDeleteView):
    area = AREA
    queryset = selectors.agreement_queryset()
    delete_service = services.agreement_delete


class AgreementHistoryView(generic.ObjectHistoryView):
    area = AREA
    queryset = selectors.agreement_queryset()


class ServiceAgreementsView(generic.ObjectMixin, TemplateView):
    """A service's SA and the OLA/UC of each chain link, their norms side by side,
    and what does not fit yet: the page a service manager reads."""

    area = AREA
    queryset = selectors.agreement_queryset()
    template_name = "agreements/service_agreements.html"

    def get_service(self) -> Service:
        service = get_object_or_404(
            Service.objects.select_related("organisation", "calendar"),
            organisation=self.organisation,
            pk=self.kwargs["service"],
        )
        # Who may see the service, or has an agreement on it (a supplier's user
        # with their contract), sees the page; others learn nothing of it.
        if not (
            access.permitted(self.access, "view", service)
            or self.get_queryset().filter(service=service).exists()
        ):
            raise Http404
        return service

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        service = self.get_service()
        overview = service_overview(service, self.access)
        context.update(
            service=service,
            # The service's own pages (its tabs, the way back) for who may see it;
            # a supplier's user with a contract on it sees this page only.
            service_visible=access.permitted(self.access, "view", service),
            overview=overview,
            can_add=access.permitted(
                self.access, "change", Agreement(organisation=self.organisation, service=service)
            ),
            add_url=reverse("agreements:agreement_add", kwargs={"org": self.organisation.slug}),
        )
        return context


# --- Versions ------------------------------------------------------------------------


class VersionMixin:
    """Version pages are named ``version_*``; their list is the agreements list."""

    area = AREA
    queryset = selectors.version_queryset()

    def url_name(self, action: str) -> str:
        if action in ("list", "add"):
            return f"agreements:agreement_{action}"
        return f"agreements:version_{action}"


class VersionDetailView(VersionMixin, generic.ObjectDetailView):
    detail_fields = [
        Column("status", gettext_lazy("Status")),
        Column("valid_from", gettext_lazy("In force from")),
        Column("calendar", gettext_lazy("Service hours")),
        Column("availability", gettext_lazy("Availability (%)")),
        Column("facility_functionality", gettext_lazy("Functionality of the facility")),
        Column("notes", gettext_lazy("Notes")),
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        version = context["object"]
        context["norms"] = list(version.norms.all())
        context["can_change_version"] = context["can_change"] and version.is_draft
        return context


class VersionEditView(VersionMixin, generic.ObjectEditView):
    """A draft's fields and its norm grid in one form: one save, one version, so
    a concurrent edit of any norm is a conflict shown field by field."""

    form_class = forms.VersionForm
    template_name = "agreements/version_form.html"
    update_service = services.version_update

    def get(self, request, *args, **kwargs):
        version = self.get_object()
        if not version.is_draft:
            messages.error(
                request,
                _(
                    "Version {number} is {status}; only a draft can be changed. Make a new "
                    "version to change it."
                ).format(number=version.number, status=version.get_status_display()),
            )
            return HttpResponseRedirect(version.get_absolute_url())
        return super().get(request, *args, **kwargs)

    def get_form(self, data=None):
        instance = self.load_object()
        return self.form_class(
            data,
            instance=instance,
            organisation=self.organisation,
            priorities=selectors.organisation_priorities(self.organisation),
        )


class VersionNewView(VersionMixin, generic.ObjectMixin, TemplateView):
    """Make a new draft: a copy of this version with its norms."""

    action = "change"
    template_name = "agreements/version_new.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.get_object()
        return context

    def post(self, request, *args, **kwargs):
        source = self.get_object()
        try:
            draft = services.version_new(
                agreement=source.agreement,
                by=request.user,
                source=source,
                reason=request.POST.get("change_reason", ""),
            )
        except (ConflictError, ValidationError) as exc:
            for message in _messages(exc):
                messages.error(request, message)
            return HttpResponseRedirect(source.agreement.get_absolute_url())
        messages.success(
            request,
            _("Version {number} is a new draft, copied from version {source}.").format(
                number=draft.number, source=source.number
            ),
        )
        return HttpResponseRedirect(draft.get_edit_url())


class VersionActivateView(VersionMixin, generic.ObjectMixin, TemplateView):
    """Confirm, then put a draft in force (the version before it is superseded)."""

    action = "change"
    template_name = "agreements/version_activate.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        version = self.get_object()
        context.update(
            object=version,
            missing=services.missing_priorities(version) if version.is_draft else [],
            in_force=version.agreement.version_in_force if version.is_draft else None,
            findings=agreement_findings(version.agreement.service),
            form=kwargs.get("form") or forms.ActivateForm(initial={"version": version.version}),
        )
        return context

    def post(self, request, *args, **kwargs):
        version = self.get_object()
        form = forms.ActivateForm(request.POST)
        form.is_valid()
        data = getattr(form, "cleaned_data", {})
        try:
            services.version_activate(
                instance=version,
                by=request.user,
                version=data.get("version"),
                reason=data.get("change_reason", ""),
            )
        except ValidationError as exc:
            form.add_error(None, _messages(exc))
            return self.render_to_response(self.get_context_data(form=form), status=400)
        except ConflictError as exc:
            form.add_error(None, str(exc))
            return self.render_to_response(self.get_context_data(form=form), status=409)
        messages.success(
            request,
            _("Version {number} of “{agreement}” is in force from today.").format(
                number=version.number, agreement=version.agreement
            ),
        )
        return HttpResponseRedirect(version.get_absolute_url())


def _messages(exc) -> list[str]:
    if isinstance(exc, ValidationError):
        return list(exc.messages)
    return [str(exc)]


# --- Priority matrices -----------------------------------------------------------------


def _matrix_kind(request) -> str:
    kind = request.GET.get("matrix") or request.POST.get("matrix") or MatrixKind.CALL
    return kind if kind in MatrixKind.values else MatrixKind.CALL


class PriorityMatrixView(OrganisationViewMixin, TemplateView):
    """Both matrices, the library default they start from and where it comes from."""

    permission_required = "agreements.view"
    access_model = PriorityCell
    template_name = "agreements/priority_matrix.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        library = priority_library()
        context.update(
            grids=[
                selectors.priority_grid(self.organisation, kind, library=library)
                for kind in (MatrixKind.CALL, MatrixKind.RISK)
            ],
            library=library,
            can_change=access.may_add(self.access, PriorityCell),
        )
        return context


class PriorityMatrixEditView(OrganisationViewMixin, TemplateView):
    """Edit one matrix cell by cell, or reset it to the library's default."""

    permission_required = "agreements.change"
    access_model = PriorityCell
    template_name = "agreements/priority_matrix_form.html"

    def grid(self, kind):
        return selectors.priority_grid(self.organisation, kind)

    def get(self, request, *args, **kwargs):
        grid = self.grid(_matrix_kind(request))
        return self.render_form(forms.PriorityMatrixForm(grid=grid))

    def post(self, request, *args, **kwargs):
        kind = _matrix_kind(request)
        matrix_url = reverse("agreements:priority_matrix", kwargs={"org": self.organisation.slug})
        reason = request.POST.get("change_reason", "")
        try:
            if "reset" in request.POST:
                services.priority_matrix_reset(
                    organisation=self.organisation, by=request.user, matrix=kind, reason=reason
                )
                messages.success(request, _("The matrix is the library's default again."))
                return HttpResponseRedirect(f"{matrix_url}#{kind}")
            form = forms.PriorityMatrixForm(request.POST, grid=self.grid(kind))
            if not form.is_valid():
                return self.render_form(form, status=400)
            changed = services.priority_matrix_update(
                organisation=self.organisation,
                by=request.user,
                matrix=kind,
                values=form.values(),
                started=form.started(),
                reason=form.cleaned_data.get("change_reason", ""),
            )
        except services.MatrixConflict as exc:
            return self.render_conflict(form, exc)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return HttpResponseRedirect(request.get_full_path())
        except access.AccessDenied as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(matrix_url)
        messages.success(request, _("{count} cell(s) of the matrix changed.").format(count=changed))
        return HttpResponseRedirect(f"{matrix_url}#{kind}")

    def render_conflict(self, form, exc):
        """Show the stored values where only they changed a cell, yours where you
        did, with the cells you both changed listed; saving again applies yours."""
        grid = self.grid(form.grid.kind)
        started = form.started()
        data = form.data.copy()
        stored = {}
        for key, cell in grid.cells.items():
            name = f"{key[0]}__{key[1]}"
            stored[name] = cell.priority
            if form.values()[key] == started.get(key, cell.priority):
                data[name] = str(cell.priority)
        data["started_from"] = json.dumps(stored)
        retry = forms.PriorityMatrixForm(data, grid=grid)
        retry.is_valid()
        rows = [
            {
                "label": grid.default.row_label(c.row)
                + " × "
                + grid.default.column_label(c.column),
                "theirs": c.theirs,
                "yours": c.yours,
                "started": c.started,
            }
            for c in exc.cells
        ]
        return self.render_form(retry, status=409, conflict_cells=rows)

    def render_form(self, form, status=200, **extra):
        context = self.get_context_data(form=form, grid=form.grid, **extra)
        return render(self.request, self.template_name, context, status=status)
