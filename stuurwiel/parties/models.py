from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from stuurwiel.core.models import OrganisationOwnedModel
from stuurwiel.parties.choices import Level, ValueCategory


class Person(OrganisationOwnedModel):
    """A person known to the organisation; may or may not be a user of Stuurwiel."""

    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    team = models.ForeignKey(
        "parties.Team",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("team"),
    )
    supplier = models.ForeignKey(
        "parties.Supplier",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("works for supplier"),
        help_text=_("For people of an external supplier: the supplier they work for."),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="persons",
        verbose_name=_("user account"),
        editable=False,
    )

    url_namespace = "parties"
    # The access layer (organisations/access.py): whose own record this is.
    access_owner = "user"
    # What services may set (core.services.check_fields). Not the user account:
    # linking one gives that account access to the person's records, so only
    # services.person_account_link sets it, for a member of this organisation.
    writable_fields = ("name", "email", "job_title", "team", "supplier")

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        # The list order (name, id) with the tie-breaker, read from the index.
        indexes = [models.Index(fields=["organisation", "name", "id"], name="person_org_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def has_account(self) -> bool:
        return self.user_id is not None


class Team(OrganisationOwnedModel):
    """An internal team: a link (schakel) in service chains, led by a team coordinator."""

    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(_("code"), max_length=30, blank=True)
    domain = models.CharField(
        _("domain"),
        max_length=200,
        blank=True,
        help_text=_("The organisational domain the team belongs to, e.g. Sociaal Domein."),
    )
    description = models.TextField(_("description"), blank=True)
    coordinator = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coordinated_teams",
        verbose_name=_("team coordinator"),
    )

    url_namespace = "parties"
    access_owner = "members__user"

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="team_unique_name")
        ]
        indexes = [models.Index(fields=["organisation", "name", "id"], name="team_org_name")]

    def __str__(self) -> str:
        return self.name


class Supplier(OrganisationOwnedModel):
    """An external party: a black box behind an interface (USM). The SMA records
    the interface and the agreement, never how the supplier works inside."""

    name = models.CharField(_("name"), max_length=200)
    chamber_of_commerce_number = models.CharField(_("KvK number"), max_length=20, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    interface_description = models.TextField(
        _("interface"),
        blank=True,
        help_text=_("How calls and deliveries are handed over to and from this supplier."),
    )
    contract_reference = models.CharField(_("contract reference"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True)

    url_namespace = "parties"
    # A supplier user sees their own supplier (through their person record).
    access_owner = "staff__user"

    class Meta:
        ordering = ["name"]
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="supplier_unique_name")
        ]
        indexes = [models.Index(fields=["organisation", "name", "id"], name="supplier_org_name")]

    def __str__(self) -> str:
        return self.name


class Stakeholder(OrganisationOwnedModel):
    """A party with a stake (IDM Belanghebbenden), weighed over People/Planet/Profit."""

    name = models.CharField(_("name"), max_length=200)
    category = models.CharField(_("category"), max_length=10, choices=ValueCategory.choices)
    interest = models.CharField(_("interest"), max_length=10, choices=Level.choices)
    influence = models.CharField(_("influence"), max_length=10, choices=Level.choices)
    is_internal = models.BooleanField(_("internal"), default=False)
    description = models.TextField(_("description"), blank=True)
    contact = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stakeholder_contacts",
        verbose_name=_("contact person"),
    )

    url_namespace = "parties"
    access_owner = "contact__user"

    class Meta:
        ordering = ["name"]
        verbose_name = _("stakeholder")
        verbose_name_plural = _("stakeholders")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="stakeholder_unique_name")
        ]
        indexes = [models.Index(fields=["organisation", "name", "id"], name="stakeholder_org_name")]

    def __str__(self) -> str:
        return self.name
