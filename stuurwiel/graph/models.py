"""The connected model: an organisation's own subjects, typed elements and typed,
directed relations, each element classified by the framework parts it answers.

Built for organisations with 100,000+ elements: every list is scoped by
organisation first, and the indexes below lead with ``organisation``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from stuurwiel.core.models import OrganisationOwnedModel
from stuurwiel.graph.choices import ElementType, RelationType, SubjectKind, SubjectStatus


class Subject(OrganisationOwnedModel):
    """What a framework asks its questions about: a capability, a digitalisation
    agenda, a service or a mission-driven environment. ``frameworks`` are the
    lenses applied to it."""

    kind = models.CharField(_("kind"), max_length=30, choices=SubjectKind.choices)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=SubjectStatus.choices, default=SubjectStatus.DRAFT
    )
    owner = models.ForeignKey(
        "parties.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_subjects",
        verbose_name=_("owner"),
    )
    frameworks = models.ManyToManyField(
        "frameworks.Framework", blank=True, related_name="subjects", verbose_name=_("frameworks")
    )

    url_namespace = "graph"
    # The access layer (organisations/access.py): a subject is its own scope.
    access_scope = "pk"

    class Meta:
        ordering = ["name"]
        verbose_name = _("subject")
        verbose_name_plural = _("subjects")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="subject_unique_name")
        ]
        indexes = [
            models.Index(fields=["organisation", "name", "id"], name="subject_org_name"),
            models.Index(fields=["organisation", "kind"], name="subject_org_kind"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def framework_names(self) -> str:
        """The applied frameworks in the active language (prefetch ``frameworks``)."""
        return ", ".join(str(framework.name) for framework in self.frameworks.all())


class Element(OrganisationOwnedModel):
    """A typed piece of the organisation's content (goal, principle, intervention,
    …), usually within one subject, classified by the framework parts it answers."""

    subject = models.ForeignKey(
        Subject,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="elements",
        verbose_name=_("subject"),
    )
    element_type = models.CharField(_("type"), max_length=30, choices=ElementType.choices)
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        "parties.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_elements",
        verbose_name=_("owner"),
    )
    parts = models.ManyToManyField(
        "frameworks.FrameworkPart",
        through="Classification",
        blank=True,
        related_name="elements",
        verbose_name=_("answers"),
    )

    url_namespace = "graph"
    access_scope = "subject"
    # An element's changes show in its subject's history too.
    changelog_parent_field = "subject"

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("element")
        verbose_name_plural = _("elements")
        indexes = [
            models.Index(fields=["organisation", "name", "id"], name="element_org_name"),
            models.Index(fields=["organisation", "element_type"], name="element_org_type"),
            models.Index(fields=["organisation", "subject"], name="element_org_subject"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def type_label(self) -> str:
        """The translated type; unlike ``get_element_type_display()`` it does not
        hash all 29 lazy choice labels on every call (lists show hundreds)."""
        return _choice_label(ElementType, self.element_type)

    @property
    def part_names(self) -> str:
        """The parts it answers in the active language (prefetch ``parts``)."""
        return ", ".join(str(part.name) for part in self.parts.all())


class Classification(models.Model):
    """Element answers framework part (through table of ``Element.parts``)."""

    element = models.ForeignKey(Element, on_delete=models.CASCADE, related_name="classifications")
    part = models.ForeignKey(
        "frameworks.FrameworkPart", on_delete=models.PROTECT, related_name="classifications"
    )

    class Meta:
        verbose_name = _("classification")
        verbose_name_plural = _("classifications")
        constraints = [
            models.UniqueConstraint(fields=["element", "part"], name="classification_unique")
        ]

    def __str__(self) -> str:
        return f"{self.element} → {self.part}"


class Relation(OrganisationOwnedModel):
    """A typed, directed relation from one element to another."""

    source = models.ForeignKey(
        Element, on_delete=models.CASCADE, related_name="outgoing", verbose_name=_("from")
    )
    target = models.ForeignKey(
        Element, on_delete=models.CASCADE, related_name="incoming", verbose_name=_("to")
    )
    relation_type = models.CharField(_("type"), max_length=30, choices=RelationType.choices)
    link_type = models.ForeignKey(
        "frameworks.LinkType",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="relations",
        verbose_name=_("realises link"),
    )
    description = models.TextField(_("description"), blank=True)

    url_namespace = "graph"
    # A relation lies inside a scope when both its ends do.
    access_scope = ("source__subject", "target__subject")

    class Meta:
        # Newest first: an order the index below gives without sorting; ordering
        # by the source's name sorted all 200,000 relations of a large organisation.
        ordering = ["-id"]
        verbose_name = _("relation")
        verbose_name_plural = _("relations")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target", "relation_type"], name="relation_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(source=models.F("target")),
                name="relation_not_self",
                violation_error_message=_("A relation cannot point at its own source."),
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "source"], name="relation_org_source"),
            models.Index(fields=["organisation", "target"], name="relation_org_target"),
            models.Index(fields=["organisation", "-id"], name="relation_org_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.source} —{self.type_label}→ {self.target}"

    @property
    def type_label(self) -> str:
        return _choice_label(RelationType, self.relation_type)


def _choice_label(choices: type[models.TextChoices], value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value
