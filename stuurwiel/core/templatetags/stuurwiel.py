from django import template
from django.http import QueryDict

register = template.Library()


@register.simple_tag
def cell(obj, column):
    return column.value(obj)


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
