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
from stuurwiel.changelog.selectors import changes_for_object, object_history_page
from stuurwiel.core.exceptions import ConflictError, ProtectedError
from stuurwiel.core.forms import edit_conflict, unsaved_rows
from stuurwiel.core.pagination import DeferredJoinPaginator
from stuurwiel.core.selectors import delete_consequences
from stuurwiel.core.tables import Column
from stuurwiel.organisations import access
from stuurwiel.web.mixins import OrganisationViewMixin


class ObjectMixin(OrganisationViewMixin):
    """The organisation's objects of one model, as far as the member may see them
    (the access layer restricts the queryset; an object outside it is 404)."""

    queryset: QuerySet
    area: str = ""  # permission area, e.g. "parties"
    action = "view"  # what the view does with its object: "view" or "change"

    @property
    def model(self):
        return self.queryset.model

    def dispatch(self, request, *args, **kwargs):
        if not self.permission_required:
            self.permission_required = access.permission_for(self.model, self.action)
        return super().dispatch(request, *args, **kwargs)

    def get_access_model(self):
        return self.model

    def get_queryset(self) -> QuerySet:
        return access.restrict(self.queryset.filter(organisation=self.organisation), self.access)

    def get_object(self):
        """The object in the URL (read once per request): 404 if the member may not
        see it, 403 if they may see but not change it on a page that changes it."""
        if getattr(self, "_object", None) is None:
            self._object = self.load_object()
        return self._object

    def load_object(self):
        """A fresh copy of the object in the URL, checked as :meth:`get_object`
        does. Forms get their own copy: validating one writes the typed values
        into its instance, which must not become "the stored object"."""
        obj = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        if self.action != "view" and not access.permitted(self.access, self.action, obj):
            raise access.AccessDenied(access.denial_message(self.access, self.action, obj))
        return obj

    def url_name(self, action: str) -> str:
        prefix = getattr(self.model, "url_prefix", "") or self.model._meta.model_name
        return f"{self.model.url_namespace}:{prefix}_{action}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        obj = kwargs.get("object") or (self.get_object() if "pk" in self.kwargs else None)
        if obj is not None:
            can_change = access.permitted(self.access, "change", obj)
        else:
            can_change = access.may_add(self.access, self.model)
        context.update(
            model_meta=self.model._meta,
            can_change=can_change,
            can_add=access.may_add(self.access, self.model),
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
    paginator_class: type[Paginator] = DeferredJoinPaginator

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

    action = "change"

    def get_initial(self) -> dict:
        """Initial values of a new object's form (e.g. from the query string)."""
        return {}

    def get_form(self, data=None):
        instance = self.load_object() if "pk" in self.kwargs else None
        initial = self.get_initial() if instance is None and data is None else None
        return self.form_class(
            data, instance=instance, initial=initial, organisation=self.organisation
        )

    def get(self, request, *args, **kwargs):
        return self.render_form(self.get_form())

    def post(self, request, *args, **kwargs):
        form = self.get_form(request.POST)
        if "take_theirs" in request.POST and form.instance.pk:
            # After a conflict: the stored version in the form, your values beside it.
            form.is_valid()
            return self.render_form(self.get_form(), unsaved=unsaved_rows(form))
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
        except ConflictError:
            # Someone saved in between: show their change beside yours, keep your
            # input (merged with what only they changed) under the new version, so
            # "save mine" succeeds and "take theirs" loads the stored version.
            data, rows = edit_conflict(yours=form, current=self.get_form())
            conflict = {
                "rows": rows,
                "change": changes_for_object(form.instance, with_parts=False).first(),
            }
            retry = self.get_form(data)
            retry.is_valid()
            return self.render_form(retry, status=409, conflict=conflict)
        except access.AccessDenied as exc:
            form.add_error(None, exc.message)
            return self.render_form(form, status=403)
        messages.success(request, _("“{name}” has been saved.").format(name=obj))
        return HttpResponseRedirect(self.success_url(obj))

    def success_url(self, obj) -> str:
        """Where a saved object's editor goes next: the object's page."""
        return obj.get_absolute_url()

    def render_form(self, form, status: int = 200, **extra):
        # Validating a form writes its values into form.instance: the heading and
        # breadcrumbs name the stored object, not what was typed.
        stored = None
        if form.instance.pk:
            stored = self.get_object() if form.is_bound else form.instance
            if form.is_bound and stored is form.instance:
                stored = self.load_object()
        if stored is not None:
            title = _("Edit {name}").format(name=stored)
        else:
            title = capfirst(_("Add {name}").format(name=self.model._meta.verbose_name))
        context = self.get_context_data(form=form, object=stored, form_title=title, **extra)
        return render(self.request, self.template_name, context, status=status)


class ObjectDeleteView(ObjectMixin, TemplateView):
    template_name = "core/object_confirm_delete.html"
    delete_service: Callable[..., Any]

    action = "change"

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
        except ValidationError as exc:  # a reason too long, a version that is no number
            for message in exc.messages:
                messages.error(request, message)
            return HttpResponseRedirect(obj.get_absolute_url())
        except access.AccessDenied as exc:  # e.g. a relation outside the scope goes along
            messages.error(request, exc.message)
            return HttpResponseRedirect(obj.get_absolute_url())
        messages.success(request, _("“{name}” has been deleted.").format(name=obj))
        return HttpResponseRedirect(self.deleted_url(obj))

    def deleted_url(self, obj) -> str:
        """Where to go after deleting ``obj``: its list."""
        return reverse(self.url_name("list"), kwargs={"org": self.organisation.slug})


class ObjectHistoryView(ObjectMixin, TemplateView):
    template_name = "core/object_history.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        obj = self.get_object()
        # Newest first by keyset, with the entries of its parts; values resolved per page.
        page = object_history_page(obj, cursor=self.request.GET.get("cursor"))
        present(
            page.object_list,
            organisation=obj.organisation,
            permissions=self.permissions,
            access=self.access,
        )
        context.update(object=obj, changes=page.object_list, page=page)
        return context


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
