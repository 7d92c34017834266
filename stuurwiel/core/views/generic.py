"""The four object views every app uses: list, detail, edit (create/update), delete,
plus the history tab. Each app subclasses them in a few declarative lines; writes
go through the app's services, never through ``form.save()``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from stuurwiel.changelog.presenters import present
from stuurwiel.changelog.selectors import object_history_page
from stuurwiel.core.exceptions import ConflictError, ProtectedError
from stuurwiel.core.selectors import delete_consequences
from stuurwiel.core.tables import Column
from stuurwiel.core.views.mixins import OrganisationViewMixin


class ObjectMixin(OrganisationViewMixin):
    queryset: QuerySet
    area: str = ""  # permission area, e.g. "parties"

    @property
    def model(self):
        return self.queryset.model

    def get_queryset(self) -> QuerySet:
        return self.queryset.filter(organisation=self.organisation)

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def url_name(self, action: str) -> str:
        return f"{self.model.url_namespace}:{self.model._meta.model_name}_{action}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            model_meta=self.model._meta,
            can_change=f"{self.area}.change" in self.permissions,
            list_url=reverse(self.url_name("list"), kwargs={"org": self.organisation.slug}),
            add_url=reverse(self.url_name("add"), kwargs={"org": self.organisation.slug}),
        )
        return context


class ObjectListView(ObjectMixin, TemplateView):
    """Filterable, paged list. HTMX requests get only the table fragment."""

    template_name = "core/object_list.html"
    partial_template_name = "core/_object_table.html"
    filterset_class: type
    columns: list[Column] = []
    paginator_class: type[Paginator] = Paginator

    def dispatch(self, request, *args, **kwargs):
        self.permission_required = f"{self.area}.view"
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = self.filterset_class(
            self.request.GET or None, queryset=self.get_queryset(), request=self.request
        )
        from django.conf import settings

        paginator = self.paginator_class(filterset.qs, settings.STUURWIEL_LIST_PAGE_SIZE)
        page = paginator.get_page(self.request.GET.get("page"))
        context.update(filterset=filterset, page=page, columns=self.columns)
        return context

    def get_template_names(self):
        if getattr(self.request, "htmx", False) and not self.request.htmx.boosted:
            return [self.partial_template_name]
        return [self.template_name]


class ObjectDetailView(ObjectMixin, TemplateView):
    detail_fields: list[Column] = []

    def dispatch(self, request, *args, **kwargs):
        self.permission_required = f"{self.area}.view"
        return super().dispatch(request, *args, **kwargs)

    def get_template_names(self):
        meta = self.model._meta
        return [f"{meta.app_label}/{meta.model_name}_detail.html", "core/object_detail.html"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(object=self.get_object(), detail_fields=self.detail_fields)
        return context


class ObjectEditView(ObjectMixin, TemplateView):
    """Create (no ``pk``) or update (``pk``) through the app's services."""

    template_name = "core/object_form.html"
    form_class: type
    create_service: Callable[..., Any]
    update_service: Callable[..., Any]

    def dispatch(self, request, *args, **kwargs):
        self.permission_required = f"{self.area}.change"
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self) -> dict:
        """Initial values of a new object's form (e.g. from the query string)."""
        return {}

    def get_form(self, data=None):
        instance = self.get_object() if "pk" in self.kwargs else None
        initial = self.get_initial() if instance is None and data is None else None
        return self.form_class(
            data, instance=instance, initial=initial, organisation=self.organisation
        )

    def get(self, request, *args, **kwargs):
        return self.render_form(self.get_form())

    def post(self, request, *args, **kwargs):
        form = self.get_form(request.POST)
        if not form.is_valid():
            return self.render_form(form, status=400)
        reason = form.cleaned_data.get("change_reason", "")
        try:
            if form.instance.pk:
                obj = type(self).update_service(
                    instance=form.instance,
                    by=request.user,
                    data=form.service_data(),
                    version=form.cleaned_data.get("version"),
                    reason=reason,
                )
            else:
                obj = type(self).create_service(
                    organisation=self.organisation,
                    by=request.user,
                    data=form.service_data(),
                    reason=reason,
                )
        except ValidationError as exc:
            _add_errors(form, exc)
            return self.render_form(form, status=400)
        except ConflictError as exc:
            form.add_error(None, str(exc))
            return self.render_form(form, status=409)
        messages.success(request, _("“{name}” has been saved.").format(name=obj))
        return HttpResponseRedirect(obj.get_absolute_url())

    def render_form(self, form, status: int = 200):
        if form.instance.pk:
            title = _("Edit {name}").format(name=form.instance)
        else:
            title = capfirst(_("Add {name}").format(name=self.model._meta.verbose_name))
        context = self.get_context_data(
            form=form, object=form.instance if form.instance.pk else None, form_title=title
        )
        return render(self.request, self.template_name, context, status=status)


class ObjectDeleteView(ObjectMixin, TemplateView):
    template_name = "core/object_confirm_delete.html"
    delete_service: Callable[..., Any]

    def dispatch(self, request, *args, **kwargs):
        self.permission_required = f"{self.area}.change"
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.get_object()
        context["consequences"] = delete_consequences(context["object"])
        return context

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        version = request.POST.get("version") or None
        try:
            type(self).delete_service(
                instance=obj,
                by=request.user,
                version=version,
                reason=request.POST.get("change_reason", ""),
            )
        except (ProtectedError, ConflictError) as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(obj.get_absolute_url())
        messages.success(request, _("“{name}” has been deleted.").format(name=obj))
        return HttpResponseRedirect(
            reverse(self.url_name("list"), kwargs={"org": self.organisation.slug})
        )


class ObjectHistoryView(ObjectMixin, TemplateView):
    template_name = "core/object_history.html"

    def dispatch(self, request, *args, **kwargs):
        self.permission_required = f"{self.area}.view"
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        obj = self.get_object()
        # Newest first by keyset, with the entries of its parts; values resolved per page.
        page = object_history_page(obj, cursor=self.request.GET.get("cursor"))
        present(page.object_list, organisation=obj.organisation, permissions=self.permissions)
        context.update(object=obj, changes=page.object_list, page=page)
        return context


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
