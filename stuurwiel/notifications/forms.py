from __future__ import annotations

from django import forms

from stuurwiel.notifications.choices import NotificationKind


class NotificationSettingsForm(forms.Form):
    """One switch per kind of notification."""

    # The settings' version the admin read: a save over someone else's change in
    # between is refused (409), never a silent overwrite.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, enabled: dict[str, bool], version: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = version
        for kind, label in NotificationKind.choices:
            self.fields[kind] = forms.BooleanField(
                label=label, required=False, initial=enabled.get(kind, True)
            )

    def switches(self):
        """The kinds' fields (the version is hidden)."""
        return [self[kind] for kind in NotificationKind.values]

    def enabled(self) -> dict[str, bool]:
        return {kind: bool(self.cleaned_data.get(kind)) for kind in NotificationKind.values}
