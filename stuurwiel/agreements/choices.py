from django.db import models
from django.utils.translation import gettext_lazy as _


class AgreementKind(models.TextChoices):
    """USM's three agreements: with the customer, an internal link, a supplier link."""

    SA = "sa", _("Service agreement (SA)")
    OLA = "ola", _("Operational level agreement (OLA)")
    UC = "uc", _("Underpinning contract (UC)")


class VersionStatus(models.TextChoices):
    """A version is drafted, then in force; a newer version in force supersedes it."""

    DRAFT = "draft", _("draft")
    ACTIVE = "active", _("in force")
    SUPERSEDED = "superseded", _("superseded")


class MatrixKind(models.TextChoices):
    """The organisation's two priority matrices."""

    CALL = "call", _("impact × urgency (calls)")
    RISK = "risk", _("effect × likelihood (risks)")
