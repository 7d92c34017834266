from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from stuurwiel.services.choices import ApprovalDecision, ServiceStatus
from stuurwiel.services.models import (
    CanvasItem,
    DesignApproval,
    InfrastructureComponent,
    Interface,
    Link,
    Service,
)
from stuurwiel.web.api import OrganisationScopedSerializer


class ServiceSerializer(OrganisationScopedSerializer):
    link_count = serializers.IntegerField(read_only=True)
    interface_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Service
        fields = [
            "id",
            "name",
            "customer_value",
            "customer_description",
            "owner",
            "customers",
            "form",
            "generic_service",
            "calendar",
            "status",
            "subject",
            "link_count",
            "interface_count",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status", "subject"]
        extra_kwargs = {
            "owner": {"help_text": "Id of the person who owns the chain performance (one)."},
            "customers": {"help_text": "Ids of the stakeholders who are customers or users."},
            "status": {"help_text": "Changes only through the transition and approve actions."},
        }


class CanvasItemSerializer(OrganisationScopedSerializer):
    values = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=5000),
        required=False,
        help_text="The specification per cell: USM library cell ref_id → text.",
    )

    class Meta:
        model = CanvasItem
        fields = [
            "id",
            "service",
            "section",
            "name",
            "values",
            "position",
            "version",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {
            "section": {"help_text": "A canvas section ref_id of the USM library."},
        }


class LinkSerializer(OrganisationScopedSerializer):
    steps = serializers.ListField(
        child=serializers.CharField(max_length=100),
        required=False,
        help_text="USM library ref_ids of the process steps the link performs.",
    )

    class Meta:
        model = Link
        fields = [
            "id",
            "service",
            "team",
            "supplier",
            "position",
            "contribution",
            "steps",
            "canvas_items",
            "version",
            "created_at",
            "updated_at",
        ]


class InterfaceSerializer(OrganisationScopedSerializer):
    class Meta:
        model = Interface
        fields = [
            "id",
            "service",
            "name",
            "source_kind",
            "source_link",
            "target_kind",
            "target_link",
            "passes",
            "trigger",
            "expected_response",
            "norm_minutes",
            "norm_note",
            "version",
            "created_at",
            "updated_at",
        ]


class InfrastructureComponentSerializer(OrganisationScopedSerializer):
    class Meta:
        model = InfrastructureComponent
        fields = [
            "id",
            "service",
            "name",
            "kind",
            "element",
            "managed_by",
            "description",
            "version",
            "created_at",
            "updated_at",
        ]


class DesignApprovalSerializer(serializers.ModelSerializer):
    class Meta:
        model = DesignApproval
        fields = [
            "id",
            "service",
            "decision",
            "decided_by_name",
            "service_version",
            "design_digest",
            "status_at",
            "comment",
            "created_at",
        ]
        read_only_fields = fields


# --- Actions on a service ------------------------------------------------------------------


class TransitionSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=ServiceStatus.choices, help_text="The status to move to.")
    version = serializers.IntegerField(min_value=0, help_text="The service version you read.")
    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, help_text="Why (for the change log)."
    )


class ApproveSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=ApprovalDecision.choices)
    version = serializers.IntegerField(min_value=0, help_text="The service version you read.")
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text="Required when rejecting: what to improve.",
    )


class GapSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable, machine-readable code of the gap.")
    message = serializers.CharField(help_text="What to do, in the request's language.")
    group = serializers.CharField(help_text="Code of the gate condition the gap belongs to.")
    fix_url = serializers.CharField(help_text="The page where it is fixed.")


class GateConditionSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    met = serializers.BooleanField()
    gaps = GapSerializer(many=True)


class GateSerializer(serializers.Serializer):
    open = serializers.BooleanField(help_text="Whether every condition is met.")
    conditions = GateConditionSerializer(many=True)


class GateRefusalSerializer(serializers.Serializer):
    status = serializers.ListField(child=serializers.CharField())
    gaps = GapSerializer(many=True)


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


# --- Exchange ----------------------------------------------------------------------------


class DesignImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="A service design exported as JSON.")


class CreatedSerializer(serializers.Serializer):
    kind = serializers.CharField()
    name = serializers.CharField()


class DesignImportResultSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="service.pk")
    name = serializers.CharField(source="service.name")
    status = serializers.CharField(source="service.status")
    created = serializers.SerializerMethodField(
        help_text="What the design named that the organisation lacked, created from the "
        "file's references."
    )
    notes = serializers.ListField(
        child=serializers.CharField(), help_text="What the import did not carry over."
    )

    @extend_schema_field(CreatedSerializer(many=True))
    def get_created(self, result) -> list[dict[str, str]]:
        return [{"kind": kind, "name": name} for kind, name in result.created]


class ProblemSerializer(serializers.Serializer):
    path = serializers.CharField(help_text="JSON pointer (RFC 6901) into the file.")
    message = serializers.CharField()


class DesignImportRefusalSerializer(serializers.Serializer):
    detail = serializers.CharField()
    problems = ProblemSerializer(many=True)
