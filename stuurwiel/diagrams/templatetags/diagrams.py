from django import template

from stuurwiel.diagrams.registry import has_diagram as _has_diagram

register = template.Library()


@register.filter
def has_diagram(ref_id: str) -> bool:
    """Whether the framework ``ref_id`` has a diagram (for the subject page's link)."""
    return _has_diagram(str(ref_id))
