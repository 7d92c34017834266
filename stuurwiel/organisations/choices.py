from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Roles follow USM's levels (architecture, management, coordination, execution)
    and profiles, plus the read-only auditor and the organisation administrator."""

    ARCHITECT = "architect", _("Architect")
    MANAGER = "manager", _("Manager")
    SERVICE_OWNER = "service_owner", _("Service owner")
    WORKFLOW_MANAGER = "workflow_manager", _("Workflow manager")
    WORKFLOW_COORDINATOR = "workflow_coordinator", _("Workflow coordinator")
    TEAM_COORDINATOR = "team_coordinator", _("Team coordinator")
    OPERATOR = "operator", _("Operator")
    REQUESTER = "requester", _("Requester")
    SUPPLIER_USER = "supplier_user", _("Supplier user")
    AUDITOR = "auditor", _("Auditor")
    ORGANISATION_ADMIN = "organisation_admin", _("Organisation admin")


class RoleLevel(models.TextChoices):
    """USM's four levels of function separation (§14.5)."""

    ARCHITECTURE = "architecture", _("Architecture")
    MANAGEMENT = "management", _("Management")
    COORDINATION = "coordination", _("Coordination")
    EXECUTION = "execution", _("Execution")
    NONE = "none", _("Outside the levels")


class SeparationPrinciple(models.TextChoices):
    """Why function separation advises against combining roles (seed 002 §14.6–14.7).
    The values are those the USM library's ``role_separation`` rules use."""

    DESIGN_OWN_WORK = "design_own_work", _("Nobody designs their own work.")
    JUDGE_OWN_PERFORMANCE = "judge_own_performance", _("Nobody judges their own performance.")
    LEGITIMISE_OWN_EXCEPTIONS = (
        "legitimise_own_exceptions",
        _("Nobody legitimises their own exceptions."),
    )
    MANAGERS_DO_NOT_EXECUTE = (
        "managers_do_not_execute",
        _("Managers discuss the work but do not carry it out."),
    )
    COORDINATORS_DO_NOT_EXECUTE = (
        "coordinators_do_not_execute",
        _("Coordinators organise the work but do not carry it out."),
    )
    DOMAIN_SEPARATION = "domain_separation", _("Specifying and realising are separate domains.")
