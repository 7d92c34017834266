"""Forms for agreements: the agreement, a draft version with its norms in one
grid, and a priority matrix."""

from __future__ import annotations

import json
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from stuurwiel.agreements.choices import VersionStatus
from stuurwiel.agreements.durations import duration_label, parse_duration
from stuurwiel.agreements.models import Agreement, AgreementVersion
from stuurwiel.core.forms import META_FIELDS, OrganisationModelForm


class LinkChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.service} — {obj}"


class AgreementForm(OrganisationModelForm):
    """Create: service, kind, link, name. Edit: the service stays; once a version
    has been in force, so do kind and link (whom the agreement is with)."""

    class Meta:
        model = Agreement
        fields = ["service", "kind", "link", "name"]
        field_classes = {"link": LinkChoiceField}
        help_texts = {
            "link": _("Empty for the SA with the customer; for an OLA or UC, the link it is with."),
            "name": _("Leave empty for a name like “OLA Team Burgerzaken for Verhuizing”."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = False
        self.fields["link"].queryset = (
            self.fields["link"]
            .queryset.select_related("service", "team", "supplier")
            .order_by("service__name", "position", "id")
        )
        if self.instance.pk:
            self.fields["service"].disabled = True
            if self.instance.versions.exclude(status=VersionStatus.DRAFT).exists():
                for name in ("kind", "link"):
                    self.fields[name].disabled = True
                    self.fields[name].help_text = _("Fixed: this agreement has been in force.")

    def service_data(self) -> dict:
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in META_FIELDS and not self.fields[name].disabled
        }


class DurationField(forms.CharField):
    """Business hours and minutes as ``H:MM`` (or whole hours); cleaned to the
    canonical ``H:MM`` so that an edit conflict compares like with like."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 12)
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {"inputmode": "numeric", "placeholder": "0:00", "size": 7, "autocomplete": "off"}
        )

    def clean(self, value):
        value = super().clean(value)
        minutes = parse_duration(value)
        return "" if minutes is None else duration_label(minutes)


class VersionForm(OrganisationModelForm):
    """A draft version: service hours, availability, the facility's functionality,
    notes, and per priority a response and a resolution norm."""

    class Meta:
        model = AgreementVersion
        fields = ["calendar", "availability", "facility_functionality", "notes"]
        widgets = {
            "facility_functionality": forms.Textarea(attrs={"rows": 4}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, priorities=(), **kwargs):
        super().__init__(*args, **kwargs)
        norms = {n.priority: n for n in self.instance.norms.all()} if self.instance.pk else {}
        self.priorities = sorted(set(priorities) | set(norms))
        availability = self.instance.availability
        if availability is not None:  # 99.5, not 99.500
            self.initial["availability"] = (
                availability.quantize(Decimal(1))
                if availability == availability.to_integral()
                else availability.normalize()
            )
        for priority in self.priorities:
            norm = norms.get(priority)
            for name, label, minutes in (
                ("response", _("Priority {p}: response within"), norm and norm.response_minutes),
                (
                    "resolution",
                    _("Priority {p}: resolved within"),
                    norm and norm.resolution_minutes,
                ),
            ):
                field = DurationField(label=str(label).format(p=priority))
                self.fields[f"{name}_{priority}"] = field
                self.initial[f"{name}_{priority}"] = "" if norm is None else duration_label(minutes)
        # The base form read the initial values already (EditConflictMixin): read
        # them again, now with the norms and the plain availability.
        self._bound_fields_cache.clear()
        if self.instance.pk and not self.is_bound:
            self.fields["started_from"].initial = json.dumps(self.raw_values(initial=True))

    def norm_rows(self):
        return [(p, self[f"response_{p}"], self[f"resolution_{p}"]) for p in self.priorities]

    def structure_fields(self):
        """The standard structure before the norms: service hours, availability."""
        return [self["calendar"], self["availability"]]

    def plain_fields(self):
        """What follows the norms: the facility's functionality and notes."""
        return [self["facility_functionality"], self["notes"]]

    def clean(self):
        cleaned = super().clean()
        for priority in self.priorities:
            response = cleaned.get(f"response_{priority}")
            resolution = cleaned.get(f"resolution_{priority}")
            if response is None or resolution is None:
                continue  # the field has its own error already
            if bool(response) != bool(resolution):
                empty = f"response_{priority}" if not response else f"resolution_{priority}"
                self.add_error(empty, _("Give both times for this priority, or neither."))
            elif response and parse_duration(resolution) < parse_duration(response):
                self.add_error(
                    f"resolution_{priority}",
                    ValidationError(
                        _("Resolution cannot come before the response ({response}).").format(
                            response=response
                        ),
                        code="resolution_before_response",
                    ),
                )
        return cleaned

    def service_data(self) -> dict:
        data = {
            name: self.cleaned_data[name] for name in self._meta.fields if name in self.cleaned_data
        }
        data["norms"] = [
            {
                "priority": priority,
                "response_minutes": parse_duration(self.cleaned_data[f"response_{priority}"]),
                "resolution_minutes": parse_duration(self.cleaned_data[f"resolution_{priority}"]),
            }
            for priority in self.priorities
            if self.cleaned_data.get(f"response_{priority}")
        ]
        return data


class ActivateForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    change_reason = forms.CharField(
        label=_("Reason for this change"),
        required=False,
        max_length=1000,
        widget=forms.TextInput(attrs={"placeholder": _("optional, shown in the history")}),
    )


class PriorityMatrixForm(forms.Form):
    """One choice per cell of a matrix, named ``<row>__<column>``, and the values
    the editor started from (to tell their changes from someone else's)."""

    started_from = forms.CharField(widget=forms.HiddenInput, required=False)
    change_reason = forms.CharField(
        label=_("Reason for this change"),
        required=False,
        max_length=1000,
        widget=forms.TextInput(attrs={"placeholder": _("optional, shown in the history")}),
    )

    def __init__(self, *args, grid, **kwargs):
        super().__init__(*args, **kwargs)
        self.grid = grid
        choices = [(p, str(p)) for p in grid.library.priorities]
        for (row, column), cell in grid.cells.items():
            self.fields[f"{row}__{column}"] = forms.TypedChoiceField(
                label=_("{row} × {column}").format(
                    row=grid.default.row_label(row), column=grid.default.column_label(column)
                ),
                choices=choices,
                coerce=int,
                initial=cell.priority,
            )
        if not self.is_bound:
            self.fields["started_from"].initial = json.dumps(
                {f"{r}__{c}": cell.priority for (r, c), cell in grid.cells.items()}
            )

    def table(self):
        return [
            (label, [self[f"{level}__{column}"] for column, _label in self.grid.columns])
            for level, label in self.grid.rows
        ]

    def values(self) -> dict[tuple[str, str], int]:
        return {key: self.cleaned_data[f"{key[0]}__{key[1]}"] for key in self.grid.cells}

    def started(self) -> dict[tuple[str, str], int]:
        try:
            raw = json.loads(self.cleaned_data.get("started_from") or "{}")
        except ValueError:
            raw = {}
        started = {}
        for key in self.grid.cells:
            value = raw.get(f"{key[0]}__{key[1]}") if isinstance(raw, dict) else None
            if isinstance(value, int):
                started[key] = value
        return started
