from rest_framework import serializers

from stuurwiel.changelog.models import ChangeLogEntry


class ChangeLogEntrySerializer(serializers.ModelSerializer):
    object_type = serializers.CharField(source="content_type.model", read_only=True)

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
            "before",
            "after",
            "reason",
        ]
        read_only_fields = fields
