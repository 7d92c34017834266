"""The chain diagram of a service: the page (inline SVG, the text alternative and
the downloads) and the SVG file. PNG is made in the browser from the SVG file
(``services/chain_diagram.js``): no rasteriser on the server, so no system package
(cairo) and no fonts to install for ``make demo``; the browser draws the text with
the same fonts as on the page."""

from __future__ import annotations

from django.http import HttpResponse
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from stuurwiel.services import selectors
from stuurwiel.services.diagram import ChainUrls, chain_diagram, render_svg
from stuurwiel.web.generic import ObjectMixin


class ChainDiagramMixin(ObjectMixin):
    """The service in the URL, as far as the member may see it (404 otherwise)."""

    queryset = selectors.service_queryset()
    area = "services"
    action = "view"

    def get_diagram(self):
        service = self.get_object()
        return chain_diagram(service, urls=ChainUrls(self.organisation.slug), viewer=self.access)

    def file_name(self, extension: str) -> str:
        service = self.get_object()
        stem = slugify(service.name) or str(service.pk)
        return _("chain-diagram-{service}").format(service=stem) + extension


class ChainDiagramView(ChainDiagramMixin, TemplateView):
    template_name = "services/chain_diagram.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        diagram = self.get_diagram()
        service = diagram.service
        svg_url = reverse(
            "services:service_chain_svg", kwargs={"org": self.organisation.slug, "pk": service.pk}
        )
        context.update(
            object=service,
            diagram=diagram,
            svg=mark_safe(render_svg(diagram)),  # noqa: S308 (rendered by a template, escaped)
            svg_url=svg_url,
            png_filename=self.file_name(".png"),
            svg_filename=self.file_name(".svg"),
        )
        return context


class ChainDiagramSvgView(ChainDiagramMixin, View):
    """The diagram as a standalone SVG file; ``?download=1`` saves it."""

    def get(self, request, *args, **kwargs):
        response = HttpResponse(
            render_svg(self.get_diagram(), standalone=True),
            content_type="image/svg+xml; charset=utf-8",
        )
        # Opened on its own, an SVG is a document: nothing in it may run or load.
        response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
        if request.GET.get("download"):
            response["Content-Disposition"] = f'attachment; filename="{self.file_name(".svg")}"'
        return response
