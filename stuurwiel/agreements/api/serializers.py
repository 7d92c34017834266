"""Agreements in the API: norms nested in their version, in business minutes."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from stuurwiel.agreements.models import Agreement, AgreementVersion, Norm, PriorityCell
from stuurwiel.web.api import OrganisationScopedSerializer


class VersionSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = AgreementVersion
        fields = ["id", "number", "status", "valid_from"]
        read_only_fields = fields


class AgreementSerializer(OrganisationScopedSerializer):
    versions = VersionSummarySerializer(
        many=True, read_only=True, help_text="Newest first. Creating an agreement makes version 1."
    )

    class Meta:
        model = Agreement
        fields = [
            "id",
            "service",
            "kind",
            "link",
            "name",
            "versions",
            "version",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {
            "name": {"required": False, "allow_blank": True},
            "link": {"help_text": "Empty for the SA; the chain link of an OLA or UC."},
        }


class NormSerializer(serializers.ModelSerializer):
    class Meta:
        model = Norm
        fields = ["priority", "response_minutes", "resolution_minutes"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        response, resolution = attrs.get("response_minutes"), attrs.get("resolution_minutes")
        if response is not None and resolution is not None and resolution < response:
            raise serializers.ValidationError(
                {"resolution_minutes": [_("Resolution cannot come before the response.")]}
            )
        return attrs


class AgreementVersionSerializer(OrganisationScopedSerializer):
    norms = NormSerializer(
        many=True,
        required=False,
        help_text="Response and resolution per priority, in business minutes. On update, the "
        "list given replaces the version's norms (a draft only).",
    )

    class Meta:
        model = AgreementVersion
        fields = [
            "id",
            "agreement",
            "number",
            "status",
            "valid_from",
            "activated_at",
            "activated_by_name",
            "superseded_at",
            "calendar",
            "availability",
            "facility_functionality",
            "notes",
            "norms",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "agreement",
            "number",
            "status",
            "valid_from",
            "activated_at",
            "activated_by_name",
            "superseded_at",
        ]

    def validate_norms(self, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        priorities = [item["priority"] for item in value]
        if len(priorities) != len(set(priorities)):
            raise serializers.ValidationError(_("Give one norm per priority."))
        return value

    def service_data(self) -> dict[str, Any]:
        data = super().service_data()
        if "norms" in data:
            data["norms"] = [dict(item) for item in data["norms"]]
        return data


class VersionActionSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        required=False, help_text="The version (optimistic lock) of the draft you read."
    )
    reason = serializers.CharField(required=False, default="", allow_blank=True, max_length=1000)


class NewVersionSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, default="", allow_blank=True, max_length=1000)


class PriorityCellSerializer(OrganisationScopedSerializer):
    class Meta:
        model = PriorityCell
        fields = ["id", "matrix", "row", "column", "priority", "version", "updated_at"]
        read_only_fields = ["matrix", "row", "column"]


class MatrixResetSerializer(serializers.Serializer):
    matrix = serializers.ChoiceField(
        choices=["call", "risk"], required=False, help_text="One matrix; both when left out."
    )
    reason = serializers.CharField(required=False, default="", allow_blank=True, max_length=1000)


class FindingObjectSerializer(serializers.Serializer):
    type = serializers.CharField()
    id = serializers.IntegerField()
    name = serializers.CharField()


class FindingSerializer(serializers.Serializer):
    code = serializers.CharField(
        help_text="sa_missing, agreement_missing, no_active_version, norm_missing, "
        "resolution_before_response or links_exceed_sa"
    )
    message = serializers.CharField()
    severity = serializers.CharField()
    priority = serializers.IntegerField(allow_null=True)
    object = serializers.SerializerMethodField()

    @extend_schema_field(FindingObjectSerializer)
    def get_object(self, finding) -> dict[str, Any]:
        obj = finding.obj
        return {"type": obj._meta.model_name, "id": obj.pk, "name": str(obj)}
