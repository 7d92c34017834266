from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceStatus(models.TextChoices):
    """A service's design state (§20.3: nothing takes live work before it is designed)."""

    DRAFT = "draft", _("draft")
    IN_DESIGN = "in_design", _("in design")
    DESIGNED = "designed", _("designed")
    LIVE = "live", _("live")
    RETIRED = "retired", _("retired")


class ServiceForm(models.TextChoices):
    """Single service, or part of a composed one (one generic plus specific services)."""

    SINGLE = "single", _("single service")
    GENERIC = "generic", _("generic service of a composed service")
    SPECIFIC = "specific", _("specific service of a composed service")


class EndKind(models.TextChoices):
    """What an end of an interface is: the customer or a link of the chain."""

    CUSTOMER = "customer", _("the customer")
    LINK = "link", _("a link of the chain")


class ComponentKind(models.TextChoices):
    """Kinds of managed infrastructure (the components under change control)."""

    APPLICATION = "application", _("application")
    DATA = "data", _("data")
    LOCATION = "location", _("location")
    CONTRACT = "contract", _("contract")
    TECHNOLOGY = "technology", _("technology")
    OTHER = "other", _("other")


class ApprovalDecision(models.TextChoices):
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
