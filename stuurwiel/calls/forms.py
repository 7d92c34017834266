"""The forms of the call pages: reporting (portal), intake at the desk, and the
writes on a call page. They validate input only; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from stuurwiel.calls.choices import Channel, HandBackOutcome, ImpactLevel, RelationKind
from stuurwiel.workflow.definition import CallType, Definition

#: The front doors of the desk (the portal, the API and monitoring have their own).
DESK_CHANNELS = (Channel.PHONE, Channel.COUNTER, Channel.DESK, Channel.EMAIL)


def in_language(nl: str, en: str) -> str:
    """A text of the USM library in the active language."""
    return en if (get_language() or "nl").startswith("en") else nl


def call_type_label(call_type: CallType) -> str:
    return in_language(call_type.name_nl, call_type.name_en)


def everyday_words(call_type: CallType) -> list[str]:
    """The library's mapping of everyday words to this type ("klacht → wens")."""
    return [in_language(nl, en) for nl, en in call_type.everyday]


class CallTypeSelect(forms.RadioSelect):
    """Radio buttons for the call types, each with its everyday words beside it."""

    template_name = "calls/widgets/call_type_select.html"

    def __init__(self, *args, hints: dict[str, list[str]] | None = None, **kwargs):
        self.hints = hints or {}
        super().__init__(*args, **kwargs)

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["hints"] = self.hints.get(str(value), [])
        return option


class ReportForm(forms.Form):
    """A call as a requester reports it: which service, what kind, what is up."""

    service = forms.ModelChoiceField(queryset=None, label=_("Service"))
    call_type = forms.ChoiceField(label=_("What kind of call is it?"))
    title = forms.CharField(label=_("In one line"), max_length=200)
    description = forms.CharField(
        label=_("Describe it"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, services, definition: Definition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services
        types = list(definition.call_types.values())
        field = self.fields["call_type"]
        field.choices = [(t.ref, call_type_label(t)) for t in types]
        field.widget = CallTypeSelect(
            choices=field.choices, hints={t.ref: everyday_words(t) for t in types}
        )

    def service_data(self) -> dict:
        data = self.cleaned_data
        return {
            "service": data["service"],
            "call_type": data["call_type"],
            "title": data["title"],
            "description": data["description"],
        }


class IntakeForm(ReportForm):
    """A call registered at the desk on behalf of a requester: a member of the
    organisation, or someone named with how to reach them."""

    channel = forms.ChoiceField(
        label=_("Channel"), choices=[(c.value, c.label) for c in DESK_CHANNELS]
    )
    requester = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("Requester (a member)"),
        help_text=_("Or leave empty and give a name and contact below."),
    )
    requester_name = forms.CharField(label=_("Requester's name"), required=False, max_length=200)
    requester_contact = forms.CharField(
        label=_("Phone number or e-mail address"), required=False, max_length=200
    )
    impact = forms.ChoiceField(
        label=_("Impact (or effect, for a risk)"),
        required=False,
        choices=[("", "—"), *ImpactLevel.choices],
    )
    urgency = forms.ChoiceField(
        label=_("Urgency (or likelihood, for a risk)"),
        required=False,
        choices=[("", "—"), *ImpactLevel.choices],
    )

    field_order = [
        "channel",
        "requester",
        "requester_name",
        "requester_contact",
        "service",
        "call_type",
        "title",
        "description",
        "impact",
        "urgency",
    ]

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requester"].queryset = members
        self.fields["requester"].label_from_instance = _member_label

    def clean(self):
        data = super().clean()
        if not data.get("requester") and not (data.get("requester_name") or "").strip():
            self.add_error("requester_name", _("Choose a member, or give the requester's name."))
        return data

    def service_data(self) -> dict:
        data = self.cleaned_data
        return {
            **super().service_data(),
            "channel": data["channel"],
            "requester": data["requester"],
            "requester_name": data["requester_name"],
            "requester_contact": data["requester_contact"],
            "impact": data["impact"],
            "urgency": data["urgency"],
        }


def _member_label(user) -> str:
    # Never the username: for invited members it is their e-mail address.
    return user.get_full_name() or _("Member {number}").format(number=user.pk)


class VersionForm(forms.Form):
    """The call's version as the page showed it: a write on a stale page is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class TransitionForm(VersionForm):
    transition = forms.CharField(widget=forms.HiddenInput, max_length=20)
    target = forms.CharField(widget=forms.HiddenInput, required=False, max_length=60)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=10_000, widget=forms.Textarea(attrs={"rows": 2})
    )


class AssignForm(VersionForm):
    operator = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Operator"), empty_label=_("(nobody)")
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=10_000)

    def __init__(self, *args, operators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["operator"].queryset = operators
        self.fields["operator"].label_from_instance = _member_label


class HandOverForm(VersionForm):
    to_link = forms.ModelChoiceField(queryset=None, label=_("To link"))
    reason = forms.CharField(
        label=_("Why"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, links, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_link"].queryset = links


class HandBackForm(VersionForm):
    """A supplier hands the call back to the link it came from, with its outcome."""

    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=HandBackOutcome.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("What was done, or what is needed"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class EscalateForm(VersionForm):
    reason = forms.CharField(
        label=_("Why escalate"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 2})
    )


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Your comment"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 3})
    )
    public = forms.BooleanField(label=_("Public: the requester sees this reply"), required=False)


class AttachmentForm(forms.Form):
    """A file for the call; the service checks its size, type and content."""

    file = forms.FileField(label=_("File"), max_length=200)
    public = forms.BooleanField(
        label=_("Visible to the requester"),
        required=False,
        help_text=_("Otherwise the file stays within the chain."),
    )


class RelationForm(forms.Form):
    """Link this call to another one by its number."""

    kind = forms.ChoiceField(label=_("This call is"), choices=RelationKind.choices)
    other_number = forms.CharField(
        label=_("Call number"), max_length=30, help_text=_("For example MS-2026-000123.")
    )
