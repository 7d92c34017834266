"""Forms of the connected model, and the two choice helpers they and the filters use:

- :class:`LookupWidget` chooses one of very many objects (an organisation may have
  100,000 elements) by search-as-you-type instead of a select with every option;
- :class:`PartChoiceField` / :class:`PartMultipleChoiceField` offer framework parts
  grouped by framework, in tree order, in the active language.
"""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.forms.models import ModelChoiceIterator
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from stuurwiel.core.forms import OrganisationModelForm
from stuurwiel.core.text import whole_number
from stuurwiel.frameworks.models import Framework, FrameworkPart, LinkType
from stuurwiel.graph.archimate import allowed_relation_types
from stuurwiel.graph.choices import RelationType
from stuurwiel.graph.models import Element, Relation, Subject


class LookupWidget(forms.Widget):
    """A combobox (WAI-ARIA pattern, ``static/stuurwiel/combobox.js``) that chooses
    one of very many objects (an organisation may have 100,000 elements) by name:
    typing asks ``lookup_url`` for matches through HTMX, picking one puts its id in
    a hidden input. No id is ever shown. Without JavaScript the typed name is
    looked up on submit (an exact name, or the only match)."""

    template_name = "graph/widgets/lookup.html"

    def __init__(self, *, lookup_url: str = "", queryset=None, attrs=None) -> None:
        super().__init__(attrs)
        self.lookup_url = lookup_url
        self.queryset = queryset

    def chosen(self, value):
        if value in (None, "") or self.queryset is None:
            return None
        try:
            return self.queryset.filter(pk=int(value)).first()
        except (TypeError, ValueError):
            return None

    def value_from_datadict(self, data, files, name):
        value = data.get(name)
        if value not in (None, ""):
            return value
        typed = (data.get(f"{name}_search") or "").strip()
        if not typed or self.queryset is None:
            return value
        matches = list(self.queryset.filter(name__iexact=typed)[:2]) or list(
            self.queryset.filter(name__icontains=typed)[:2]
        )
        # One match is the choice; none or several stay the typed text, which the
        # field refuses as not a valid choice (and the box shows again).
        return str(matches[0].pk) if len(matches) == 1 else typed

    def value_omitted_from_data(self, data, files, name):
        return name not in data and f"{name}_search" not in data

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        chosen = self.chosen(value)
        typed = (
            ""
            if chosen is not None or whole_number(str(value or "")) is not None
            else str(value or "")
        )
        context["widget"].update(lookup_url=self.lookup_url, chosen=chosen, typed=typed)
        return context

    def format_value(self, value):
        return "" if value is None else str(getattr(value, "pk", value))


class PartCheckboxes(forms.CheckboxSelectMultiple):
    """Parts as checkboxes (no Ctrl-click), one fieldset per framework; the HTMX
    attributes that refresh them go on the wrapper (``wrap_attrs``), not on every box."""

    template_name = "graph/widgets/part_checkboxes.html"

    def __init__(self, attrs=None, choices=()):
        super().__init__(attrs, choices)
        self.wrap_attrs: dict[str, str] = {}

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["wrap_attrs"] = self.wrap_attrs
        return context

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        # The iterator indents a part's label by its depth with em spaces; show the
        # depth as indentation instead, so screen readers read the name only.
        text = str(label)
        depth = len(text) - len(text.lstrip("\u2003"))
        option = super().create_option(
            name, value, text.lstrip("\u2003"), selected, index, subindex, attrs
        )
        option["depth"] = depth
        return option


class ElementTypeWidget(forms.RadioSelect):
    """The element types a part asks for first; every other type one click away
    ("Show all types", a ``<details>`` that needs no JavaScript). Without
    suggestions it is a plain select."""

    template_name = "graph/widgets/element_type.html"

    def __init__(self, attrs=None, choices=()):
        super().__init__(attrs, choices)
        self.suggested: list[str] = []
        self.suggested_by = ""  # the names of the parts that suggest them

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        options = [
            option
            for _group, group_options, _i in context["widget"]["optgroups"]
            for option in group_options
            if option["value"] not in ("", None)
        ]
        suggested = [o for o in options if o["value"] in self.suggested]
        others = [o for o in options if o["value"] not in self.suggested]
        context["widget"].update(
            suggested_options=sorted(suggested, key=lambda o: self.suggested.index(o["value"])),
            other_options=others,
            other_chosen=any(o["selected"] for o in others),
            suggested_by=self.suggested_by,
        )
        return context

    def render(self, name, value, attrs=None, renderer=None):
        if not self.suggested:
            return forms.Select(attrs=self.attrs, choices=self.choices).render(
                name, value, attrs, renderer
            )
        return super().render(name, value, attrs, renderer)

    def id_for_label(self, id_, index=None):
        return id_ if not self.suggested else super().id_for_label(id_, index)


