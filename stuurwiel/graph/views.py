import re

from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView, View

from stuurwiel.core.tables import Column
from stuurwiel.core.text import whole_number
from stuurwiel.frameworks.models import FrameworkPart
from stuurwiel.graph import filtersets, forms, selectors, services
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
