"""Agreements of a service (SA with the customer, OLA with an internal link, UC
with a supplier link), versioned, with USM's one norm structure; and the
organisation's editable priority matrices.

USM's norm structure (seed 002 via ../shared/DOMAIN.md, the Service Model Canvas):
only the facility's functionality varies per service (``facility_functionality``);
the functioning of the facility and the functionality and functioning of the
support follow one standard structure: service hours (``calendar``), availability,
and a response and resolution norm per priority (:class:`Norm`, business minutes).

A version is edited while it is a draft; putting it in force supersedes the one
before. A call keeps the version it started under (it points at the version).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from stuurwiel.agreements.choices import AgreementKind, MatrixKind, VersionStatus
from stuurwiel.core.models import OrganisationOwnedModel


class Agreement(OrganisationOwnedModel):
    """One agreement of one service: the SA, or the OLA/UC of one of its links."""

    service = models.ForeignKey(
        "services.Service",
        on_delete=models.CASCADE,
        related_name="agreements",
        verbose_name=_("service"),
    )
    kind = models.CharField(_("kind"), max_length=5, choices=AgreementKind.choices)
    link = models.ForeignKey(
        "services.Link",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="agreements",
        verbose_name=_("chain link"),
    )
    name = models.CharField(_("name"), max_length=200)

    url_namespace = "agreements"
    access_scope = "service__subject"
    access_owner = "link__supplier__staff__user"
    changelog_parent_field = "service"
    writable_fields = ("service", "kind", "link", "name")

    class Meta:
        ordering = ["service", "kind", "name"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            models.UniqueConstraint(
                fields=["service"],
                condition=models.Q(kind="sa"),
                name="agreement_one_sa",
            ),
            models.UniqueConstraint(fields=["link"], name="agreement_one_per_link"),
        ]
        indexes = [models.Index(fields=["organisation", "service"], name="agreement_org_service")]

    def __str__(self) -> str:
        return self.name

    @property
    def party(self) -> str:
        """Whom the agreement is with: the customer, or the link's team or supplier."""
        if self.kind == AgreementKind.SA:
            return str(_("the customer"))
        return str(self.link) if self.link_id else ""

    # Read from the prefetched ``versions`` (selectors.agreement_queryset).
    @property
    def version_in_force(self) -> AgreementVersion | None:
        return next((v for v in self.versions.all() if v.status == VersionStatus.ACTIVE), None)

    @property
    def draft_version(self) -> AgreementVersion | None:
        return next((v for v in self.versions.all() if v.status == VersionStatus.DRAFT), None)

    @property
    def in_force_label(self) -> str:
        version = self.version_in_force
        if version is None:
            return ""
        return _("version {number} since {date}").format(
            number=version.number,
            date=date_format(version.valid_from, "SHORT_DATE_FORMAT") if version.valid_from else "",
        )

    @property
    def draft_label(self) -> str:
        version = self.draft_version
        return _("version {number}").format(number=version.number) if version else ""

    def clean(self) -> None:
        super().clean()
        if self.kind == AgreementKind.SA:
            if self.link_id is not None:
                raise ValidationError(
                    {"link": _("A service agreement is made with the customer, not a link.")},
                    code="sa_with_link",
                )
            return
        if self.link_id is None:
            raise ValidationError(
                {"link": _("An OLA or UC is made with a link of the chain.")},
                code="link_missing",
            )
        if self.service_id is not None and self.link.service_id != self.service_id:
            raise ValidationError(
                {"link": _("Choose a link of this service's chain.")}, code="other_service"
            )
        if self.kind == AgreementKind.OLA and self.link.team_id is None:
            raise ValidationError(
                {"kind": _("An external supplier gets an underpinning contract (UC), not an OLA.")},
                code="ola_for_supplier",
            )
        if self.kind == AgreementKind.UC and self.link.supplier_id is None:
            raise ValidationError(
                {"kind": _("An internal team gets an OLA, not an underpinning contract (UC).")},
                code="uc_for_team",
            )


