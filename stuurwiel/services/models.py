"""The USM service design: a service (one-to-one with a subject of kind service),
its Service Model Canvas, its chain of links with their interfaces, the managed
infrastructure, and the recorded design approvals.

Everything below a service points at it, declares where it lies for the access
layer (``access_scope``) and logs its changes under the service
(``changelog_parent_field``), so the service's history is its design's history and
"who specified this design" is a question to the change log.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from stuurwiel.core.models import OrganisationOwnedModel
from stuurwiel.services.choices import (
    ApprovalDecision,
    ComponentKind,
    EndKind,
    ServiceForm,
    ServiceStatus,
)


class Service(OrganisationOwnedModel):
    """A service: a chain performance with exactly one owner (§10.4, §11.10)."""

    subject = models.OneToOneField(
        "graph.Subject",
        # Deleting a service removes its subject (services.service_delete); a subject
        # is never deleted from under its service.
        on_delete=models.PROTECT,
        related_name="service",
        verbose_name=_("subject"),
        editable=False,
    )
    name = models.CharField(_("name"), max_length=200)
    customer_value = models.TextField(
        _("value for the customer"),
        blank=True,
        help_text=_("The value the service delivers, in the customers' own words."),
    )
    customer_description = models.TextField(
        _("description for requesters"),
        blank=True,
        help_text=_("What the requester catalogue shows: what you can ask for, in plain words."),
    )
    owner = models.ForeignKey(
        "parties.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_services",
        verbose_name=_("owner of the chain performance"),
    )
    customers = models.ManyToManyField(
        "parties.Stakeholder",
        blank=True,
        related_name="services",
        verbose_name=_("customers and user groups"),
    )
    form = models.CharField(
        _("form"), max_length=10, choices=ServiceForm.choices, default=ServiceForm.SINGLE
    )
    generic_service = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="specific_services",
        verbose_name=_("generic service"),
        help_text=_("For a specific service: the generic service it is part of."),
    )
    calendar = models.ForeignKey(
        "calendars.BusinessCalendar",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="services",
        verbose_name=_("service hours"),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ServiceStatus.choices,
        default=ServiceStatus.DRAFT,
        editable=False,
    )
    # Moves on with every write to the design (services.service_design_changed), not
    # with a status move: an approval is current while it names this number, so a
    # page knows without working out the design's digest.
    design_version = models.PositiveIntegerField(_("design version"), default=1, editable=False)

    url_namespace = "services"
    access_scope = "subject"
    # Bookkeeping: the writes that move it are logged themselves.
    changelog_exclude = (*OrganisationOwnedModel.changelog_exclude, "design_version")
    # The status moves only through services.service_transition (the design gate).
    writable_fields = (
        "name",
        "customer_value",
        "customer_description",
        "owner",
        "customers",
        "form",
        "generic_service",
        "calendar",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("service")
        verbose_name_plural = _("services")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="service_unique_name")
        ]
        indexes = [
            models.Index(fields=["organisation", "name", "id"], name="service_org_name"),
            models.Index(fields=["organisation", "status"], name="service_org_status"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.form == ServiceForm.SPECIFIC:
            if self.generic_service_id is None:
                raise ValidationError(
                    {"generic_service": _("A specific service names its generic service.")},
                    code="generic_missing",
                )
            generic = self.generic_service
            if generic.pk == self.pk or generic.form != ServiceForm.GENERIC:
                raise ValidationError(
                    {"generic_service": _("Choose a generic service of a composed service.")},
                    code="not_generic",
                )
        elif self.generic_service_id is not None:
            raise ValidationError(
                {"generic_service": _("Only a specific service is part of a generic service.")},
                code="generic_not_allowed",
            )


class ServicePart(OrganisationOwnedModel):
    """Abstract base of what belongs to one service's design."""

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="+", verbose_name=_("service")
    )

    url_namespace = "services"
    access_scope = "service__subject"
    changelog_parent_field = "service"

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        for field in self._meta.concrete_fields:
            related = getattr(self, field.name, None) if field.is_relation else None
            if field.name == "service" or related is None:
                continue
            owner = getattr(related, "service_id", None)
            if owner is not None and owner != self.service_id:
                raise ValidationError(
                    {field.name: _("Choose one of this service's own items.")},
                    code="other_service",
                )


