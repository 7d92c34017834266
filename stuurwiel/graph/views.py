import re
from urllib.parse import urlencode

from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView, View

from stuurwiel.core.tables import Column
from stuurwiel.core.text import whole_number
from stuurwiel.frameworks.models import FrameworkPart
from stuurwiel.graph import filtersets, forms, graph_figure, graph_selectors, selectors, services
from stuurwiel.graph.models import Element, Relation, Subject
from stuurwiel.organisations import access
from stuurwiel.web import generic
from stuurwiel.web.mixins import OrganisationViewMixin

# --- Subjects --------------------------------------------------------------------


class SubjectListView(generic.ObjectListView):
    area = "graph"
    queryset = selectors.subject_queryset()
    filterset_class = filtersets.SubjectFilterSet
    columns = [
        Column("name", _("Name"), link=True),
        Column("kind", _("Kind")),
        Column("status", _("Status")),
        Column("owner", _("Owner")),
        Column("framework_names", _("Frameworks")),
        Column("element_count", _("Elements")),
    ]


class SubjectDetailView(generic.ObjectDetailView):
    """The subject and its lenses: each applied framework's parts answered with
    the subject's own elements."""

    area = "graph"
    queryset = selectors.subject_queryset()
    detail_fields = [
        Column("kind", _("Kind")),
        Column("status", _("Status")),
        Column("owner", _("Owner")),
        Column("element_count", _("Elements")),
        Column("description", _("Description")),
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        subject = context["object"]
        context.update(
            lenses=selectors.subject_lens(subject=subject),
            unclassified_count=selectors.subject_unclassified_count(subject=subject),
        )
        return context


class SubjectEditView(generic.ObjectEditView):
    area = "graph"
    queryset = selectors.subject_queryset()
    form_class = forms.SubjectForm
    create_service = services.subject_create
    update_service = services.subject_update


class SubjectDeleteView(generic.ObjectDeleteView):
    area = "graph"
    queryset = selectors.subject_queryset()
    delete_service = services.subject_delete


class SubjectHistoryView(generic.ObjectHistoryView):
    area = "graph"
    queryset = selectors.subject_queryset()


# --- Elements --------------------------------------------------------------------


class ElementListView(generic.ObjectListView):
    area = "graph"
    queryset = selectors.element_queryset()
    filterset_class = filtersets.ElementFilterSet
    paginator_class = selectors.DeferredJoinPaginator
    columns = [
        Column("name", _("Name"), link=True),
        Column("type_label", _("Type")),
        Column("subject", _("Subject")),
        Column("part_names", _("Answers")),
        Column("owner", _("Owner")),
    ]


class ElementDetailView(generic.ObjectDetailView):
    """The element, the framework parts it answers and its relations both ways."""

    area = "graph"
    queryset = selectors.element_queryset()
    detail_fields = [
        Column("element_type", _("Type")),
        Column("subject", _("Subject")),
        Column("owner", _("Owner")),
        Column("description", _("Description")),
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["neighbourhood"] = selectors.element_neighbourhood(
            element=context["object"], access=self.access
        )
        return context


class ElementEditView(generic.ObjectEditView):
    area = "graph"
    queryset = selectors.element_queryset()
    form_class = forms.ElementForm
    create_service = services.element_create
    update_service = services.element_update

    def get_initial(self) -> dict:
        """A new element may start in a subject answering a part (``?subject=…&part=…``,
        the lens's "answer this" links)."""
        initial = {}
        subject = self.request.GET.get("subject", "")
        if (subject_id := whole_number(subject)) is not None:
            initial["subject"] = subject_id
        part = FrameworkPart.objects.filter(urn=self.request.GET.get("part", "")).first()
        if part is not None:
            initial["parts"] = [part.pk]
        return initial


class ElementDeleteView(generic.ObjectDeleteView):
    area = "graph"
    queryset = selectors.element_queryset()
    delete_service = services.element_delete


class ElementHistoryView(generic.ObjectHistoryView):
    area = "graph"
    queryset = selectors.element_queryset()


# --- Relations -------------------------------------------------------------------


class RelationListView(generic.ObjectListView):
    area = "graph"
    queryset = selectors.relation_queryset()
    filterset_class = filtersets.RelationFilterSet
    paginator_class = selectors.DeferredJoinPaginator
    columns = [
        Column("source", _("From"), link=True),
        Column("type_label", _("Type")),
        Column("target", _("To")),
        Column("link_type", _("Realises link")),
    ]


class RelationDetailView(generic.ObjectDetailView):
    area = "graph"
    queryset = selectors.relation_queryset()
    detail_fields = [
        Column("source", _("From")),
        Column("relation_type", _("Type")),
        Column("target", _("To")),
        Column("link_type", _("Realises link")),
        Column("description", _("Description")),
    ]


class RelationEditView(generic.ObjectEditView):
    area = "graph"
    queryset = selectors.relation_queryset()
    form_class = forms.RelationForm
    create_service = services.relation_create
    update_service = services.relation_update

    def get_initial(self) -> dict:
        """A new relation may start from or to an element (``?source=…``, ``?target=…``)."""
        return {
            end: number
            for end in ("source", "target")
            if (number := whole_number(self.request.GET.get(end, ""))) is not None
        }


class RelationDeleteView(generic.ObjectDeleteView):
    area = "graph"
    queryset = selectors.relation_queryset()
    delete_service = services.relation_delete


class RelationHistoryView(generic.ObjectHistoryView):
    area = "graph"
    queryset = selectors.relation_queryset()


# --- Search-as-you-type for the forms' element and subject choices -------------------

LOOKUP_LIMIT = 15
FIELD_NAME = re.compile(r"^[a-z_]{1,40}$")


class LookupView(OrganisationViewMixin, TemplateView):
    """``?field=<name>&lookup=<words>`` → up to ``LOOKUP_LIMIT`` matches by name;
    ``?field=<name>&pick=<id>`` → the form widget again with that choice."""

    permission_required = "graph.view"
    queryset = None  # set by subclasses; organisation-scoped per request

    def get_access_model(self):
        return self.queryset.model

    url_name = ""

    def get(self, request, *args, **kwargs):
        field = request.GET.get("field", "")
        if not FIELD_NAME.match(field):
            return HttpResponseBadRequest()
        queryset = forms.lookup_queryset(
            access.restrict(self.queryset.filter(organisation=self.organisation), self.access)
        )
        lookup_url = reverse(self.url_name, kwargs={"org": self.organisation.slug})
        if "pick" in request.GET:
            widget = forms.LookupWidget(lookup_url=lookup_url, queryset=queryset)
            html = widget.render(field, request.GET["pick"], attrs={"id": f"id_{field}"})
            # Lets other fields follow the choice (the element form's parts).
            return HttpResponse(html, headers={"HX-Trigger-After-Settle": "lookupPicked"})
        query = (request.GET.get("lookup") or request.GET.get(f"{field}_search", "")).strip()
        found = list(queryset.filter(name__icontains=query)[: LOOKUP_LIMIT + 1]) if query else []
        context = {
            "results": found[:LOOKUP_LIMIT],
            "more": len(found) > LOOKUP_LIMIT,
            "query": query,
            "field": field,
            "lookup_url": lookup_url,
        }
        return render(request, "graph/_lookup_results.html", context)


class ElementPartsView(OrganisationViewMixin, View):
    """``?subject=<id>&parts=<id>…`` → the element form's "answers" choices for that
    subject, the chosen parts kept; the form swaps them in when the subject changes."""

    permission_required = "graph.change"
    access_model = Element

    def get(self, request, *args, **kwargs):
        form = forms.ElementForm(
            organisation=self.organisation,
            initial={
                "subject": request.GET.get("subject"),
                "parts": [p for p in request.GET.getlist("parts") if whole_number(p) is not None],
            },
        )
        return HttpResponse(form["parts"].as_widget())


class RelationLinkTypesView(OrganisationViewMixin, View):
    """``?source=<id>&link_type=<id>`` → the relation form's link-type choices for
    that source element; the form swaps them in when the source changes."""

    permission_required = "graph.change"
    access_model = Relation

    def get(self, request, *args, **kwargs):
        chosen = request.GET.get("link_type", "")
        form = forms.RelationForm(
            organisation=self.organisation,
            initial={
                "source": request.GET.get("source"),
                "link_type": whole_number(chosen),
            },
        )
        return HttpResponse(form["link_type"].as_widget())


class RelationTypesView(OrganisationViewMixin, View):
    """``?source=<id>&target=<id>&relation_type=<value>`` → the relation form's type
    choices, those ArchiMate allows between the two ends first; the form swaps them
    in when an end changes."""

    permission_required = "graph.change"
    access_model = Relation

    def get(self, request, *args, **kwargs):
        form = forms.RelationForm(
            organisation=self.organisation,
            initial={
                "source": self.visible_element(request.GET.get("source")),
                "target": self.visible_element(request.GET.get("target")),
                "relation_type": request.GET.get("relation_type", ""),
            },
        )
        return HttpResponse(form["relation_type"].as_widget())

    def visible_element(self, value) -> int | None:
        """The id of an element the member may see, else ``None``: what the form
        answers must not depend on elements hidden from them."""
        number = whole_number(value or "")
        if number is None:
            return None
        elements = Element.objects.filter(organisation=self.organisation, pk=number)
        return number if access.restrict(elements, self.access).exists() else None


class SubjectLookupView(LookupView):
    queryset = Subject.objects.order_by("name", "id")
    url_name = "graph:subject_lookup"


class ElementLookupView(LookupView):
    queryset = Element.objects.order_by("name", "id")
    url_name = "graph:element_lookup"


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
            figure = graph_figure.draw_overview(
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
            figure = graph_figure.draw_focus(
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
            figure = graph_figure.draw_overview(view, subtitle=subtitle, **self.links(kept, {}))
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
