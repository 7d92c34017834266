"""Reads for frameworks: lists with their counts, one framework with everything its
reference page or API answer shows, fetched in a fixed number of queries."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce

from stuurwiel.frameworks.attributes import AttributeRow, attribute_rows
from stuurwiel.frameworks.models import (
    CoherenceRule,
    Framework,
    FrameworkPart,
    GuidingQuestion,
    LinkType,
)
from stuurwiel.organisations.choices import Role

T = TypeVar("T")

#: (urn, what) → (the library's content key it was worked out for, the value).
_DERIVED: dict[tuple[str, str], tuple[Any, Any]] = {}
_DERIVED_LOCK = threading.Lock()


_READ = object()


def library_derived(urn: str, what: str, build: Callable[[], T], *, key: Any = _READ) -> T:
    """What ``build`` reads from the loaded library ``urn`` (``what`` names it),
    worked out once per loaded content instead of on every page: one query for
    the library's content hash, then the value kept from the last time, unless the
    hash moved on. Sound because only the loader writes a library's parts, and it
    writes a new content hash with every change of content (an unchanged library
    is skipped). Not loaded: the key is ``None`` (``build`` then reads the bundled
    file, which does not change while the process runs). The value is shared:
    callers treat it as read-only. ``key``: the library's ``(pk, content_hash)``
    (or ``None``) when the caller read it already, in a statement of its own."""
    if key is _READ:
        key = Framework.objects.filter(urn=urn).values_list("pk", "content_hash").first()
    kept = _DERIVED.get((urn, what))
    if kept is not None and kept[0] == key:
        return kept[1]
    value = build()
    with _DERIVED_LOCK:
        _DERIVED[(urn, what)] = (key, value)
    return value


def _count(queryset: QuerySet, to_framework: str) -> Coalesce:
    """A correlated count of ``queryset`` rows per framework (no join fan-out)."""
    counted = (
        queryset.filter(**{to_framework: OuterRef("pk")})
        .order_by()
        .values(to_framework)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def framework_list() -> QuerySet[Framework]:
    """Every framework with ``part_count``, ``question_count``, ``link_type_count``
    and ``rule_count``."""
    return Framework.objects.annotate(
        part_count=_count(FrameworkPart.objects.all(), "framework"),
        question_count=_count(GuidingQuestion.objects.all(), "part__framework"),
        link_type_count=_count(LinkType.objects.all(), "framework"),
        rule_count=_count(CoherenceRule.objects.all(), "framework"),
    ).order_by("name_nl")


def framework_detail_queryset() -> QuerySet[Framework]:
    """Frameworks with their parts (in tree order, questions included), link types
    and rules prefetched: five queries however many frameworks."""
    parts = FrameworkPart.objects.select_related("parent").prefetch_related(
        Prefetch("questions", queryset=GuidingQuestion.objects.order_by("order"))
    )
    link_types = LinkType.objects.select_related("source_part", "target_part")
    return framework_list().prefetch_related(
        Prefetch("parts", queryset=parts.order_by("order")),
        Prefetch("link_types", queryset=link_types.order_by("order")),
        Prefetch("rules", queryset=CoherenceRule.objects.order_by("order")),
    )


def framework_detail(*, ref_id: str) -> Framework:
    """One framework with everything prefetched; ``Framework.DoesNotExist`` if unknown."""
    return framework_detail_queryset().get(ref_id=ref_id)


def framework_part_list() -> QuerySet[FrameworkPart]:
    """All parts of all frameworks, for search: framework and parent joined."""
    return FrameworkPart.objects.select_related("framework", "parent").order_by(
        "framework__name_nl", "order"
    )


# --- The reference page's outline ----------------------------------------------


@dataclass
class PartNode:
    part: FrameworkPart
    depth: int = 0
    children: list[PartNode] = field(default_factory=list)
    attributes: list[AttributeRow] = field(default_factory=list)

    @property
    def heading(self) -> int:
        """The HTML heading level: top-level parts are h3 (under the page's h2s)."""
        return min(3 + self.depth, 6)


@dataclass
class RuleLine:
    """A rule with the parts, link type and roles its parameters name, resolved."""

    rule: CoherenceRule
    parts: list[FrameworkPart]
    link_type: LinkType | None
    roles: list[str]


@dataclass
class FrameworkOutline:
    framework: Framework
    tree: list[PartNode]
    rules: list[RuleLine]


def framework_outline(framework: Framework) -> FrameworkOutline:
    """The parts as a tree and the rules resolved, from an object fetched with
    :func:`framework_detail` (no further queries)."""
    parts = list(framework.parts.all())
    names = {part.ref_id: str(part.name) for part in parts}
    nodes = {
        part.pk: PartNode(part, attributes=attribute_rows(part.attributes, names)) for part in parts
    }
    tree: list[PartNode] = []
    for part in parts:  # tree order: a parent always comes before its children
        node = nodes[part.pk]
        parent = nodes.get(part.parent_id) if part.parent_id is not None else None
        if parent is None:
            tree.append(node)
        else:
            node.depth = parent.depth + 1
            parent.children.append(node)
    by_ref = {part.ref_id: part for part in parts}
    link_types = {link.ref_id: link for link in framework.link_types.all()}
    rules = []
    for rule in framework.rules.all():
        params = rule.params or {}
        refs = [*params.get("parts", []), params.get("source"), params.get("target")]
        rules.append(
            RuleLine(
                rule=rule,
                parts=[by_ref[ref] for ref in refs if ref in by_ref],
                link_type=link_types.get(params.get("link_type", "")),
                roles=[
                    str(Role(role).label) for role in params.get("roles", []) if role in Role.values
                ],
            )
        )
    return FrameworkOutline(framework=framework, tree=tree, rules=rules)
