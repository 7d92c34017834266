"""Filters of the connected model, shared by the list pages and the API.

Elements are referred to by id (``source``, ``target``): an organisation may hold
100,000 of them, too many for a choice list, so the list page offers them as a
type-ahead on the name (the id travels in a hidden field). Subjects, owners, parts,
frameworks and link types are few enough to offer as choices; subjects and owners
are limited to the organisation in the URL (``request.organisation``).
"""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from stuurwiel.core.filtersets import IdFilter, SearchFilterSet
from stuurwiel.frameworks.models import Framework, FrameworkPart, LinkType
from stuurwiel.graph.choices import ElementType, RelationType, SubjectKind, SubjectStatus
from stuurwiel.graph.forms import LookupWidget, PartChoiceField, lookup_queryset
from stuurwiel.graph.models import Classification, Element, Relation, Subject
from stuurwiel.organisations.access import restrict
from stuurwiel.parties.models import Person


def _visible(request, queryset):
    """``queryset`` of the organisation in the URL, as far as the member may see
    it: filter choices and their labels must not name what the access layer hides."""
    organisation = getattr(request, "organisation", None)
    viewer = getattr(request, "access", None)
    if organisation is None or viewer is None:
        return queryset.none()
    return restrict(queryset.filter(organisation=organisation), viewer)


def _subjects(request):
    return _visible(request, Subject.objects.order_by("name"))


def _persons(request):
    return _visible(request, Person.objects.order_by("name"))


def _frameworks():
    return django_filters.ModelChoiceFilter(
        queryset=Framework.objects.order_by("name_nl"),
        to_field_name="ref_id",
        label=_("Framework"),
        method="filter_framework",
    )


class PartChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = PartChoiceField


class SubjectFilterSet(SearchFilterSet):
    search_fields = ("name", "description")
    kind = django_filters.ChoiceFilter(choices=SubjectKind.choices, label=_("Kind"))
    status = django_filters.ChoiceFilter(choices=SubjectStatus.choices, label=_("Status"))
    framework = _frameworks()

    class Meta:
        model = Subject
        fields = ["q", "kind", "status", "framework"]

    @extend_schema_field(OpenApiTypes.STR)  # the framework's ref_id
    def filter_framework(self, queryset, name, value):
        return queryset.filter(frameworks=value) if value else queryset


class ElementFilterSet(SearchFilterSet):
    search_fields = ("name", "description")
    subject = django_filters.ModelChoiceFilter(queryset=_subjects, label=_("Subject"))
    element_type = django_filters.ChoiceFilter(choices=ElementType.choices, label=_("Type"))
    part = PartChoiceFilter(
        queryset=FrameworkPart.objects.select_related("framework"),
        to_field_name="urn",
        label=_("Answers"),
        method="filter_part",
    )
    framework = _frameworks()
    owner = django_filters.ModelChoiceFilter(queryset=_persons, label=_("Owner"))

    class Meta:
        model = Element
        fields = ["q", "subject", "element_type", "part", "framework", "owner"]

    # Exists, not a join: an element answering several parts is listed once, and
    # the list keeps its index order (no DISTINCT over 100,000 rows).
    @extend_schema_field(OpenApiTypes.STR)  # the part's URN
    def filter_part(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(
            Exists(Classification.objects.filter(element=OuterRef("pk"), part=value))
        )

    @extend_schema_field(OpenApiTypes.STR)  # the framework's ref_id
    def filter_framework(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(
            Exists(Classification.objects.filter(element=OuterRef("pk"), part__framework=value))
        )


class RelationFilterSet(SearchFilterSet):
    search_fields = ("source__name", "target__name", "description")
    relation_type = django_filters.ChoiceFilter(choices=RelationType.choices, label=_("Type"))
    subject = django_filters.ModelChoiceFilter(
        queryset=_subjects, label=_("Subject"), method="filter_subject"
    )
    source = IdFilter(field_name="source_id", label=_("From"))
    target = IdFilter(field_name="target_id", label=_("To"))
    link_type = django_filters.ModelChoiceFilter(
        queryset=LinkType.objects.select_related("framework").order_by(
            "framework__name_nl", "ref_id"
        ),
        to_field_name="urn",
        label=_("Realises link"),
    )

    class Meta:
        model = Relation
        fields = ["q", "relation_type", "subject", "source", "target", "link_type"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        organisation = getattr(self.request, "organisation", None)
        if organisation is not None:
            lookup_url = reverse("graph:element_lookup", kwargs={"org": organisation.slug})
            elements = lookup_queryset(_visible(self.request, Element.objects.all()))
            for end in ("source", "target"):
                self.filters[end].extra["widget"] = LookupWidget(
                    lookup_url=lookup_url, queryset=elements
                )

    @extend_schema_field(OpenApiTypes.INT)  # the subject's id
    def filter_subject(self, queryset, name, value):
        """Relations with at least one end in the subject."""
        if not value:
            return queryset
        return queryset.filter(Q(source__subject=value) | Q(target__subject=value))


class ModelGraphFilterSet(SearchFilterSet):
    """The model graph's filters: which elements are drawn (subject, framework,
    type, text) and which relations (type); ``focus`` and ``depth`` choose the view
    (an overview without a focus). The relation type, focus and depth do not
    filter the elements: the page reads them from the form."""

    search_fields = ("name", "description")
    subject = django_filters.ModelChoiceFilter(queryset=_subjects, label=_("Subject"))
    framework = _frameworks()
    element_type = django_filters.ChoiceFilter(choices=ElementType.choices, label=_("Element type"))
    relation_type = django_filters.ChoiceFilter(
        choices=RelationType.choices, label=_("Relation type"), method="leave"
    )
    focus = IdFilter(label=_("Focus on"), method="leave")
    depth = django_filters.ChoiceFilter(
        choices=(("1", _("Direct neighbours")), ("2", _("Neighbours and theirs"))),
        label=_("Depth"),
        method="leave",
        empty_label=None,
    )

    ELEMENT_FILTERS = ("q", "subject", "framework", "element_type")

    class Meta:
        model = Element
        fields = ["q", "subject", "framework", "element_type", "relation_type", "focus", "depth"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        organisation = getattr(self.request, "organisation", None)
        if organisation is not None:
            lookup_url = reverse("graph:element_lookup", kwargs={"org": organisation.slug})
            elements = lookup_queryset(_visible(self.request, Element.objects.all()))
            self.filters["focus"].extra["widget"] = LookupWidget(
                lookup_url=lookup_url, queryset=elements
            )

    filter_framework = ElementFilterSet.filter_framework

    def leave(self, queryset, name, value):
        return queryset

    @property
    def filters_elements(self) -> bool:
        """Whether any filter narrows the elements (else the focus shows all neighbours)."""
        data = self.form.cleaned_data
        return any(data.get(name) not in (None, "") for name in self.ELEMENT_FILTERS)
