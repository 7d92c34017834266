from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from stuurwiel.calendars.models import (
    BusinessCalendar,
    ClosedDay,
    ServiceWindow,
    minutes_from_label,
    minutes_label,
)
from stuurwiel.web.api import OrganisationScopedSerializer

#: The model's field names in errors and the API's names for them.
WINDOW_FIELDS = {"start_minute": "start", "end_minute": "end"}


@extend_schema_field(
    {"type": "string", "pattern": r"^([01]\d|2[0-4]):[0-5]\d$", "example": "08:30"}
)
class ClockField(serializers.Field):
    """A time of day as ``HH:MM`` (minutes since midnight in the model); ``end``
    allows 24:00."""

    def __init__(self, *, end: bool, **kwargs):
        self.end = end
        super().__init__(**kwargs)

    def to_representation(self, value: int) -> str:
        return minutes_label(value)

    def to_internal_value(self, data) -> int:
        try:
            return minutes_from_label(str(data), end=self.end)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc


class BusinessCalendarSerializer(OrganisationScopedSerializer):
    hours_summary = serializers.CharField(
        read_only=True, help_text="The service hours in one line, weekdays grouped."
    )

    class Meta:
        model = BusinessCalendar
        fields = [
            "id",
            "name",
            "description",
            "time_zone",
            "hours_summary",
            "version",
            "created_at",
            "updated_at",
        ]


class ServiceWindowSerializer(OrganisationScopedSerializer):
    start = ClockField(end=False, source="start_minute", help_text="HH:MM, local time.")
    end = ClockField(end=True, source="end_minute", help_text="HH:MM, local time; 24:00 allowed.")

    class Meta:
        model = ServiceWindow
        fields = [
            "id",
            "calendar",
            "weekday",
            "start",
            "end",
            "version",
            "created_at",
            "updated_at",
        ]


class ClosedDaySerializer(OrganisationScopedSerializer):
    class Meta:
        model = ClosedDay
        fields = [
            "id",
            "calendar",
            "date",
            "name",
            "kind",
            "active",
            "version",
            "created_at",
            "updated_at",
        ]


class CalendarCopySerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, help_text="The name of the copy.")
    description = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="The copy's description; the original's when left out.",
    )
    reason = serializers.CharField(
        required=False, allow_blank=True, help_text="Why, for the change log."
    )


class HolidaysCopySerializer(serializers.Serializer):
    first_year = serializers.IntegerField()
    last_year = serializers.IntegerField()


class FeedImportSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="An iCalendar (.ics) file with all-day events.")


class ClosedDaysAddedSerializer(serializers.Serializer):
    created = ClosedDaySerializer(many=True, help_text="The closed days added.")
    skipped = ClosedDaySerializer(
        many=True, help_text="Dates the calendar already had: the stored days, unchanged."
    )