class _PartIterator(ModelChoiceIterator):
    """Parts grouped under their framework's name, indented by depth."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        groups: dict[int, tuple[str, list]] = {}
        depth: dict[int, int] = {}
        for part in self.queryset:  # tree order: a parent comes before its children
            depth[part.pk] = depth.get(part.parent_id, -1) + 1 if part.parent_id else 0
            label = "\u2003" * depth[part.pk] + str(part.name)
            group = groups.setdefault(part.framework_id, (str(part.framework.name), []))
            group[1].append((self.choice(part)[0], label))
        yield from groups.values()

    def __len__(self):
        return self.queryset.count() + (1 if self.field.empty_label is not None else 0)


def _parts():
    return FrameworkPart.objects.select_related("framework").order_by("framework__name_nl", "order")


class PartChoiceField(forms.ModelChoiceField):
    iterator = _PartIterator

    def __init__(self, queryset=None, **kwargs):
        super().__init__(queryset=_parts() if queryset is None else queryset, **kwargs)


class PartMultipleChoiceField(forms.ModelMultipleChoiceField):
    iterator = _PartIterator

    def __init__(self, queryset=None, **kwargs):
        super().__init__(queryset=_parts() if queryset is None else queryset, **kwargs)


def _lookup(form: OrganisationModelForm, name: str, url_name: str) -> None:
    """Replace the select of ``name`` by a :class:`LookupWidget` over the same
    (organisation-scoped) queryset."""
    field = form.fields[name]
    field.widget = LookupWidget(
        lookup_url=reverse(url_name, kwargs={"org": form.organisation.slug}),
        queryset=lookup_queryset(field.queryset),
    )


def lookup_queryset(queryset):
    """What a lookup shows of each match: elements with their subject."""
    return queryset.select_related("subject") if queryset.model is Element else queryset


def _chosen(form: OrganisationModelForm, name: str, queryset):
    """The organisation's object that field ``name`` holds (posted or initial), if any."""
    raw = form.data.get(form.add_prefix(name)) if form.is_bound else form.initial.get(name)
    try:
        pk = int(getattr(raw, "pk", raw))
    except (TypeError, ValueError):
        return None
    return queryset.filter(organisation=form.organisation, pk=pk).first()


def _follow(
    form: OrganisationModelForm, name: str, leader: str | tuple[str, ...], url_name: str
) -> None:
    """Let HTMX render the choices of ``name`` again (from ``url_name``) whenever
    ``leader`` (or one of several) changes, typed or picked in its lookup, keeping
    what is chosen."""
    leaders = (leader,) if isinstance(leader, str) else leader
    changed = " || ".join(f"target.name==='{each}'" for each in leaders)
    widget = form.fields[name].widget
    attrs = widget.wrap_attrs if isinstance(widget, PartCheckboxes) else widget.attrs
    attrs.update(
        {
            "hx-get": reverse(url_name, kwargs={"org": form.organisation.slug}),
            "hx-trigger": f"change[{changed}] from:body, lookupPicked from:body",
            "hx-include": ", ".join(f"[name='{each}']" for each in (*leaders, name)),
            "hx-swap": "outerHTML",
        }
    )


