"""Read-only representations of the libraries. Texts come as ``{nl, en}`` objects,
like in the library files; parts come flat in tree order, each naming its parent."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from stuurwiel.core.vocabulary import ElementType
from stuurwiel.frameworks.models import (
    CoherenceRule,
    Framework,
    FrameworkPart,
    GuidingQuestion,
    LinkType,
)


class TranslatedTextSerializer(serializers.Serializer):
    """``{"nl": …, "en": …}`` read from the ``<base>_nl``/``<base>_en`` fields."""

    nl = serializers.CharField()
    en = serializers.CharField()

    def __init__(self, base: str, **kwargs):
        self.base = base
        kwargs.setdefault("source", "*")
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, instance):
        return {
            "nl": getattr(instance, f"{self.base}_nl"),
            "en": getattr(instance, f"{self.base}_en"),
        }


@extend_schema_field(
    {"type": "array", "items": {"type": "string", "enum": list(ElementType.values)}}
)
class ElementTypesField(serializers.ListField):
    child = serializers.CharField()


class ProvenanceSerializer(serializers.Serializer):
    """Where an entry comes from: ``{"kind": "seed"|"cited"|"reading", "ref": …}``,
    the library's ``source`` (named ``provenance`` here: a link type's ``source`` is
    its source part)."""

    kind = serializers.CharField(source="provenance")
    ref = serializers.CharField(source="provenance_ref")

    def __init__(self, **kwargs):
        kwargs.setdefault("source", "*")
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)


class GuidingQuestionSerializer(serializers.ModelSerializer):
    text = TranslatedTextSerializer("text")

    class Meta:
        model = GuidingQuestion
        fields = ["urn", "ref_id", "text", "source"]


class FrameworkPartSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="ref_id", read_only=True)
    name = TranslatedTextSerializer("name")
    description = TranslatedTextSerializer("description")
    short_question = TranslatedTextSerializer("short_question")
    cadence = TranslatedTextSerializer("cadence")
    element_types = ElementTypesField(read_only=True)
    questions = GuidingQuestionSerializer(many=True, read_only=True)
    provenance = ProvenanceSerializer()

    class Meta:
        model = FrameworkPart
        fields = [
            "urn",
            "ref_id",
            "parent",
            "kind",
            "order",
            "name",
            "description",
            "short_question",
            "cadence",
            "element_types",
            "attributes",
            "refs",
            "assessable",
            "provenance",
            "questions",
        ]


class FrameworkPartSearchSerializer(FrameworkPartSerializer):
    """A part found by search, naming its framework."""

    framework = serializers.SlugRelatedField(slug_field="ref_id", read_only=True)

    class Meta(FrameworkPartSerializer.Meta):
        fields = ["framework", *FrameworkPartSerializer.Meta.fields]


class LinkTypeSerializer(serializers.ModelSerializer):
    name = TranslatedTextSerializer("name")
    description = TranslatedTextSerializer("description")
    source = serializers.SlugRelatedField(source="source_part", slug_field="ref_id", read_only=True)
    target = serializers.SlugRelatedField(source="target_part", slug_field="ref_id", read_only=True)
    provenance = ProvenanceSerializer()

    class Meta:
        model = LinkType
        fields = [
            "urn",
            "ref_id",
            "name",
            "description",
            "source",
            "target",
            "relation_type",
            "provenance",
        ]


class CoherenceRuleSerializer(serializers.ModelSerializer):
    message = TranslatedTextSerializer("message")
    provenance = ProvenanceSerializer()

    class Meta:
        model = CoherenceRule
        fields = ["urn", "ref_id", "kind", "severity", "message", "params", "provenance"]


class FrameworkSerializer(serializers.ModelSerializer):
    name = TranslatedTextSerializer("name")
    description = TranslatedTextSerializer("description")
    parts = FrameworkPartSerializer(many=True, read_only=True)
    link_types = LinkTypeSerializer(many=True, read_only=True)
    rules = CoherenceRuleSerializer(many=True, read_only=True)

    class Meta:
        model = Framework
        fields = [
            "urn",
            "ref_id",
            "version",
            "name",
            "description",
            "publisher",
            "source_title",
            "source_author",
            "source_edition",
            "source_url",
            "license",
            "license_url",
            "content_hash",
            "loaded_at",
            "parts",
            "link_types",
            "rules",
        ]
