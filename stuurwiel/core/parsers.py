"""A JSON parser for the API that refuses what would otherwise reach the database
or the interpreter as a server error: bodies over a size limit, nesting deeper than
any real payload (2,000 ``[`` used to raise ``RecursionError``), and strings with a
NUL or a lone surrogate (which PostgreSQL, and UTF-8, cannot store)."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import JSONParser

from stuurwiel.core.text import text_problem


class PayloadTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "payload_too_large"


def _check(value: Any, *, depth: int, path: str) -> None:
    """Walk the parsed value without recursion, so the check itself cannot overflow."""
    limit = settings.STUURWIEL_API_MAX_DEPTH
    stack: list[tuple[Any, int, str]] = [(value, depth, path)]
    while stack:
        item, level, where = stack.pop()
        if level > limit:
            raise ParseError(
                _("The JSON is nested more than {limit} levels deep.").format(limit=limit)
            )
        if isinstance(item, str):
            if text_problem(item):
                raise ParseError(
                    _(
                        "{path}: holds a character that cannot be stored (a NUL or a broken one)."
                    ).format(path=where or "/")
                )
        elif isinstance(item, dict):
            for key, child in item.items():
                if text_problem(key):
                    raise ParseError(_("A key contains a character that cannot be stored."))
                stack.append((child, level + 1, f"{where}/{key}"))
        elif isinstance(item, list):
            stack.extend((child, level + 1, f"{where}/{index}") for index, child in enumerate(item))


class SafeJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.STUURWIEL_API_MAX_BODY
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise PayloadTooLarge(
                _("The request body is larger than {limit} bytes.").format(limit=limit)
            )
        if not raw:
            return {}
        try:
            data = json.loads(raw.decode(self._encoding(parser_context)))
        except RecursionError as exc:
            raise ParseError(_("The JSON is nested too deeply.")) from exc
        except (ValueError, UnicodeDecodeError) as exc:
            raise ParseError(_("The body is not valid JSON: {error}").format(error=exc)) from exc
        _check(data, depth=0, path="")
        return data

    @staticmethod
    def _encoding(parser_context) -> str:
        return (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
