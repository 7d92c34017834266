"""The Service Model Canvas of one service: its sections and cells as the USM
library defines them (stuurwiel/services/design.py), filled with the service's
canvas items."""

from __future__ import annotations

from django.views.generic import TemplateView

from stuurwiel.services import design, selectors
from stuurwiel.web import generic


class ServiceCanvasView(generic.ObjectMixin, TemplateView):
    area = "services"
    queryset = selectors.service_queryset()
    template_name = "services/service_canvas.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        service = self.get_object()
        items = list(service.canvas_items.order_by("position", "id"))
        sections = []
        for section in design.canvas_sections():
            rows = [
                {
                    "item": item,
                    "cells": [
                        (cell, (item.values or {}).get(cell.ref_id, "")) for cell in section.cells
                    ],
                }
                for item in items
                if item.section == section.ref_id
            ]
            sections.append({"section": section, "rows": rows})
        context.update(object=service, sections=sections)
        return context
