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
from stuurwiel.frameworks.models import Framework, FrameworkPart, LinkType
from stuurwiel.graph.models import Element, Relation, Subject


class LookupWidget(forms.Widget):
    """A number field holding the chosen id (usable without JavaScript) with a
    search box that asks ``lookup_url`` for matches through HTMX; picking a match
    asks the same URL to render this widget again with the choice filled in."""

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

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"].update(lookup_url=self.lookup_url, chosen=self.chosen(value))
        return context

    def format_value(self, value):
        return "" if value is None else str(getattr(value, "pk", value))


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


def _follow(form: OrganisationModelForm, name: str, leader: str, url_name: str) -> None:
    """Let HTMX render the choices of ``name`` again (from ``url_name``) whenever
    ``leader`` changes, typed or picked in its lookup, keeping what is chosen."""
    form.fields[name].widget.attrs.update(
        {
            "hx-get": reverse(url_name, kwargs={"org": form.organisation.slug}),
            "hx-trigger": f"change[target.name==='{leader}'] from:body, lookupPicked from:body",
            "hx-include": f"[name='{leader}'], [name='{name}']",
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
        widget=forms.SelectMultiple(attrs={"size": 12}),
    )

    class Meta:
        model = Element
        fields = ["name", "element_type", "subject", "owner", "parts", "description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _lookup(self, "subject", "graph:subject_lookup")
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