class CanvasItem(ServicePart):
    """One cell entry of the Service Model Canvas: a facility, the support or the
    experience (``section``: a ``canvas_cell`` part of the USM library), with its
    specification per sub-cell of that part (``values``: ref_id → text)."""

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="canvas_items", verbose_name=_("service")
    )
    section = models.CharField(_("section"), max_length=100)
    name = models.CharField(_("name"), max_length=200)
    values = models.JSONField(_("specification"), default=dict, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    writable_fields = ("service", "section", "name", "values", "position")

    class Meta:
        ordering = ["service", "section", "position", "id"]
        verbose_name = _("canvas item")
        verbose_name_plural = _("canvas items")
        indexes = [models.Index(fields=["organisation", "service"], name="canvas_org_service")]

    def __str__(self) -> str:
        return self.name


class Link(ServicePart):
    """A link (schakel) of the service's chain: an internal team or an external
    supplier (a black box: only its interface is described), with what it
    contributes and which process steps of the five processes it performs."""

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="links", verbose_name=_("service")
    )
    team = models.ForeignKey(
        "parties.Team",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="links",
        verbose_name=_("team"),
    )
    supplier = models.ForeignKey(
        "parties.Supplier",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="links",
        verbose_name=_("supplier"),
    )
    position = models.PositiveIntegerField(_("position in the chain"), default=0)
    contribution = models.TextField(_("contribution"), blank=True)
    # USM library step ref_ids (kind "step") this link performs.
    steps = models.JSONField(_("process steps"), default=list, blank=True)
    canvas_items = models.ManyToManyField(
        CanvasItem, blank=True, related_name="links", verbose_name=_("contributes to")
    )

    access_owner = "supplier__staff__user"
    # Not a field: the canvas items it contributes to, as the service page reads
    # them in one go (services.selectors.service_page).
    contributes_to: list[CanvasItem]
    writable_fields = (
        "service",
        "team",
        "supplier",
        "position",
        "contribution",
        "steps",
        "canvas_items",
    )

    class Meta:
        ordering = ["service", "position", "id"]
        verbose_name = _("chain link")
        verbose_name_plural = _("chain links")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(team__isnull=False, supplier__isnull=True)
                    | models.Q(team__isnull=True, supplier__isnull=False)
                ),
                name="link_team_or_supplier",
            ),
            models.UniqueConstraint(fields=["service", "team"], name="link_unique_team"),
            models.UniqueConstraint(fields=["service", "supplier"], name="link_unique_supplier"),
        ]
        indexes = [models.Index(fields=["organisation", "service"], name="link_org_service")]

    def __str__(self) -> str:
        return str(self.team or self.supplier or "")

    @property
    def is_supplier(self) -> bool:
        return self.supplier_id is not None

    def clean(self) -> None:
        super().clean()
        if (self.team_id is None) == (self.supplier_id is None):
            raise ValidationError(
                {"team": _("A link is either an internal team or an external supplier.")},
                code="team_or_supplier",
            )


