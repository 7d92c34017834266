"""Calls in the API: the register, its events, and the transitions of a call."""

from __future__ import annotations

import copy
from typing import ClassVar

from django.contrib.auth import get_user_model
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from stuurwiel.calls.choices import Channel, HandBackOutcome, RelationKind, SignalKind
from stuurwiel.calls.models import Call, CallAttachment, CallEvent
from stuurwiel.calls.selectors import sees_as_supplier, with_handover
from stuurwiel.services.models import Link, Service


class HandedOverSerializer(serializers.Serializer):
    passes = serializers.CharField(help_text="What the interface to the link passes.")
    reason = serializers.CharField(help_text="Why the call was handed over.")


class CallSerializer(serializers.ModelSerializer):
    service_name = serializers.CharField(source="service.name", read_only=True)
    current_link_name = serializers.SerializerMethodField()
    handed_over = serializers.SerializerMethodField(
        help_text="For supplier users and tokens, who see no title nor description "
        "(the requester's words): what passed the interface when the call reached "
        "their link. Empty for everyone else."
    )

    #: The fields as worked out from the model, once per process and class: a
    #: ModelSerializer otherwise inspects the model's fields for every instance
    #: (every answer of the API), which costs more than the intake's own writes.
    _fields_once: ClassVar[dict[type, dict[str, serializers.Field]]] = {}

    class Meta:
        model = Call
        fields = [
            "id",
            "number",
            "service",
            "service_name",
            "call_type",
            "title",
            "description",
            "channel",
            "requester",
            "requester_name",
            "status",
            "process",
            "step",
            "pattern",
            "impact",
            "urgency",
            "priority",
            "category",
            "current_link",
            "current_link_name",
            "assignee",
            "coordinator",
            "sa_version",
            "origin",
            "registered_at",
            "confirmed_at",
            "closed_at",
            "version",
            "handed_over",
        ]
        read_only_fields = fields

    def get_fields(self) -> dict[str, serializers.Field]:
        built = self._fields_once.get(type(self))
        if built is None:
            built = self._fields_once[type(self)] = super().get_fields()
        # Unbound copies, as the declared fields are copied for every instance.
        return copy.deepcopy(built)

    def get_current_link_name(self, call: Call) -> str:
        return str(call.current_link) if call.current_link_id else ""

    def _black_box(self) -> bool:
        member_access = self.context.get("access")
        return member_access is not None and sees_as_supplier(member_access)

    @extend_schema_field(HandedOverSerializer(allow_null=True))
    def get_handed_over(self, call: Call) -> dict | None:
        if not self._black_box():
            return None
        if not hasattr(call, "handover_passes"):  # a call as a service returned it
            call = with_handover(Call.objects.filter(pk=call.pk)).get()
        return {"passes": call.handover_passes or "", "reason": call.handover_reason or ""}

    def to_representation(self, instance):
        data = super().to_representation(instance)
        member_access = self.context.get("access")
        if member_access is not None and sees_as_supplier(member_access):
            # A supplier is a black box behind its interface: it gets the work
            # (``handed_over``), not who asked for it nor the requester's own words.
            data.update(requester=None, requester_name="", description="", title="")
        return data


class _ScopedPrimaryKey(serializers.PrimaryKeyRelatedField):
    """A primary key among the request's organisation's objects (``scope``: the
    filter for an organisation). The queryset is narrowed when a value is looked
    up, not for every serializer built: a field left out costs nothing."""

    def __init__(self, *, scope, **kwargs):
        self.scope = scope
        super().__init__(**kwargs)

    def get_queryset(self):
        queryset = super().get_queryset()
        organisation = self.context.get("organisation")
        return queryset if organisation is None else queryset.filter(**self.scope(organisation))


