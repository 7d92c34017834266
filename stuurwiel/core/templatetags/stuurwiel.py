from django import template
from django.http import QueryDict
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag(takes_context=True)
def cell(context, obj, column):
    """A table cell; an object the viewer may not see is not named (a supplier
    sees an element of their service, not who owns it inside the organisation)."""
    return shown_to(column.value(obj), context.get("current_access"))


@register.filter
def shown_to(value, viewer):
    """``value``, or a placeholder when it is an object ``viewer`` (the access
    layer's ``current_access``) may not see."""
    may_view = getattr(viewer, "may_view", None)
    if may_view is not None and hasattr(value, "_meta") and value.pk and not may_view(value):
        return _("(not visible to you)")
    return value


@register.simple_tag(takes_context=True)
def query_with(context, **kwargs):
    """The current query string with some parameters replaced (for paging links)."""
    query: QueryDict = context["request"].GET.copy()
    for key, value in kwargs.items():
        query[key] = value
    return query.urlencode()


@register.filter
def has_perm(permissions, permission):
    return permission in (permissions or ())


@register.filter
def url_for_viewer(obj, viewer):
    """``obj``'s page if the viewer may see it, else "" so that templates show the
    name without a link that would answer 403 or 404. ``viewer`` is the access
    layer's answer for the member (``current_access``), or a set of permissions."""
    url = getattr(obj, "get_absolute_url", None)
    if url is None:
        return ""
    may_view = getattr(viewer, "may_view", None)  # the access layer's Access
    if may_view is not None:
        return url() if may_view(obj) else ""
    if f"{obj._meta.app_label}.view" not in (viewer or ()):
        return ""
    return url()
