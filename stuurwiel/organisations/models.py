from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from stuurwiel.organisations.choices import Role


class Organisation(models.Model):
    """A tenant: every domain object belongs to exactly one organisation.

    One installation hosts several (a shared-service centre or consultancy serves
    many), so every query of domain data is scoped by organisation.
    """

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    # Fields left out of the change log (they change on every write anyway).
    changelog_exclude: tuple[str, ...] = ("created_at", "updated_at", "version")

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisations:dashboard", kwargs={"org": self.slug})


class Membership(models.Model):
    """A user's membership of one organisation; roles hang off it.

    Role changes are logged as changes of the membership (a ``roles`` list in
    before/after), so its history tells who could do what, and since when.
    """

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    name = models.CharField(
        _("name"),
        max_length=200,
        blank=True,
        help_text=_("The member's name as this organisation knows them."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    # ``user`` is the installation-wide account id: the organisation's history
    # must not show it (a fresh id next to an old one tells whether an invited
    # address already had an account). The membership's own id names the member.
    changelog_exclude: tuple[str, ...] = ("created_at", "updated_at", "version", "user")
    url_namespace = "organisations"
    # The access layer (organisations/access.py): a member's own membership.
    access_owner = "user"

    class Meta:
        # By the organisation's own name for the member, served by the index below
        # (ordering through the user table could not be, and grew with the list).
        ordering = ["name", "id"]
        # The pages speak of members; the model is the membership that makes one.
        verbose_name = _("member")
        verbose_name_plural = _("members")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="membership_unique_user")
        ]
        indexes = [
            models.Index(fields=["organisation", "name", "id"], name="membership_org_name"),
        ]

    def __str__(self) -> str:
        # The organisation's own name for the member: an account may belong to
        # several organisations, and what one calls it is not shown to another.
        return self.name or self.user.get_username()

    def save(self, *args, **kwargs):
        if not self.name:  # the services always give one; this covers direct creates
            self.name = (self.user.get_full_name() or self.user.get_username())[:200]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return self._url("detail")

    def _url(self, action: str) -> str:
        return reverse(
            f"organisations:membership_{action}",
            kwargs={"org": self.organisation.slug, "pk": self.pk},
        )

    def get_edit_url(self) -> str:
        return self._url("edit")

    def get_history_url(self) -> str:
        return self._url("history")

    def get_deactivate_url(self) -> str:
        return self._url("deactivate")

    def get_activate_url(self) -> str:
        return self._url("activate")

    def get_invitation_url(self) -> str:
        return self._url("invitation")

    @property
    def role_values(self) -> list[str]:
        return sorted({a.role for a in self.role_assignments.all()})

    @property
    def full_name(self) -> str:
        return self.name

    @property
    def email(self) -> str:
        # Lower-cased, as invited accounts are stored: how the account's holder
        # wrote their address elsewhere is not shown (see services.membership_invite).
        return self.user.email.lower()

    @property
    def role_labels(self) -> str:
        """Translated role names, scoped ones with their subject (prefetch them)."""
        return ", ".join(str(a) for a in self.role_assignments.all())


class RoleAssignment(models.Model):
    """One role held by a member, organisation-wide or scoped to one subject
    (a service, capability, …). Scoping lets later function-separation rules
    refuse combinations per service or per call."""

    membership = models.ForeignKey(
        Membership,
        on_delete=models.CASCADE,
        related_name="role_assignments",
        verbose_name=_("membership"),
    )
    role = models.CharField(_("role"), max_length=40, choices=Role.choices)
    subject = models.ForeignKey(
        "graph.Subject",
        on_delete=models.PROTECT,  # graph.services.subject_delete explains why
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("scope"),
        help_text=_("Empty means the role holds for the whole organisation."),
    )

    class Meta:
        ordering = ["role"]
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "role", "subject"], name="roleassignment_unique"
            ),
            models.UniqueConstraint(
                fields=["membership", "role"],
                condition=models.Q(subject__isnull=True),
                name="roleassignment_unique_orgwide",
            ),
        ]

    def __str__(self) -> str:
        label = self.get_role_display()
        return f"{label} ({self.subject})" if self.subject_id else str(label)
