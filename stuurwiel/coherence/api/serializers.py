"""The coherence findings and scores as JSON, read-only."""

from __future__ import annotations

from rest_framework import serializers

from stuurwiel.coherence.models import Finding


class CoherenceFindingSerializer(serializers.ModelSerializer):
    """A finding with its reasoning in words (the active language) and the raw
    facts the evaluator stored (ids of elements and parts)."""

    subject = serializers.PrimaryKeyRelatedField(read_only=True)
    subject_name = serializers.CharField(source="subject.name", read_only=True)
    framework = serializers.CharField(source="framework.ref_id", read_only=True)
    rule = serializers.CharField(source="rule.ref_id", read_only=True)
    rule_kind = serializers.CharField(source="rule.kind", read_only=True)
    message = serializers.SerializerMethodField()
    state = serializers.CharField(source="status", read_only=True)
    part = serializers.CharField(source="part.urn", allow_null=True, read_only=True)
    text = serializers.SerializerMethodField(help_text="The reasoning in words.")
    facts = serializers.JSONField(source="reasoning", read_only=True)

    class Meta:
        model = Finding
        fields = [
            "id",
            "subject",
            "subject_name",
            "framework",
            "rule",
            "rule_kind",
            "severity",
            "outcome",
            "state",
            "key",
            "part",
            "element",
            "message",
            "text",
            "facts",
            "opened_at",
            "resolved_at",
        ]
        read_only_fields = fields

    def get_message(self, finding) -> str:
        return str(finding.rule.message)

    def get_text(self, finding) -> str:
        return self.context.get("texts", {}).get(finding.pk, "")


class CoherenceScoreSerializer(serializers.Serializer):
    """One subject × framework: the latest snapshot, the one of the last review,
    and the scores of the last 90 days (oldest first)."""

    subject = serializers.IntegerField(source="subject.pk")
    subject_name = serializers.CharField(source="subject.name")
    framework = serializers.CharField(source="latest.framework.ref_id")
    framework_name = serializers.CharField()
    day = serializers.DateField(source="latest.day")
    score = serializers.IntegerField(source="latest.score", allow_null=True)
    checks = serializers.IntegerField(source="latest.checks")
    passed = serializers.IntegerField(source="latest.passed")
    errors = serializers.IntegerField(source="latest.errors")
    warnings = serializers.IntegerField(source="latest.warnings")
    infos = serializers.IntegerField(source="latest.infos")
    unchecked = serializers.IntegerField(source="latest.unchecked")
    change = serializers.IntegerField(
        allow_null=True, help_text="Points since the last review (the snapshot on or before since)."
    )
    trend = serializers.ListField(child=serializers.IntegerField(), source="points")
