"""Norms as people read and type them: business hours and minutes, ``H:MM``.

Stored as whole business minutes (measured on the version's service hours). On
pages a norm reads ``4:00`` (four business hours) or ``0:30``; in a form one types
``H:MM``, or a whole number of hours (``8`` is ``8:00``). The API takes minutes.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

#: A year of round-the-clock minutes: no norm is longer; a longer one is a typo.
MAX_MINUTES = 366 * 24 * 60

_PATTERN = re.compile(r"^\s*(\d{1,6})\s*(?::\s*(\d{1,2}))?\s*$")


def duration_label(minutes: int | None) -> str:
    """``H:MM`` of a number of business minutes; ``—`` for none."""
    if minutes is None:
        return "—"
    return f"{minutes // 60}:{minutes % 60:02d}"


def parse_duration(text: str) -> int | None:
    """Minutes of ``H:MM`` or of a whole number of hours; ``None`` for blank.
    Anything else is a :class:`ValidationError` that shows how to write it."""
    if text is None or not str(text).strip():
        return None
    match = _PATTERN.match(str(text))
    if match is None:
        raise ValidationError(
            _("Write hours and minutes as H:MM, e.g. 0:30 or 8:00."), code="duration_format"
        )
    hours, minutes = int(match.group(1)), int(match.group(2) or 0)
    if minutes > 59:
        raise ValidationError(
            _("Minutes go up to 59 (write 1:30, not 0:90)."), code="duration_minutes"
        )
    total = hours * 60 + minutes
    if total > MAX_MINUTES:
        raise ValidationError(
            _("A norm of more than a year is not a norm; check the hours."), code="duration_long"
        )
    return total
