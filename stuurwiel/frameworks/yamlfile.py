"""Reading a library file's YAML strictly, for :mod:`stuurwiel.frameworks.loader`.

Safe loading only; duplicate keys and anchors/aliases are refused (a library is
plain data, and a silently overwritten key is a lost text). Every path in the
document gets its line number, so later errors can say where to look.
"""

from __future__ import annotations

from typing import Any

import yaml
from django.utils.translation import gettext as _

from stuurwiel.frameworks.errors import LibraryError


class _DuplicateKey(yaml.MarkedYAMLError):
    pass


class _LibraryYamlLoader(yaml.SafeLoader):
    """Safe YAML that refuses duplicate keys instead of silently keeping the last."""

    def construct_mapping(self, node, deep=False):
        seen: set[Any] = set()
        for key_node, _value in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, str | int | float | bool) and key in seen:
                raise _DuplicateKey(
                    problem=_("the key “{key}” appears twice in this mapping").format(key=key),
                    problem_mark=key_node.start_mark,
                )
            seen.add(key)
        return super().construct_mapping(node, deep)


def parse_library_yaml(name: str, text: str) -> tuple[Any, dict[tuple, int], list[LibraryError]]:
    """The parsed document, a map of path → line number, and syntax errors."""
    loader = _LibraryYamlLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}, [LibraryError(name, "", _("The file is empty."))]
        lines: dict[tuple, int] = {}
        alias_line = _map_lines(node, (), lines, set())
        if alias_line is not None:
            message = _("Anchors and aliases (&, *) are not supported; write the values out.")
            return None, {}, [LibraryError(name, "", message, alias_line)]
        return loader.construct_document(node), lines, []
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        message = _("YAML syntax error: {problem}.").format(problem=problem)
        return None, {}, [LibraryError(name, "", message, mark.line + 1 if mark else None)]
    finally:
        loader.dispose()


def _map_lines(node, path: tuple, lines: dict[tuple, int], seen: set[int]) -> int | None:
    """Record the line of every path; return the line of a reused (aliased) node."""
    if id(node) in seen:
        return node.start_mark.line + 1
    seen.add(id(node))
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            child = (*path, key_node.value)
            lines[child] = key_node.start_mark.line + 1
            if (found := _map_lines(value_node, child, lines, seen)) is not None:
                return found
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            if (found := _map_lines(item, (*path, index), lines, seen)) is not None:
                return found
    return None
