from stuurwiel.organisations.selectors import organisations_for_user


def current_organisation(request):
    """Navigation context: the organisation in the URL and the switcher's list."""
    organisation = getattr(request, "organisation", None)
    return {
        "current_organisation": organisation,
        "current_permissions": getattr(request, "permissions", frozenset()),
        "current_access": getattr(request, "access", None),
        "my_organisations": (
            list(organisations_for_user(request.user))
            if getattr(request, "user", None) and request.user.is_authenticated
            else []
        ),
    }
