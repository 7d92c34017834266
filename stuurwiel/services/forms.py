from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from stuurwiel.core.forms import OrganisationModelForm
from stuurwiel.core.text import whole_number
from stuurwiel.graph.forms import _lookup
from stuurwiel.services import design
from stuurwiel.services.models import (
    CanvasItem,
    InfrastructureComponent,
    Interface,
    Link,
    Service,
)


class ServiceForm(OrganisationModelForm):
    class Meta:
        model = Service
        fields = [
            "name",
            "customer_value",
            "customer_description",
            "owner",
            "customers",
            "form",
            "generic_service",
            "calendar",
        ]
        widgets = {
            "customers": forms.CheckboxSelectMultiple,
            "customer_value": forms.Textarea(attrs={"rows": 3}),
            "customer_description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        generic = self.fields["generic_service"]
        generic.queryset = generic.queryset.filter(form="generic")
        if self.instance.pk:
            generic.queryset = generic.queryset.exclude(pk=self.instance.pk)


class ServicePartForm(OrganisationModelForm):
    """A part of one service's design: the service is fixed (from the object or
    ``?service=``) and its choices of links and canvas items are that service's."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        service_id = self.instance.service_id if self.instance.pk else None
        if service_id is None:
            raw = (self.data.get("service") if self.is_bound else None) or self.initial.get(
                "service"
            )
            service_id = whole_number(str(getattr(raw, "pk", raw) or ""))
        self.service_id = service_id
        if service_id is not None:
            self.fields["service"].widget = forms.HiddenInput()
        for name, field in self.fields.items():
            queryset = getattr(field, "queryset", None)
            if name != "service" and queryset is not None and hasattr(queryset.model, "service"):
                field.queryset = queryset.filter(service_id=service_id)

    def clean_service(self):
        service = self.cleaned_data.get("service")
        if self.instance.pk and service is not None and service.pk != self.instance.service_id:
            raise forms.ValidationError(_("A part of a design stays with its service."))
        return service


class CanvasItemForm(ServicePartForm):
    """A canvas item with one text per cell of its section (the USM library's
    cells). An item stays in its section: editing one shows its own cells only;
    a new one shows every section's cells and keeps those of the section chosen."""

    class Meta:
        model = CanvasItem
        fields = ["service", "section", "name", "position"]

    section = forms.ChoiceField(label=_("Section"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        sections = design.canvas_sections()
        self.fields["section"].choices = [(s.ref_id, s.name) for s in sections]
        current = self.instance.values or {} if self.instance.pk else {}
        if self.instance.pk:
            # Moving a facility to the support would drop its cells: not here.
            self.fields["section"].disabled = True
            sections = tuple(s for s in sections if s.ref_id == self.instance.section)
        self.cell_names = []
        for section in sections:
            for cell in section.entry_cells:
                name = f"cell_{cell.ref_id}"
                self.fields[name] = forms.CharField(
                    label=cell.name,
                    help_text=cell.description,
                    required=False,
                    max_length=5000,
                    widget=forms.Textarea(attrs={"rows": 3, "data-section": section.ref_id}),
                    initial=current.get(cell.ref_id, ""),
                )
                self.cell_names.append((section.ref_id, cell.ref_id, name))

    def service_data(self) -> dict:
        data = {k: v for k, v in super().service_data().items() if not k.startswith("cell_")}
        section = self.cleaned_data.get("section")
        data["values"] = {
            cell: self.cleaned_data.get(name, "")
            for section_ref, cell, name in self.cell_names
            if section_ref == section
        }
        return data


class LinkForm(ServicePartForm):
    class Meta:
        model = Link
        fields = ["service", "team", "supplier", "position", "contribution", "canvas_items"]
        widgets = {
            "canvas_items": forms.CheckboxSelectMultiple,
            "contribution": forms.Textarea(attrs={"rows": 3}),
        }

    steps = forms.MultipleChoiceField(
        label=_("Process steps it performs"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        grouped: dict[str, list] = {}
        for step in design.process_steps():
            grouped.setdefault(step.process, []).append((step.ref_id, step.name))
        self.fields["steps"].choices = [
            (process.capitalize(), choices) for process, choices in grouped.items()
        ]
        if self.instance.pk and not self.is_bound:
            self.initial["steps"] = list(self.instance.steps or [])


class InterfaceForm(ServicePartForm):
    class Meta:
        model = Interface
        fields = [
            "service",
            "name",
            "source_kind",
            "source_link",
            "target_kind",
            "target_link",
            "passes",
            "trigger",
            "expected_response",
            "norm_minutes",
            "norm_note",
        ]
        widgets = {
            "passes": forms.Textarea(attrs={"rows": 2}),
            "trigger": forms.Textarea(attrs={"rows": 2}),
            "expected_response": forms.Textarea(attrs={"rows": 2}),
        }


class InfrastructureComponentForm(ServicePartForm):
    class Meta:
        model = InfrastructureComponent
        fields = ["service", "name", "kind", "element", "managed_by", "description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # An organisation may have 100,000 elements: a combobox, not a select.
        _lookup(self, "element", "graph:element_lookup")


class TransitionForm(forms.Form):
    to = forms.CharField()
    version = forms.IntegerField()
    change_reason = forms.CharField(required=False, max_length=1000)


class ApprovalForm(forms.Form):
    decision = forms.CharField()
    version = forms.IntegerField()
    comment = forms.CharField(required=False, max_length=2000, widget=forms.Textarea)
