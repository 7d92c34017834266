"""The model graph: an architect's navigable view of the connected model, as a page
(filters, the figure, the figure as text; HTMX swaps the figure when a filter
changes) and as an SVG file of the same view."""

from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView, View

from stuurwiel.graph import filtersets, graph_selectors
from stuurwiel.graph import modelgraph as graph_figure
from stuurwiel.graph.modelgraph import focus as focus_figure
from stuurwiel.graph.modelgraph import overview as overview_figure
from stuurwiel.graph.models import Element, Relation
from stuurwiel.organisations import access
from stuurwiel.web.mixins import OrganisationViewMixin

# --- The model graph: an architect's navigable view of the connected model ----------


class ModelGraphMixin(OrganisationViewMixin):
    """The filtered model as a figure: around ``?focus=<pk>`` (depth 1 or 2) or, without
    a focus, the overview. Elements and relations as far as the member may see them."""

    permission_required = "graph.view"
    access_model = Element
    # Query parameters that choose the view, not the elements a link keeps.
    VIEW_PARAMETERS = ("focus", "focus_search", "depth")

    def get_graph(self):
        request = self.request
        elements = access.restrict(
            Element.objects.filter(organisation=self.organisation), self.access
        )
        filterset = filtersets.ModelGraphFilterSet(
            request.GET or None, queryset=elements, request=request
        )
        valid = filterset.is_valid() if filterset.is_bound else True
        data = filterset.form.cleaned_data if filterset.is_bound and valid else {}
        relations = access.restrict(
            Relation.objects.filter(organisation=self.organisation), self.access
        )
        relation_type = data.get("relation_type") or ""
        kept = {
            key: value
            for key in request.GET
            if key not in (*self.VIEW_PARAMETERS, "download") and (value := request.GET[key])
        }
        subtitle = self.subtitle(data, kept)
        focus_id = data.get("focus")
        if not valid:
            figure = overview_figure.draw_overview(
                graph_selectors.Overview(total=0), subtitle=subtitle, **self.links(kept, {})
            )
            return filterset, None, figure, valid
        if focus_id:
            centre = get_object_or_404(elements.select_related("subject"), pk=focus_id)
            depth = 2 if data.get("depth") == "2" else 1
            view = graph_selectors.model_graph_focus(
                centre=centre,
                relations=relations,
                depth=depth,
                relation_type=relation_type,
                elements=filterset.qs if filterset.filters_elements else None,
            )
            figure = focus_figure.draw_focus(
                view,
                detail_url=centre.get_absolute_url(),
                subtitle=subtitle,
                **self.links(kept, {"depth": str(depth)}, centre=centre),
            )
        else:
            view = graph_selectors.model_graph_overview(
                elements=filterset.qs,
                relations=relations,
                relation_type=relation_type,
                framework=data.get("framework"),
            )
            figure = overview_figure.draw_overview(view, subtitle=subtitle, **self.links(kept, {}))
        return filterset, view, figure, valid

    def links(self, kept: dict, view: dict, centre=None) -> dict:
        """Where the figure's links go: a node centres the graph on it (the filters
        kept), a type or part opens the filtered element list, "+N more" the list of
        that element's relations of that type."""
        slug = self.organisation.slug
        here = self.request.path.removesuffix("graph.svg")
        elements_url = reverse("graph:element_list", kwargs={"org": slug})
        relations_url = reverse("graph:relation_list", kwargs={"org": slug})
        listed = {
            k: v for k, v in kept.items() if k in ("q", "subject", "framework", "element_type")
        }

        def focus_url(pk: int) -> str:
            return f"{here}?{urlencode({**kept, **view, 'focus': pk})}"

        def more_url(group) -> str:
            end = "source" if group.direction == graph_selectors.OUT else "target"
            query = {end: centre.pk, "relation_type": group.relation_type}
            return f"{relations_url}?{urlencode(query)}"

        def type_url(element_type: str) -> str:
            return f"{elements_url}?{urlencode({**listed, 'element_type': element_type})}"

        def part_url(urn: str) -> str:
            return f"{elements_url}?{urlencode({**listed, 'part': urn})}"

        if centre is not None:
            return {"focus_url": focus_url, "more_url": more_url}
        return {"focus_url": focus_url, "type_url": type_url, "part_url": part_url}

    def subtitle(self, data: dict, kept: dict) -> str:
        """The filters in words, for the figure's subtitle (the export says what it shows)."""
        bits = [self.organisation.name]
        if data.get("subject"):
            bits.append(_("Subject: {name}").format(name=data["subject"].name))
        if data.get("framework"):
            bits.append(_("Framework: {name}").format(name=data["framework"].name))
        if data.get("element_type"):
            bits.append(
                _("Type: {name}").format(name=graph_figure.type_label(data["element_type"]))
            )
        if data.get("relation_type"):
            label = graph_figure.relation_label(data["relation_type"])
            bits.append(_("Relation: {name}").format(name=label))
        if data.get("q"):
            bits.append(_("Search: {words}").format(words=data["q"]))
        if data.get("focus") and data.get("depth") == "2":
            bits.append(_("depth 2"))
        return " · ".join(str(bit) for bit in bits)


class ModelGraphView(ModelGraphMixin, TemplateView):
    template_name = "graph/model_graph.html"

    def get_template_names(self):
        if getattr(self.request, "htmx", False) and not self.request.htmx.boosted:
            return ["graph/_model_graph_body.html"]
        return [self.template_name]

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if not self.valid:
            response.status_code = 400
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset, view, figure, self.valid = self.get_graph()
        query = self.request.GET.urlencode()
        svg_url = reverse("graph:model_graph_svg", kwargs={"org": self.organisation.slug})
        context.update(
            filterset=filterset,
            view=view,
            focus=view if isinstance(view, graph_selectors.Focus) else None,
            overview=view if isinstance(view, graph_selectors.Overview) else None,
            figure=figure,
            svg=mark_safe(graph_figure.render_graph_svg(figure)),  # noqa: S308 (escaped)
            svg_url=f"{svg_url}?{query}" if query else svg_url,
            overview_url=self.request.path
            + (
                "?"
                + urlencode(
                    {
                        k: v
                        for k, v in self.request.GET.items()
                        if k not in ModelGraphMixin.VIEW_PARAMETERS and v
                    }
                )
            ).rstrip("?"),
            cap=graph_selectors.OVERVIEW_CAP,
            focus_base=self.focus_base(),
        )
        return context

    def focus_base(self) -> str:
        """The query string of a link that refocuses, up to the element's id."""
        kept = urlencode(
            {k: v for k, v in self.request.GET.items() if k not in ("focus", "focus_search") and v}
        )
        return f"{kept}&focus=" if kept else "focus="


class ModelGraphSvgView(ModelGraphMixin, View):
    """The current view of the model graph as a standalone SVG file; ``?download=1`` saves it."""

    def get(self, request, *args, **kwargs):
        filterset, view, figure, valid = self.get_graph()
        response = HttpResponse(
            graph_figure.render_graph_svg(figure, standalone=True),
            content_type="image/svg+xml; charset=utf-8",
            status=200 if valid else 400,
        )
        # Opened on its own, an SVG is a document: nothing in it may run or load.
        response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
        if request.GET.get("download"):
            response["Content-Disposition"] = 'attachment; filename="{name}"'.format(
                name=_("model-graph") + ".svg"
            )
        return response
