"""Text input that every database stores and every reader can read.

PostgreSQL refuses NUL characters in text, and a lone UTF-16 surrogate
(``"\\ud800"``, which JSON can express) cannot be encoded as UTF-8 at all: both
used to reach the database and answer 500. Every free text a service accepts is
checked here first, so the answer is a translated 400 that names the field.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

REASON_MAX_LENGTH = 1000

# NUL, and UTF-16 surrogates (U+D800–U+DFFF), which are never valid on their own in
# a Python string that came from UTF-8; JSON escapes can produce them.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def text_problem(value: str) -> str | None:
    """Why ``value`` cannot be stored as text, or ``None``."""
    if _UNSTORABLE.search(value):
        return _("Contains a character that cannot be stored (a NUL or a broken one).")
    return None


def clean_text(value: Any, *, field: str, max_length: int | None = None) -> str:
    """``value`` as storable text, or a :class:`ValidationError` on ``field``:
    not text (a number, list or object), an unstorable character, or too long."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError({field: _("Give text here.")}, code="not_text")
    problem = text_problem(value)
    if problem:
        raise ValidationError({field: problem}, code="unstorable")
    if max_length is not None and len(value) > max_length:
        raise ValidationError(
            {
                field: _("At most {limit} characters ({count} given).").format(
                    limit=max_length, count=len(value)
                )
            },
            code="too_long",
        )
    return value


#: The largest id or version a database stores (a signed 64-bit integer).
MAX_INTEGER = 2**63 - 1


def whole_number(value: Any) -> int | None:
    """``value`` as a whole number a database can store, or ``None``: only ASCII
    digits count (``"²".isdigit()`` is true, but ``int("²")`` fails)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 <= value <= MAX_INTEGER else None
    if isinstance(value, str):
        text = value.strip()
        if text.isascii() and text.isdigit() and len(text) <= 19:
            number = int(text)
            return number if number <= MAX_INTEGER else None
    return None


def clean_version(value: Any) -> int | None:
    """The version a writer quotes: ``None`` if not given, else a whole number, or a
    :class:`ValidationError` on ``version``."""
    if value is None or value == "":
        return None
    number = whole_number(value)
    if number is None:
        raise ValidationError(
            {"version": _("Give the version as a whole number.")}, code="invalid_version"
        )
    return number
