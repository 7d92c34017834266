"""Frameworks as data: versioned libraries of parts, guiding questions, link
types and coherence rules, loaded from YAML (see ``frameworks/loader.py``).

These are installation-wide reference data, not owned by one organisation; the
organisation's own content (``graph``) is classified against them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from stuurwiel.core.i18n import TranslatedField
from stuurwiel.core.vocabulary import ElementType, RelationType
from stuurwiel.frameworks.choices import PART_KIND_LABELS, Provenance, RuleKind, RuleSeverity


class Framework(models.Model):
    """One loaded library, e.g. ``urn:stuurwiel:framework:optimum`` version 1."""

    urn = models.CharField(_("URN"), max_length=200, unique=True)
    ref_id = models.SlugField(_("reference"), max_length=60, unique=True)
    version = models.PositiveIntegerField(_("version"))
    name_nl = models.CharField(_("name (Dutch)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    description_nl = models.TextField(_("description (Dutch)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    source_title = models.CharField(_("source"), max_length=300, blank=True)
    source_author = models.CharField(_("author"), max_length=200, blank=True)
    source_edition = models.CharField(_("edition"), max_length=200, blank=True)
    source_url = models.URLField(_("source address"), blank=True)
    license = models.CharField(_("licence"), max_length=200, blank=True)
    license_url = models.URLField(_("licence address"), blank=True)
    content_hash = models.CharField(_("content hash"), max_length=64)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now=True)

    name = TranslatedField("name")
    description = TranslatedField("description")

    class Meta:
        ordering = ["name_nl"]
        verbose_name = _("framework")
        verbose_name_plural = _("frameworks")

    # No get_absolute_url: the pages live under an organisation (/o/<org>/frameworks/…),
    # so links are built with {% url "frameworks:framework_detail" org ref_id %}.

    def __str__(self) -> str:
        return str(self.name)


class Sourced(models.Model):
    """Where a library entry comes from: the framework's own source (with the
    section), another publication, or Stuurwiel's reading of the source. Blank
    when the library does not say."""

    provenance = models.CharField(
        _("comes from"), max_length=10, choices=Provenance.choices, blank=True
    )
    provenance_ref = models.CharField(_("source reference"), max_length=300, blank=True)

    class Meta:
        abstract = True

    @property
    def is_reading(self) -> bool:
        return self.provenance == Provenance.READING


class FrameworkPart(Sourced):
    """A part of a framework: an aspect, line, domain, process, step, workflow
    pattern, … (``kind`` is the library's own word). Parts form a tree. A part
    that is not ``assessable`` (a process step, a pitfall) explains the framework
    but is not asked of a subject; it groups or informs."""

    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="parts", verbose_name=_("framework")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("part of"),
    )
    urn = models.CharField(_("URN"), max_length=300, unique=True)
    ref_id = models.CharField(_("reference"), max_length=100)
    kind = models.CharField(_("kind"), max_length=60, db_index=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    name_nl = models.CharField(_("name (Dutch)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    description_nl = models.TextField(_("description (Dutch)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    short_question_nl = models.CharField(_("question (Dutch)"), max_length=200, blank=True)
    short_question_en = models.CharField(_("question (English)"), max_length=200, blank=True)
    cadence_nl = models.CharField(_("cadence (Dutch)"), max_length=200, blank=True)
    cadence_en = models.CharField(_("cadence (English)"), max_length=200, blank=True)
    element_types = models.JSONField(_("element types"), default=list, blank=True)
    attributes = models.JSONField(_("attributes"), default=dict, blank=True)
    refs = models.JSONField(_("references"), default=dict, blank=True)
    assessable = models.BooleanField(_("asked of a subject"), default=True)

    name = TranslatedField("name")
    description = TranslatedField("description")
    short_question = TranslatedField("short_question")
    cadence = TranslatedField("cadence")

    class Meta:
        ordering = ["framework", "order"]
        verbose_name = _("framework part")
        verbose_name_plural = _("framework parts")
        constraints = [
            models.UniqueConstraint(fields=["framework", "ref_id"], name="part_unique_ref")
        ]

    def __str__(self) -> str:
        return f"{self.framework.ref_id}: {self.name}"

    @property
    def kind_label(self) -> str:
        return str(PART_KIND_LABELS.get(self.kind, self.kind.replace("_", " ")))

    @property
    def element_type_labels(self) -> list[str]:
        """The translated names of ``element_types``."""
        return [
            ElementType(value).label for value in self.element_types if value in ElementType.values
        ]


class GuidingQuestion(models.Model):
    """A question the framework's source asks about a part, in its own Dutch."""

    part = models.ForeignKey(
        FrameworkPart, on_delete=models.CASCADE, related_name="questions", verbose_name=_("part")
    )
    urn = models.CharField(_("URN"), max_length=400, unique=True)
    ref_id = models.CharField(_("reference"), max_length=100)
    order = models.PositiveIntegerField(_("order"), default=0)
    text_nl = models.TextField(_("question (Dutch)"))
    text_en = models.TextField(_("question (English)"))
    source = models.CharField(_("source"), max_length=200, blank=True)

    text = TranslatedField("text")

    class Meta:
        ordering = ["part", "order"]
        verbose_name = _("guiding question")
        verbose_name_plural = _("guiding questions")
        constraints = [
            models.UniqueConstraint(fields=["part", "ref_id"], name="question_unique_ref")
        ]

    def __str__(self) -> str:
        return str(self.text)

    @property
    def source_label(self) -> str:
        """The source as a reader understands it: the bundled libraries write
        "Stuurwiel" for our own questions and "seed NNN" for the model's source."""
        if self.source == "Stuurwiel":
            return str(_("our question"))
        if self.source.startswith("seed "):
            return str(_("from the source"))
        return self.source


class LinkType(Sourced):
    """A link the framework expects between two of its parts, e.g. Motivatie
    justifies Resultaat; realised in the graph by a relation of ``relation_type``."""

    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="link_types", verbose_name=_("framework")
    )
    urn = models.CharField(_("URN"), max_length=300, unique=True)
    ref_id = models.CharField(_("reference"), max_length=100)
    order = models.PositiveIntegerField(_("order"), default=0)
    name_nl = models.CharField(_("name (Dutch)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    description_nl = models.TextField(_("description (Dutch)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    source_part = models.ForeignKey(
        FrameworkPart,
        on_delete=models.CASCADE,
        related_name="outgoing_link_types",
        verbose_name=_("from"),
    )
    target_part = models.ForeignKey(
        FrameworkPart,
        on_delete=models.CASCADE,
        related_name="incoming_link_types",
        verbose_name=_("to"),
    )
    relation_type = models.CharField(
        _("relation type"), max_length=30, choices=RelationType.choices
    )

    name = TranslatedField("name")
    description = TranslatedField("description")

    class Meta:
        ordering = ["framework", "order"]
        verbose_name = _("link type")
        verbose_name_plural = _("link types")
        constraints = [
            models.UniqueConstraint(fields=["framework", "ref_id"], name="linktype_unique_ref")
        ]

    def __str__(self) -> str:
        return str(self.name)


class CoherenceRule(Sourced):
    """A coherence rule declared by the library; evaluated by a later engine."""

    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="rules", verbose_name=_("framework")
    )
    urn = models.CharField(_("URN"), max_length=300, unique=True)
    ref_id = models.CharField(_("reference"), max_length=100)
    order = models.PositiveIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=30, choices=RuleKind.choices)
    severity = models.CharField(
        _("severity"), max_length=10, choices=RuleSeverity.choices, default=RuleSeverity.WARNING
    )
    message_nl = models.TextField(_("message (Dutch)"))
    message_en = models.TextField(_("message (English)"))
    params = models.JSONField(_("parameters"), default=dict, blank=True)

    message = TranslatedField("message")

    class Meta:
        ordering = ["framework", "order"]
        verbose_name = _("coherence rule")
        verbose_name_plural = _("coherence rules")
        constraints = [
            models.UniqueConstraint(fields=["framework", "ref_id"], name="rule_unique_ref")
        ]

    def __str__(self) -> str:
        return str(self.message)
