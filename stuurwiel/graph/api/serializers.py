from rest_framework import serializers

from stuurwiel.frameworks.models import Framework, FrameworkPart, LinkType
from stuurwiel.graph.models import Element, Relation, Subject
from stuurwiel.web.api import OrganisationScopedSerializer


class SubjectSerializer(OrganisationScopedSerializer):
    frameworks = serializers.SlugRelatedField(
        slug_field="urn",
        queryset=Framework.objects.all(),
        many=True,
        required=False,
        help_text="URNs of the frameworks applied to the subject (its lenses).",
    )
    element_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Subject
        fields = [
            "id",
            "name",
            "kind",
            "status",
            "owner",
            "frameworks",
            "description",
            "element_count",
            "version",
            "created_at",
            "updated_at",
        ]


class ElementSerializer(OrganisationScopedSerializer):
    parts = serializers.SlugRelatedField(
        slug_field="urn",
        queryset=FrameworkPart.objects.all(),
        many=True,
        required=False,
        help_text="URNs of the framework parts the element answers.",
    )

    class Meta:
        model = Element
        fields = [
            "id",
            "name",
            "element_type",
            "subject",
            "owner",
            "parts",
            "description",
            "version",
            "created_at",
            "updated_at",
        ]


class RelationSerializer(OrganisationScopedSerializer):
    link_type = serializers.SlugRelatedField(
        slug_field="urn",
        queryset=LinkType.objects.all(),
        required=False,
        allow_null=True,
        help_text="URN of the framework link type the relation realises.",
    )

    class Meta:
        model = Relation
        fields = [
            "id",
            "source",
            "relation_type",
            "target",
            "link_type",
            "description",
            "version",
            "created_at",
            "updated_at",
        ]


# --- The lens (read-only) ----------------------------------------------------------


class LensElementSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    element_type = serializers.CharField()


class LensPartSerializer(serializers.Serializer):
    urn = serializers.CharField(source="part.urn")
    name = serializers.CharField(source="part.name")
    question = serializers.CharField(source="part.short_question")
    depth = serializers.IntegerField()
    asked = serializers.BooleanField(
        help_text="Asked of the subject (assessable); false for a part shown as a heading only."
    )
    answered = serializers.BooleanField(help_text="Answered here or in one of its sub-parts.")
    element_count = serializers.IntegerField(help_text="Elements answering this part itself.")
    elements = LensElementSerializer(many=True, help_text="The first elements, by name.")


class LensSerializer(serializers.Serializer):
    framework = serializers.CharField(source="framework.urn")
    name = serializers.CharField(source="framework.name")
    part_count = serializers.IntegerField()
    answered_count = serializers.IntegerField()
    parts = LensPartSerializer(many=True, source="nodes")
