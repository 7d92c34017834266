"""The notification switches as JSON: one boolean per kind, and the version of
the switches as a whole (quote it to change them)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import serializers

from stuurwiel.notifications.choices import NotificationKind


class NotificationSettingsSerializer(serializers.Serializer):
    """Every kind, ``true`` when the organisation sends it. On PATCH every kind is
    optional (only the ones given change); ``version`` is required (or If-Match)."""

    version = serializers.IntegerField(
        min_value=1, required=False, help_text="The version you read; or send an If-Match header."
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for kind, label in NotificationKind.choices:
            self.fields[kind] = serializers.BooleanField(required=False, help_text=str(label))

    def validate(self, attrs):
        unknown = sorted(set(getattr(self, "initial_data", {}) or {}) - set(self.fields))
        if unknown:
            raise serializers.ValidationError(
                {
                    name: [
                        _("Unknown kind of notification; the kinds are: {kinds}.").format(
                            kinds=", ".join(NotificationKind.values)
                        )
                    ]
                    for name in unknown
                }
            )
        return attrs

    def enabled(self) -> dict[str, bool]:
        """The kinds given, with their new value."""
        return {k: v for k, v in self.validated_data.items() if k in NotificationKind.values}