class SubjectForm(OrganisationModelForm):
    frameworks = forms.ModelMultipleChoiceField(
        queryset=Framework.objects.order_by("name_nl"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("Frameworks"),
        help_text=_("The lenses through which this subject is looked at."),
    )

    class Meta:
        model = Subject
        fields = ["name", "kind", "status", "owner", "frameworks", "description"]


class ElementForm(OrganisationModelForm):
    parts = PartMultipleChoiceField(
        required=False,
        label=_("Answers"),
        help_text=_(
            "The framework parts this element answers; only parts of the frameworks "
            "applied to its subject."
        ),
        widget=PartCheckboxes,
    )

    class Meta:
        model = Element
        fields = ["name", "element_type", "subject", "owner", "parts", "description"]
        widgets = {"element_type": ElementTypeWidget}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _lookup(self, "subject", "graph:subject_lookup")
        _suggest_element_types(self)
        parts = self.fields["parts"]
        subject = _chosen(self, "subject", Subject.objects.all())
        if subject is not None:
            # Offer only the parts of the lenses applied to the subject, plus what the
            # element already answers (so nothing disappears unseen on an edit). Any
            # part stays valid here: the service explains why a part does not fit.
            keep = self.instance.parts.all() if self.instance.pk else FrameworkPart.objects.none()
            offered = _parts().filter(
                Q(framework__in=subject.frameworks.all()) | Q(pk__in=keep.values("pk"))
            )
            parts.widget.choices = PartMultipleChoiceField(queryset=offered).choices
        # Choosing another subject refreshes these choices (HTMX; without JavaScript
        # the service still refuses parts of frameworks the subject does not use).
        _follow(self, "parts", "subject", "graph:element_parts")


def _suggest_element_types(form: ElementForm) -> None:
    """Offer first the element types the chosen parts ask for (``element_types`` in
    the library), e.g. when an element is added to answer one part."""
    if form.is_bound:
        raw = form.data.getlist(form.add_prefix("parts")) if hasattr(form.data, "getlist") else []
    else:
        raw = form.initial.get("parts") or []
    pks = [getattr(value, "pk", value) for value in raw]
    pks = [n for pk in pks if (n := whole_number(str(pk))) is not None]
    suggested: list[str] = []
    names: list[str] = []
    for part in FrameworkPart.objects.filter(pk__in=pks).order_by("order") if pks else []:
        if part.element_types:
            names.append(f"“{part.name}”")
            suggested += [value for value in part.element_types if value not in suggested]
    widget = form.fields["element_type"].widget
    widget.suggested, widget.suggested_by = suggested, ", ".join(names)


class LinkTypeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: LinkType) -> str:
        return f"{obj.framework.name}: {obj.name}"


class RelationForm(OrganisationModelForm):
    link_type = LinkTypeChoiceField(
        queryset=LinkType.objects.select_related("framework").order_by(
            "framework__name_nl", "ref_id"
        ),
        required=False,
        label=_("Realises link"),
        help_text=_("A link a framework expects; its ends must answer the link's parts."),
    )

    class Meta:
        model = Relation
        fields = ["source", "relation_type", "target", "link_type", "description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _lookup(self, "source", "graph:element_lookup")
        _lookup(self, "target", "graph:element_lookup")
        link_type = self.fields["link_type"]
        source = _chosen(self, "source", Element.objects.select_related("subject"))
        if source is not None and source.subject_id:
            # Offer the links of the lenses applied to the source's subject (and the
            # current one); any link stays valid here, the service explains misfits.
            current = [self.instance.link_type_id] if self.instance.link_type_id else []
            offered = link_type.queryset.filter(
                Q(framework__in=source.subject.frameworks.all()) | Q(pk__in=current)
            )
            link_type.widget.choices = LinkTypeChoiceField(queryset=offered).choices
        _follow(self, "link_type", "source", "graph:relation_link_types")
        _archimate_types_first(self)
        _follow(self, "relation_type", ("source", "target"), "graph:relation_types")


def _archimate_types_first(form: RelationForm) -> None:
    """Once both ends are chosen, offer first the relation types ArchiMate 3.2
    allows between their element types; the others stay (a relation realising a
    framework link keeps the type its library prescribes), labelled as such."""
    elements = Element.objects.filter(organisation=form.organisation)
    source, target = _chosen(form, "source", elements), _chosen(form, "target", elements)
    if source is None or target is None:
        return
    allowed = allowed_relation_types(source.element_type, target.element_type)
    if allowed is None:
        return
    field = form.fields["relation_type"]
    labels = dict(RelationType.choices)
    names = {"source": source.type_label, "target": target.type_label}
    field.choices = [
        ("", "---------"),
        (
            _("Allowed by ArchiMate 3.2 from {source} to {target}").format(**names),
            [(value, labels[value]) for value in allowed],
        ),
        (
            _("Only for a relation that realises a link"),
            [(value, label) for value, label in RelationType.choices if value not in allowed],
        ),
    ]
