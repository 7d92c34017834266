from rest_framework import serializers

from stuurwiel.changelog.models import ChangeLogEntry


class ChangeLogEntrySerializer(serializers.ModelSerializer):
    object_type = serializers.CharField(source="content_type.model", read_only=True)
    parent_type = serializers.CharField(
        source="parent_content_type.model", read_only=True, default=None
    )

    class Meta:
        model = ChangeLogEntry
        fields = [
            "id",
            "timestamp",
            "actor",
            "actor_repr",
            "source",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "parent_type",
            "parent_object_id",
            "correlation_id",
            "before",
            "after",
            "reason",
        ]
        read_only_fields = fields
