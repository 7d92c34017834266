from __future__ import annotations

from django import forms

from stuurwiel.notifications.choices import NotificationKind


class NotificationSettingsForm(forms.Form):
    """One switch per kind of notification."""

    def __init__(self, *args, enabled: dict[str, bool], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for kind, label in NotificationKind.choices:
            self.fields[kind] = forms.BooleanField(
                label=label, required=False, initial=enabled.get(kind, True)
            )

    def enabled(self) -> dict[str, bool]:
        return {kind: bool(self.cleaned_data.get(kind)) for kind in NotificationKind.values}