class CallCreateSerializer(serializers.Serializer):
    service = _ScopedPrimaryKey(
        queryset=Service.objects.all(), scope=lambda org: {"organisation": org}
    )
    call_type = serializers.CharField(max_length=60)
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.API)
    requester = _ScopedPrimaryKey(
        queryset=get_user_model().objects.all(),
        scope=lambda org: {"memberships__organisation": org, "memberships__is_active": True},
        required=False,
        allow_null=True,
        default=None,
    )
    requester_name = serializers.CharField(required=False, allow_blank=True, default="")
    requester_contact = serializers.CharField(required=False, allow_blank=True, default="")
    impact = serializers.CharField(required=False, allow_blank=True, default="")
    urgency = serializers.CharField(required=False, allow_blank=True, default="")
    category = serializers.CharField(required=False, allow_blank=True, default="")


class CallTransitionSerializer(serializers.Serializer):
    transition = serializers.CharField(help_text="complete, fork, confirm or reopen")
    target = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField(help_text="The call version you read.")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField()


class AssignSerializer(VersionSerializer):
    operator = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.all(), allow_null=True
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")


class HandOverSerializer(VersionSerializer):
    to_link = serializers.PrimaryKeyRelatedField(queryset=Link.objects.all())
    reason = serializers.CharField()


class HandBackSerializer(VersionSerializer):
    outcome = serializers.ChoiceField(choices=HandBackOutcome.choices)
    text = serializers.CharField(help_text="What the supplier did or needs.")


class ReasonSerializer(VersionSerializer):
    reason = serializers.CharField()


class CommentSerializer(serializers.Serializer):
    text = serializers.CharField()
    public = serializers.BooleanField(default=False)


class BlockerSerializer(serializers.Serializer):
    kind = serializers.CharField()
    code = serializers.CharField()
    rule = serializers.CharField()
    role = serializers.CharField()
    message = serializers.CharField()


class OptionSerializer(serializers.Serializer):
    transition = serializers.CharField()
    step = serializers.CharField()
    target = serializers.CharField()
    allowed = serializers.BooleanField()
    blocked_by = BlockerSerializer(many=True)


class RefusalSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()
    blocked_by = BlockerSerializer(many=True, required=False)
    transitions = OptionSerializer(many=True)


class CallEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = CallEvent
        fields = [
            "id",
            "at",
            "kind",
            "actor",
            "actor_name",
            "run",
            "process",
            "step",
            "link",
            "to_link",
            "text",
            "public",
            "data",
            "call_version",
        ]
        read_only_fields = fields


class MonitoringEventSerializer(serializers.Serializer):
    service = serializers.PrimaryKeyRelatedField(queryset=Service.objects.all())
    kind = serializers.ChoiceField(choices=SignalKind.choices)
    key = serializers.CharField(max_length=200, help_text="Same key within the window: grouped.")
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    impact = serializers.CharField(required=False, allow_blank=True, default="")
    urgency = serializers.CharField(required=False, allow_blank=True, default="")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        organisation = self.context.get("organisation")
        if organisation is not None:
            self.fields["service"].queryset = Service.objects.filter(organisation=organisation)


class CallAttachmentSerializer(serializers.ModelSerializer):
    """A file on a call; ``download`` gives it back (always as a download)."""

    download = serializers.SerializerMethodField()

    class Meta:
        model = CallAttachment
        fields = ["token", "name", "content_type", "size", "sha256", "public"]
        fields += ["added_by_name", "added_at", "download"]
        read_only_fields = fields

    def get_download(self, attachment) -> str:
        request = self.context.get("request")
        path = reverse(
            "calls-api:call-attachment-download",
            kwargs={
                "org": attachment.call.organisation.slug,
                "pk": attachment.call_id,
                "token": attachment.token,
            },
        )
        return request.build_absolute_uri(path) if request is not None else path


class AttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    public = serializers.BooleanField(required=False, default=False)


class CallRelationSerializer(serializers.Serializer):
    """A linked call, read from this call's side."""

    relation = serializers.CharField()
    call = serializers.IntegerField()
    number = serializers.CharField()
    title = serializers.CharField()
    status = serializers.CharField()


class RelationCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=RelationKind.choices)
    other_number = serializers.CharField(max_length=30)
