"""A subject's figure of one applied framework: the page (inline SVG, the text
alternative, downloads, a print stylesheet for one A4 landscape page) and the SVG
file. The PNG is made in the browser from the SVG file by the chain diagram's
script (``services/chain_diagram.js``): no rasteriser and no fonts on the server."""

from __future__ import annotations

from collections.abc import Mapping

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from stuurwiel.diagrams import registry
from stuurwiel.diagrams.figure import Figure, render_svg
from stuurwiel.diagrams.selectors import DiagramContent, applied_framework, subject_diagram_content
from stuurwiel.graph.models import Subject
from stuurwiel.web.generic import ObjectMixin


class DiagramMixin(ObjectMixin):
    """The subject in the URL as far as the member may see it (404 otherwise), and
    the framework ``ref_id`` when it is applied to it and has a figure."""

    queryset = Subject.objects.select_related("organisation")
    area = "graph"
    action = "view"

    def get_findings(self, subject) -> Mapping[int, int] | None:
        """Open coherence findings per part pk, for whoever may read the findings."""
        from stuurwiel.coherence.models import Finding
        from stuurwiel.coherence.selectors import open_counts_per_part
        from stuurwiel.organisations import access

        if not access.permitted(self.access, "view", Finding(subject=subject)):
            return None
        return open_counts_per_part(subject=subject)

    def get_content(self) -> DiagramContent:
        subject = self.get_object()
        framework = applied_framework(subject=subject, ref_id=self.kwargs["ref_id"])
        if framework is None or not registry.has_diagram(framework.ref_id):
            raise Http404(_("This subject has no diagram of that framework."))
        return subject_diagram_content(
            subject=subject, framework=framework, findings=self.get_findings(subject)
        )

    def get_figure(self) -> tuple[DiagramContent, Figure]:
        content = self.get_content()
        return content, registry.draw(content)

    def file_name(self, content: DiagramContent, extension: str) -> str:
        stem = slugify(f"{content.framework.ref_id} {content.subject.name}") or "diagram"
        return _("diagram-{name}").format(name=stem) + extension


class DiagramView(DiagramMixin, TemplateView):
    template_name = "diagrams/diagram.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        content, figure = self.get_figure()
        subject = content.subject
        context.update(
            object=subject,
            content=content,
            figure=figure,
            svg=mark_safe(render_svg(figure)),  # noqa: S308 (rendered by a template, escaped)
            svg_url=reverse(
                "diagrams:subject_diagram_svg",
                kwargs={
                    "org": self.organisation.slug,
                    "pk": subject.pk,
                    "ref_id": content.framework.ref_id,
                },
            ),
            png_filename=self.file_name(content, ".png"),
            svg_filename=self.file_name(content, ".svg"),
            # The badges on the parts, summed: the page then says where they are explained.
            findings_total=sum(view.findings or 0 for view in content.parts),
        )
        return context


class DiagramSvgView(DiagramMixin, View):
    """The figure as a standalone SVG file; ``?download=1`` saves it."""

    def get(self, request, *args, **kwargs):
        content, figure = self.get_figure()
        response = HttpResponse(
            render_svg(figure, standalone=True), content_type="image/svg+xml; charset=utf-8"
        )
        # Opened on its own, an SVG is a document: nothing in it may run or load.
        response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
        if request.GET.get("download"):
            name = self.file_name(content, ".svg")
            response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