class AgreementVersion(OrganisationOwnedModel):
    """One version of an agreement: its service hours, availability and the
    facility's functionality; its norms per priority are :class:`Norm` rows."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="versions", verbose_name=_("agreement")
    )
    number = models.PositiveIntegerField(_("version number"), editable=False)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=VersionStatus.choices,
        default=VersionStatus.DRAFT,
        editable=False,
    )
    valid_from = models.DateField(_("in force from"), null=True, blank=True, editable=False)
    calendar = models.ForeignKey(
        "calendars.BusinessCalendar",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreement_versions",
        verbose_name=_("service hours"),
    )
    availability = models.DecimalField(
        _("availability (%)"),
        max_digits=6,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    facility_functionality = models.TextField(
        _("functionality of the facility"),
        blank=True,
        help_text=_("What varies per service: what the facility does (from the canvas)."),
    )
    notes = models.TextField(_("notes"), blank=True)
    # Who put the version in force, and when (the change log says it too; these
    # stay readable on the version itself and cost no log query on a page).
    activated_at = models.DateTimeField(_("put in force at"), null=True, blank=True, editable=False)
    activated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("put in force by"),
    )
    activated_by_name = models.CharField(
        _("put in force by"), max_length=200, blank=True, editable=False
    )
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True, editable=False)

    url_namespace = "agreements"
    access_scope = "agreement__service__subject"
    access_owner = "agreement__link__supplier__staff__user"
    changelog_parent_field = "agreement"
    writable_fields = ("calendar", "availability", "facility_functionality", "notes")

    class Meta:
        ordering = ["agreement", "-number"]
        verbose_name = _("agreement version")
        verbose_name_plural = _("agreement versions")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="version_unique_number"),
            models.UniqueConstraint(
                fields=["agreement"],
                condition=models.Q(status="active"),
                name="version_one_active",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "agreement"], name="version_org_agreement")]

    def __str__(self) -> str:
        return f"{self.agreement} v{self.number}"

    @property
    def is_draft(self) -> bool:
        return self.status == VersionStatus.DRAFT

    # The version pages are named version_* (not agreementversion_*).
    def _url(self, action: str) -> str:
        return reverse(
            f"agreements:version_{action}", kwargs={"org": self.organisation.slug, "pk": self.pk}
        )

    def get_history_url(self) -> str:
        return self.agreement.get_history_url()


class Norm(OrganisationOwnedModel):
    """Response and resolution norm for one priority, in business minutes on the
    version's service hours."""

    # Not ``version``: that name is the optimistic lock every organisation-owned
    # model carries (a foreign key named so would replace it).
    agreement_version = models.ForeignKey(
        AgreementVersion,
        on_delete=models.CASCADE,
        related_name="norms",
        verbose_name=_("agreement version"),
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), validators=[MinValueValidator(1), MaxValueValidator(9)]
    )
    response_minutes = models.PositiveIntegerField(_("response within (business minutes)"))
    resolution_minutes = models.PositiveIntegerField(_("resolved within (business minutes)"))

    url_namespace = "agreements"
    access_scope = "agreement_version__agreement__service__subject"
    access_owner = "agreement_version__agreement__link__supplier__staff__user"
    # Logged under the agreement, so its history shows what changed in which norm.
    changelog_parent_field = "agreement"
    writable_fields = ("agreement_version", "priority", "response_minutes", "resolution_minutes")

    class Meta:
        ordering = ["agreement_version", "priority"]
        verbose_name = _("norm")
        verbose_name_plural = _("norms")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement_version", "priority"], name="norm_unique_priority"
            )
        ]

    def __str__(self) -> str:
        return _("priority {priority}").format(priority=self.priority)

    @property
    def agreement(self) -> Agreement:
        return self.agreement_version.agreement

    def get_absolute_url(self) -> str:
        return self.agreement_version.get_absolute_url()

    def clean(self) -> None:
        super().clean()
        if (
            self.response_minutes is not None
            and self.resolution_minutes is not None
            and self.resolution_minutes < self.response_minutes
        ):
            raise ValidationError(
                {"resolution_minutes": _("Resolution cannot come before the response.")},
                code="resolution_before_response",
            )


class PriorityCell(OrganisationOwnedModel):
    """One cell of an organisation's priority matrix: for calls impact × urgency,
    for risks effect × likelihood (levels and the default from the USM library's
    ``prioriteit`` part, which labels the default as Stuurwiel's own example)."""

    matrix = models.CharField(_("matrix"), max_length=5, choices=MatrixKind.choices)
    row = models.CharField(_("impact or effect"), max_length=20)
    column = models.CharField(_("urgency or likelihood"), max_length=20)
    priority = models.PositiveSmallIntegerField(
        _("priority"), validators=[MinValueValidator(1), MaxValueValidator(9)]
    )

    url_namespace = "agreements"
    writable_fields = ("priority",)

    class Meta:
        ordering = ["matrix", "id"]
        verbose_name = _("priority matrix cell")
        verbose_name_plural = _("priority matrix")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "matrix", "row", "column"], name="priority_cell_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.row} × {self.column} = {self.priority}"

    def get_absolute_url(self) -> str:
        url = reverse("agreements:priority_matrix", kwargs={"org": self.organisation.slug})
        return f"{url}#{self.matrix}"