class Interface(ServicePart):
    """A hand-over between two ends (the customer or a link of this chain): what
    passes, what triggers it, the expected response and its norm."""

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="interfaces", verbose_name=_("service")
    )
    name = models.CharField(_("name"), max_length=200)
    source_kind = models.CharField(
        _("from"), max_length=10, choices=EndKind.choices, default=EndKind.LINK
    )
    source_link = models.ForeignKey(
        Link,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outgoing",
        verbose_name=_("from link"),
    )
    target_kind = models.CharField(
        _("to"), max_length=10, choices=EndKind.choices, default=EndKind.LINK
    )
    target_link = models.ForeignKey(
        Link,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="incoming",
        verbose_name=_("to link"),
    )
    passes = models.TextField(_("what passes"), blank=True)
    trigger = models.TextField(_("trigger"), blank=True)
    expected_response = models.TextField(_("expected response"), blank=True)
    norm_minutes = models.PositiveIntegerField(
        _("norm (business minutes)"),
        null=True,
        blank=True,
        help_text=_("Within how many business minutes the expected response follows."),
    )
    norm_note = models.CharField(_("norm"), max_length=300, blank=True)

    writable_fields = (
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
    )

    class Meta:
        ordering = ["service", "id"]
        verbose_name = _("interface")
        verbose_name_plural = _("interfaces")
        indexes = [models.Index(fields=["organisation", "service"], name="interface_org_service")]

    def __str__(self) -> str:
        return self.name

    def end_missing(self, end: str) -> bool:
        """Whether the ``source`` or ``target`` end names a link that is not there."""
        kind = getattr(self, f"{end}_kind")
        return kind == EndKind.LINK and getattr(self, f"{end}_link_id") is None

    def clean(self) -> None:
        super().clean()
        errors = {}
        for end in ("source", "target"):
            if getattr(self, f"{end}_kind") == EndKind.CUSTOMER:
                if getattr(self, f"{end}_link_id") is not None:
                    errors[f"{end}_link"] = _("The customer end names no link.")
            elif getattr(self, f"{end}_link_id") is None:
                errors[f"{end}_link"] = _("Choose the link of this end.")
        if self.source_kind == self.target_kind == EndKind.CUSTOMER:
            errors["target_kind"] = _("An interface connects the customer to a link, or links.")
        elif (
            self.source_kind == self.target_kind == EndKind.LINK
            and self.source_link_id is not None
            and self.source_link_id == self.target_link_id
        ):
            errors["target_link"] = _("An interface connects two different links.")
        if errors:
            raise ValidationError(errors, code="interface_ends")


class InfrastructureComponent(ServicePart):
    """A component of the managed infrastructure of the service (under change
    control), typed, linked to a graph element where one exists, and the link
    that manages it."""

    service = models.ForeignKey(
        Service,
        on_delete=models.CASCADE,
        related_name="components",
        verbose_name=_("service"),
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=ComponentKind.choices)
    element = models.ForeignKey(
        "graph.Element",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_components",
        verbose_name=_("model element"),
    )
    managed_by = models.ForeignKey(
        Link,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="components",
        verbose_name=_("managed by"),
    )
    description = models.TextField(_("description"), blank=True)

    writable_fields = ("service", "name", "kind", "element", "managed_by", "description")

    class Meta:
        ordering = ["service", "kind", "name"]
        verbose_name = _("managed component")
        verbose_name_plural = _("managed infrastructure")
        indexes = [models.Index(fields=["organisation", "service"], name="component_org_service")]

    def __str__(self) -> str:
        return self.name


class DesignApproval(ServicePart):
    """A recorded decision on a service design: who, when, on which version of the
    design (the digest of its export) and in which state. Never edited."""

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="approvals", verbose_name=_("service")
    )
    decision = models.CharField(_("decision"), max_length=10, choices=ApprovalDecision.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_by_name = models.CharField(_("decided by"), max_length=200)
    service_version = models.PositiveIntegerField(_("service version"))
    design_digest = models.CharField(_("design digest"), max_length=64)
    # The service's design_version when decided; empty on approvals recorded before
    # it existed (the gate then compares the digest).
    design_version = models.PositiveIntegerField(
        _("design version"), null=True, blank=True, editable=False
    )
    status_at = models.CharField(
        _("state of the design"), max_length=10, choices=ServiceStatus.choices
    )
    comment = models.TextField(_("comment"), blank=True)

    writable_fields = ()

    class Meta:
        ordering = ["service", "-created_at", "-id"]
        verbose_name = _("design approval")
        verbose_name_plural = _("design approvals")
        indexes = [models.Index(fields=["organisation", "service"], name="approval_org_service")]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} — {self.decided_by_name}"
