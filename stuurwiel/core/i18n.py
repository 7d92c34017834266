"""Bilingual content fields.

Framework libraries and some reference data carry their own Dutch and English
texts (``name_nl``/``name_en``). :class:`TranslatedField` returns the one for the
active language, falling back to Dutch, the product's first language.
"""

from __future__ import annotations

from django.utils.translation import get_language

CONTENT_LANGUAGES = ("nl", "en")


def active_content_language() -> str:
    lang = (get_language() or "nl")[:2]
    return lang if lang in CONTENT_LANGUAGES else "nl"


class TranslatedField:
    """Descriptor: ``name = TranslatedField("name")`` reads ``name_nl`` or ``name_en``."""

    def __init__(self, base: str) -> None:
        self.base = base

    def __get__(self, obj: object, objtype: type | None = None) -> object:
        if obj is None:
            return self
        value = getattr(obj, f"{self.base}_{active_content_language()}", "")
        return value or getattr(obj, f"{self.base}_nl", "")
