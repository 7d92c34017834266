from stuurwiel.organisations.choices import Role
from stuurwiel.organisations.selectors import organisations_for_user


def _menu(access) -> dict[str, bool]:
    """Which lists the member may open: a permission held for that kind of object
    (a role scoped to one subject opens no change feed, for instance)."""
    if access is None:
        return {}
    from stuurwiel.agreements.models import Agreement, PriorityCell
    from stuurwiel.calendars.models import BusinessCalendar
    from stuurwiel.calls.models import Call
    from stuurwiel.changelog.models import ChangeLogEntry
    from stuurwiel.coherence.models import Finding
    from stuurwiel.graph.models import Element, Relation, Subject
    from stuurwiel.notifications.models import NotificationSetting
    from stuurwiel.organisations.models import Membership
    from stuurwiel.parties.models import Person, Stakeholder, Supplier, Team
    from stuurwiel.services.models import Service
    from stuurwiel.webhooks.models import WebhookEndpoint

    lists = {
        "services": ("services.view", Service),
        "catalogue": ("services.catalogue", Service),
        "calendars": ("calendars.view", BusinessCalendar),
        "agreements": ("agreements.view", Agreement),
        "priorities": ("agreements.view", PriorityCell),
        "subjects": ("graph.view", Subject),
        "coherence": ("coherence.view", Finding),
        "elements": ("graph.view", Element),
        "relations": ("graph.view", Relation),
        "teams": ("parties.view", Team),
        "persons": ("parties.view", Person),
        "suppliers": ("parties.view", Supplier),
        "stakeholders": ("parties.view", Stakeholder),
        "members": ("organisations.view", Membership),
        "changes": ("changelog.view", ChangeLogEntry),
        "frameworks": ("frameworks.view", None),
        "calls": ("calls.view", Call),
        "report": ("calls.register", Call),
        "notifications": ("notifications.manage", NotificationSetting),
        "dashboard": ("dashboard.view", Call),
        "webhooks": ("webhooks.view", WebhookEndpoint),
    }
    menu = {name: access.holds_for(perm, model) for name, (perm, model) in lists.items()}
    # Requesters report and follow their own calls; the staff have a worklist.
    membership = access.membership
    roles = {a.role for a in membership.role_assignments.all()} if membership else set()
    menu["portal"] = bool(roles) and roles <= {Role.REQUESTER}
    menu["work"] = menu["calls"] and not menu["portal"]
    return menu


def current_organisation(request):
    """Navigation context: the organisation in the URL and the switcher's list."""
    organisation = getattr(request, "organisation", None)
    access = getattr(request, "access", None)
    return {
        "current_organisation": organisation,
        "current_permissions": getattr(request, "permissions", frozenset()),
        "current_access": access,
        "current_menu": _menu(access),
        "my_organisations": (
            list(organisations_for_user(request.user))
            if getattr(request, "user", None) and request.user.is_authenticated
            else []
        ),
    }
