"""The Service Model Canvas of one service, as one page a consultant prints: the
service at the top, its facilities (each specified and assessed in the cells the
USM library gives, stuurwiel/services/design.py), the support and the optional
experience, and what the canvas feeds.

Inline editing (HTMX): a cell, an item's name, a new item and a deletion each
have an endpoint that answers an HTMX request with the fragment it replaces and
any other request with a small page around the same fragment, so the canvas
works without JavaScript too. Saves go through the canvas item services with
the version the editor started from; when someone saved the same text in
between, the answer (409) shows their text beside yours and keeps both.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from stuurwiel.changelog.selectors import changes_for_object
from stuurwiel.core.exceptions import ConflictError
from stuurwiel.services import design, selectors, services
from stuurwiel.services.choices import ServiceStatus
from stuurwiel.services.models import CanvasItem, Service
from stuurwiel.web import generic


def canvas_url(item_or_service) -> str:
    service = item_or_service.service if isinstance(item_or_service, CanvasItem) else None
    service_id = service.pk if service else item_or_service.pk
    url = reverse(
        "services:service_canvas",
        kwargs={"org": item_or_service.organisation.slug, "pk": service_id},
    )
    return f"{url}#item-{item_or_service.pk}" if service else url


def _rows(section: design.CanvasSection, item: CanvasItem) -> dict:
    values = item.values or {}
    return {"item": item, "cells": [(c, values.get(c.ref_id, "")) for c in section.entry_cells]}


class ServiceCanvasView(generic.ObjectMixin, TemplateView):
    area = "services"
    queryset = selectors.service_queryset()
    template_name = "services/service_canvas.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        service = self.get_object()
        items = list(service.canvas_items.order_by("position", "id"))
        sections = [
            {
                "section": section,
                "rows": [_rows(section, item) for item in items if item.section == section.ref_id],
                # A section of more than two cells (the facility) takes the width.
                "wide": len(section.entry_cells) > 2,
            }
            for section in design.canvas_sections()
        ]
        context.update(
            object=service,
            sections=sections,
            customers=list(service.customers.order_by("name")),
            feeds=self.feeds(service),
        )
        return context

    def feeds(self, service: Service) -> list[dict]:
        """What the canvas feeds (the USM library's service definition), with the
        page of each where this installation has one."""
        org = self.organisation.slug
        try:
            agreements = reverse(
                "agreements:service_agreements", kwargs={"org": org, "service": service.pk}
            )
        except NoReverseMatch:  # the agreements pages are not there (yet)
            agreements = ""
        live = service.status == ServiceStatus.LIVE
        return [
            {
                "name": _("Service agreement"),
                "url": agreements,
                "note": _(
                    "Per service only the functionality of the facility varies; "
                    "the rest follows one standard structure."
                ),
            },
            {
                "name": _("Service catalogue"),
                "url": reverse(
                    "services:requester_catalogue" if live else "services:service_list",
                    kwargs={"org": org},
                ),
                "note": _("Requesters see the service once it is live.")
                if not live
                else _("Requesters see the value for the customer and the description."),
            },
            {
                "name": _("Service report"),
                "url": "",
                "note": _("Reports on the functioning of facility and support: not built yet."),
            },
        ]


# --- Inline editing -------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    """What one inline editor edits: a cell of an item, or its name."""

    ref_id: str  # a cell's ref_id, or "name"
    name: str
    description: str
    text: str
    multiline: bool = True


class _InlineView(generic.ObjectMixin, TemplateView):
    """An inline editor: changes need ``services.change`` on the object."""

    area = "services"
    action = "change"
    page_template = "services/canvas/inline_page.html"

    def respond(self, fragment: str, status: int = 200, **extra):
        obj = self.get_object()
        service = obj.service if isinstance(obj, CanvasItem) else obj
        context = self.get_context_data(
            object=service, item=obj if obj is not service else None, **extra
        )
        context.update(canvas_url=canvas_url(service), fragment=fragment)
        if self.request.htmx:
            return render(self.request, fragment, context, status=status)
        return render(self.request, self.page_template, context, status=status)


class _ItemFieldView(_InlineView):
    """GET: the editor (``?mode=show``: the field as shown); POST: save it."""

    queryset = selectors.canvas_item_queryset()
    show_template = ""
    field_url_name = ""

    def field(self, item: CanvasItem) -> Field | None:
        raise NotImplementedError

    def save(self, item: CanvasItem, text: str, version, started):
        raise NotImplementedError

    def render_field(self, fragment, item, field, status=200, **extra):
        self._object = item
        url = reverse(self.field_url_name, kwargs={"org": self.organisation.slug, "pk": item.pk})
        cell = self.field_url_name.endswith("_cell")
        query = "?" + urlencode({"cell": field.ref_id}) if cell else ""
        return self.respond(
            fragment,
            status,
            field=field,
            field_url=url,
            field_query=query,
            **self.show_context(item, field),
            **extra,
        )

    def show_context(self, item: CanvasItem, field: Field) -> dict:
        return {"cell": field, "text": field.text}

    def get(self, request, *args, **kwargs):
        item = self.get_object()
        field = self.field(item)
        if field is None:
            return self.unknown(item)
        if request.GET.get("mode") == "show":
            return self.render_field(self.show_template, item, field, refocus=True)
        return self.render_field(
            "services/canvas/_field_edit.html",
            item,
            field,
            version=item.version,
            started=field.text,
        )

    def unknown(self, item: CanvasItem):
        field = Field(self.request.GET.get("cell", ""), _("Unknown cell"), "", "")
        errors = [_("This item has no such cell; reload the canvas.")]
        return self.render_field(
            "services/canvas/_field_edit.html", item, field, status=400, errors=errors
        )

    def post(self, request, *args, **kwargs):
        item = self.get_object()
        field = self.field(item)
        typed = request.POST.get("text", "")
        if field is None:  # the service refuses it, with the reason as a field error
            field = Field(request.POST.get("cell", ""), request.POST.get("cell", ""), "", "")
        if "take_theirs" in request.POST:
            return self.render_field(self.show_template, item, field, unsaved=typed)
        try:
            saved = self.save(item, typed, request.POST.get("version"), request.POST.get("started"))
        except ValidationError as exc:
            return self.render_field(
                "services/canvas/_field_edit.html",
                item,
                Field(field.ref_id, field.name, field.description, typed, field.multiline),
                status=400,
                errors=exc.messages,
                version=request.POST.get("version", ""),
                started=request.POST.get("started", ""),
            )
        except ConflictError:
            fresh = self.load_object()
            theirs = self.field(fresh) or field
            return self.render_field(
                "services/canvas/_field_conflict.html",
                fresh,
                theirs,
                status=409,
                yours=typed,
                version=fresh.version,
                change=changes_for_object(fresh, with_parts=False).first(),
            )
        if not request.htmx:
            return HttpResponseRedirect(canvas_url(saved))
        return self.render_field(
            self.show_template, saved, self.field(saved) or field, refocus=True
        )


class CanvasCellView(_ItemFieldView):
    """One cell of a canvas item (``cell``: the cell's ref_id in the USM library)."""

    show_template = "services/canvas/_cell.html"
    field_url_name = "services:canvasitem_cell"

    def cell_ref(self) -> str:
        return self.request.POST.get("cell") or self.request.GET.get("cell", "")

    def field(self, item: CanvasItem) -> Field | None:
        ref = self.cell_ref()
        section = next((s for s in design.canvas_sections() if s.ref_id == item.section), None)
        cell = next((c for c in section.entry_cells if c.ref_id == ref), None) if section else None
        if cell is None:
            return None
        return Field(cell.ref_id, cell.name, cell.description, (item.values or {}).get(ref, ""))

    def save(self, item, text, version, started):
        return services.canvas_cell_update(
            instance=item,
            by=self.request.user,
            cell=self.cell_ref(),
            text=text,
            version=version,
            started=started,
        )


class CanvasItemRenameView(_ItemFieldView):
    """The name of a canvas item (the heading of its block)."""

    show_template = "services/canvas/_item_head.html"
    field_url_name = "services:canvasitem_rename"

    def field(self, item: CanvasItem) -> Field | None:
        return Field("name", _("Name"), "", item.name, multiline=False)

    def show_context(self, item, field) -> dict:
        return {}

    def save(self, item, text, version, started):
        return services.canvas_item_rename(
            instance=item, by=self.request.user, name=text, version=version, started=started
        )


class CanvasItemAddView(_InlineView):
    """A new item in one section of a service's canvas (``pk``: the service).
    GET ``?section=``: the form (``&mode=button``: the add button again)."""

    queryset = selectors.service_queryset()

    def section(self) -> design.CanvasSection | None:
        ref = self.request.POST.get("section") or self.request.GET.get("section", "")
        return next((s for s in design.canvas_sections() if s.ref_id == ref), None)

    def get(self, request, *args, **kwargs):
        section = self.section()
        if section is None:
            return self.respond(
                "services/canvas/_add.html",
                status=400,
                section={"ref_id": "", "name": ""},
                errors=[_("Choose a section of the Service Model Canvas.")],
                editing=True,
            )
        editing = request.GET.get("mode") != "button"
        return self.respond("services/canvas/_add.html", section=section, editing=editing)

    def post(self, request, *args, **kwargs):
        service = self.get_object()
        section = self.section()
        name = request.POST.get("name", "").strip()
        try:
            item = services.canvas_item_create(
                organisation=self.organisation,
                by=request.user,
                data={
                    "service": service,
                    "section": request.POST.get("section", ""),
                    "name": name,
                    "values": {},
                },
            )
        except ValidationError as exc:
            return self.respond(
                "services/canvas/_add.html",
                status=400,
                section=section or {"ref_id": "", "name": ""},
                errors=exc.messages,
                editing=True,
                name=name,
            )
        if not request.htmx:
            return HttpResponseRedirect(canvas_url(item))
        return self.respond(
            "services/canvas/_added.html",
            section=section,
            entry={"section": section},
            row=_rows(section, item),
            editing=False,
        )


class CanvasItemRemoveView(_InlineView):
    """Delete a canvas item from the canvas: GET asks, POST deletes."""

    queryset = selectors.canvas_item_queryset()

    def get(self, request, *args, **kwargs):
        item = self.get_object()
        return self.respond(
            "services/canvas/_item_remove.html", links=item.links.count(), version=item.version
        )

    def post(self, request, *args, **kwargs):
        item = self.get_object()
        try:
            services.canvas_item_delete(
                instance=item, by=request.user, version=request.POST.get("version") or None
            )
        except (ConflictError, ValidationError):
            # Changed since it was shown: show it as it is now, and ask again.
            fresh = self.load_object()
            self._object = fresh
            section = next((s for s in design.canvas_sections() if s.ref_id == fresh.section), None)
            if section is None or not request.htmx:
                return HttpResponseRedirect(canvas_url(fresh))
            return self.respond(
                "services/canvas/_item.html",
                status=409,
                row=_rows(section, fresh),
                entry={"section": section},
                notice=_("Someone changed this item since you opened it: look again."),
            )
        if not request.htmx:
            return HttpResponseRedirect(canvas_url(item.service))
        return HttpResponse("")
