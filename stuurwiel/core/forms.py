"""Form base for organisation-owned objects, and the comparison an edit conflict shows."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stuurwiel.core.models import OrganisationOwnedModel
from stuurwiel.core.text import whole_number

META_FIELDS = {"version", "change_reason", "started_from"}


class EditConflictMixin:
    """For a model form with a ``version``: carries the values the editor started
    from (its initial values, as JSON, in ``started_from``), so that on an edit
    conflict the page can tell what the other person changed from what you changed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["started_from"] = forms.CharField(widget=forms.HiddenInput, required=False)
        if self.instance.pk and not self.is_bound:
            self.fields["started_from"].initial = json.dumps(self.raw_values(initial=True))

    def model_field_names(self) -> list[str]:
        return [name for name in self.fields if name not in META_FIELDS]

    def raw_values(self, *, initial: bool = False) -> dict[str, Any]:
        """Each model field's value as a string (a list of strings for a
        multiple choice): the initial values, or the cleaned ones (as typed where a
        value is not valid)."""
        if initial:
            return {name: raw_value(self[name].initial) for name in self.model_field_names()}
        cleaned = getattr(self, "cleaned_data", {})
        return {
            name: raw_value(cleaned[name] if name in cleaned else self[name].data)
            for name in self.model_field_names()
        }


class OrganisationModelForm(EditConflictMixin, forms.ModelForm):
    """Limits every choice of a related object to the current organisation and
    carries the optimistic-lock ``version``, the values the editor started from and
    an optional change reason."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    change_reason = forms.CharField(
        label=_("Reason for this change"),
        required=False,
        max_length=1000,
        widget=forms.TextInput(attrs={"placeholder": _("optional, shown in the history")}),
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is not None and issubclass(queryset.model, OrganisationOwnedModel):
                field.queryset = queryset.filter(organisation=organisation)

    def _post_clean(self) -> None:
        # Model validation (including the cross-organisation check) runs in the
        # service, against the organisation; here only set it so clean() can run.
        self.instance.organisation = self.organisation
        super()._post_clean()

    def service_data(self) -> dict:
        """Cleaned values of the model's own fields, for the write service."""
        return {k: v for k, v in self.cleaned_data.items() if k not in META_FIELDS}


def raw_value(value) -> Any:
    """A form value as comparable text: objects by primary key, lists sorted."""
    if isinstance(value, (list, tuple, set)) or hasattr(value, "model"):
        return sorted(str(getattr(item, "pk", item)) for item in value)
    if value is None:
        return ""
    return str(getattr(value, "pk", value))


def shown_value(field: forms.Field, raw) -> str:
    """``raw`` (from :func:`raw_value`) as a person reads it: names, choice labels."""
    if raw in ("", [], None):
        return "—"
    queryset = getattr(field, "queryset", None)
    if queryset is not None:
        pks = raw if isinstance(raw, list) else [raw]
        names = sorted(
            str(obj)
            for obj in queryset.filter(pk__in=[p for p in pks if whole_number(p) is not None])
        )
        return ", ".join(names) or "—"
    if isinstance(field, forms.BooleanField):
        return str(_("yes") if raw == "True" else _("no"))
    choices = getattr(field, "choices", None)
    if choices:
        labels = {}
        for key, label in choices:
            if isinstance(label, (list, tuple)):
                labels.update({str(k): v for k, v in label})
            else:
                labels[str(key)] = label
        values = raw if isinstance(raw, list) else [raw]
        return ", ".join(str(labels.get(value, value)) for value in values)
    return str(raw)


@dataclass
class ConflictRow:
    label: str
    theirs: str
    yours: str
    started: str
    they_changed: bool
    you_changed: bool


def conflict_rows(*, yours: forms.Form, stored: dict, started: dict) -> list[ConflictRow]:
    """The fields that you or the other person changed since you started editing:
    their stored value, yours and the one you started from, each readable."""
    mine = yours.raw_values()
    rows = []
    for name in yours.model_field_names():
        start = started.get(name, stored.get(name))
        they_changed, you_changed = stored.get(name) != start, mine.get(name) != start
        if they_changed or you_changed:
            field = yours.fields[name]
            rows.append(
                ConflictRow(
                    label=str(field.label or name),
                    theirs=shown_value(field, stored.get(name)),
                    yours=shown_value(field, mine.get(name)),
                    started=shown_value(field, start),
                    they_changed=they_changed,
                    you_changed=you_changed,
                )
            )
    return rows


def started_values(data) -> dict:
    """The posted ``started_from`` values; an empty dict when absent or not JSON."""
    try:
        values = json.loads(data.get("started_from") or "{}")
    except ValueError:
        return {}
    return values if isinstance(values, dict) else {}


def merged_data(*, yours: forms.Form, stored: dict, started: dict):
    """Your posted data with the fields only the other person changed taken from
    the stored version, so saving yours keeps their change wherever you made none."""
    data = yours.data.copy()
    mine = yours.raw_values()
    for name in yours.model_field_names():
        start = started.get(name, stored.get(name))
        if stored.get(name) != start and mine.get(name) == start:
            key = yours.add_prefix(name)
            value = stored.get(name)
            if isinstance(value, list):
                data.setlist(key, value)
            else:
                data[key] = value
    return data


def edit_conflict(*, yours: forms.Form, current: forms.Form) -> tuple[Any, list[ConflictRow]]:
    """After a :class:`~stuurwiel.core.exceptions.ConflictError` on ``yours`` (the
    posted form), given ``current`` (an unbound form of the stored object): the data
    for the form to show again (your input, merged with what only they changed,
    under the stored version and with the stored values as the new start) and the
    rows that compare their values with yours."""
    stored = current.raw_values(initial=True)
    started = started_values(yours.data)
    data = merged_data(yours=yours, stored=stored, started=started)
    data["version"] = str(current.instance.version)
    data["started_from"] = json.dumps(stored)
    return data, conflict_rows(yours=yours, stored=stored, started=started)


def unsaved_rows(form: forms.Form) -> list[ConflictRow]:
    """What you had typed, for the fields you changed (shown when you take theirs)."""
    started = started_values(form.data)
    return conflict_rows(yours=form, stored=started, started=started)
