"""Reads for the connected model.

List querysets join or prefetch what their pages and API answers show, so a page
costs the same number of queries for 5 rows or 50. The lens and the neighbourhood
fetch a bounded number of rows however large the organisation is: they show the
first few elements per part or relation direction and count the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber

# Re-exported: the graph views name it here (it lives in core, shared by every list).
from stuurwiel.core.pagination import DeferredJoinPaginator  # noqa: F401
from stuurwiel.frameworks.models import Framework, FrameworkPart, GuidingQuestion
from stuurwiel.graph.models import Classification, Element, Relation, Subject

# How many elements the lens lists under one part, and relations per direction on
# an element's page; the rest is a link to the filtered list.
LENS_ELEMENTS_PER_PART = 10
NEIGHBOURS_PER_DIRECTION = 50


def _parts_prefetch() -> Prefetch:
    return Prefetch(
        "parts",
        queryset=FrameworkPart.objects.select_related("framework").order_by(
            "framework__name_nl", "order"
        ),
    )


def subject_queryset() -> QuerySet[Subject]:
    """Subjects with owner, frameworks and ``element_count`` (a correlated count,
    so the list does not group all elements of the organisation)."""
    counted = (
        Element.objects.filter(subject=OuterRef("pk"))
        .order_by()
        .values("subject")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Subject.objects.select_related("organisation", "owner")
        .prefetch_related(Prefetch("frameworks", queryset=Framework.objects.order_by("name_nl")))
        .annotate(element_count=Coalesce(Subquery(counted, output_field=IntegerField()), 0))
        .order_by("name", "id")
    )


def element_queryset() -> QuerySet[Element]:
    """Elements with subject, owner and the parts they answer (with framework)."""
    return (
        Element.objects.select_related("organisation", "subject", "owner")
        .prefetch_related(_parts_prefetch())
        .order_by("name", "id")
    )


def relation_queryset() -> QuerySet[Relation]:
    """Relations with both ends (and their subjects) and the link type."""
    return Relation.objects.select_related(
        "organisation", "source", "target", "source__subject", "target__subject", "link_type"
    ).order_by("-id")


# --- The lens --------------------------------------------------------------------


@dataclass
class LensNode:
    """One framework part as seen on a subject: the elements answering it."""

    part: FrameworkPart
    depth: int = 0
    elements: list[Element] = field(default_factory=list)
    element_count: int = 0
    children: list[LensNode] = field(default_factory=list)
    # Parts this one groups (the library's ``refs.members``), such as the aspects
    # on an Optimum line: the group is answered when each member is.
    members: list[LensNode] = field(default_factory=list)

    @property
    def asked(self) -> bool:
        """Whether the subject is asked to answer this part (else it is a heading)."""
        return self.part.assessable

    @property
    def answered_here(self) -> bool:
        return self.element_count > 0

    @property
    def answered_below(self) -> bool:
        return self.answered_here or any(child.answered_below for child in self.children)

    @property
    def answered_by_members(self) -> bool:
        return bool(self.members) and all(member.answered_below for member in self.members)

    @property
    def answered(self) -> bool:
        """Answered by an element of its own, through one of its sub-parts, or
        (for a grouping part) through every part it groups."""
        return self.answered_below or self.answered_by_members

    @property
    def more(self) -> int:
        return self.element_count - len(self.elements)

    @property
    def heading(self) -> int:
        return min(4 + self.depth, 6)


@dataclass
class Lens:
    """A framework's questions answered with one subject's own elements.

    ``nodes`` are the parts shown, in tree order: the parts a subject is asked
    (``assessable``) and, as headings, the parts that contain them. Only the asked
    parts count towards the score."""

    framework: Framework
    tree: list[LensNode]
    nodes: list[LensNode]
    # Parts of the framework that explain it but are not asked (not shown here).
    not_asked_count: int = 0

    @property
    def asked(self) -> list[LensNode]:
        return [node for node in self.nodes if node.asked]

    @property
    def part_count(self) -> int:
        return len(self.asked)

    @property
    def answered_count(self) -> int:
        return sum(1 for node in self.asked if node.answered)

    @property
    def unanswered(self) -> list[LensNode]:
        return [node for node in self.asked if not node.answered]

    @property
    def percentage(self) -> int:
        return round(100 * self.answered_count / self.part_count) if self.part_count else 0


def _shown_parts(parts: list[FrameworkPart]) -> list[FrameworkPart]:
    """The assessable parts and every part above one (a heading), in tree order.
    A process step or pitfall explains the framework but is not asked of a subject."""
    by_pk = {part.pk: part for part in parts}
    shown: set[int] = set()
    for part in parts:
        if not part.assessable:
            continue
        current: FrameworkPart | None = part
        while current is not None and current.pk not in shown:
            shown.add(current.pk)
            parent_id = current.parent_id
            current = by_pk.get(parent_id) if parent_id is not None else None
    return [part for part in parts if part.pk in shown]


def subject_lens(*, subject: Subject) -> list[Lens]:
    """For each framework applied to ``subject``: its assessable parts as a tree
    (with the parts containing them as headings; guiding questions prefetched),
    each with the first elements of the subject answering it and their count, and
    which parts are still unanswered. Four queries, whatever the number of elements."""
    frameworks = list(subject.frameworks.order_by("name_nl"))
    if not frameworks:
        return []
    every_part = list(
        FrameworkPart.objects.filter(framework__in=frameworks)
        .order_by("framework_id", "order")
        .prefetch_related(Prefetch("questions", queryset=GuidingQuestion.objects.order_by("order")))
    )
    parts = _shown_parts(every_part)
    nodes = {part.pk: LensNode(part) for part in parts}
    for row in _answers_per_part(subject=subject, parts=parts):
        node = nodes[row.part_id]
        node.element_count = row.total
        node.elements.append(row.element)
    by_ref = {(part.framework_id, part.ref_id): nodes[part.pk] for part in parts}
    for part in parts:
        for ref_id in (part.refs or {}).get("members", []):
            member = by_ref.get((part.framework_id, ref_id))
            if member is not None:
                nodes[part.pk].members.append(member)
    lenses = {framework.pk: Lens(framework, [], []) for framework in frameworks}
    for part in every_part:
        if not part.assessable:
            lenses[part.framework_id].not_asked_count += 1
    for part in parts:  # tree order: a parent comes before its children
        node, lens = nodes[part.pk], lenses[part.framework_id]
        lens.nodes.append(node)
        parent = nodes.get(part.parent_id) if part.parent_id is not None else None
        if parent is None:
            lens.tree.append(node)
        else:
            node.depth = parent.depth + 1
            parent.children.append(node)
    return list(lenses.values())


def _answers_per_part(*, subject: Subject, parts: list[FrameworkPart]):
    """Classifications of the subject's elements, at most ``LENS_ELEMENTS_PER_PART``
    per part (by element name), each carrying the part's total as ``total``."""
    return (
        Classification.objects.filter(element__subject=subject, part__in=parts)
        .select_related("element")
        .only(
            "part_id",
            "element__id",
            "element__name",
            "element__element_type",
            "element__organisation_id",
        )
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("part_id")],
                order_by=[F("element__name"), F("element_id")],
            ),
            total=Window(Count("id"), partition_by=[F("part_id")]),
        )
        .filter(rank__lte=LENS_ELEMENTS_PER_PART)
        .order_by("part_id", "rank")
    )


def subject_unclassified_count(*, subject: Subject) -> int:
    """Elements of the subject that answer no part yet."""
    classified = Classification.objects.filter(element=OuterRef("pk"))
    return Element.objects.filter(subject=subject).filter(~Exists(classified)).count()


# --- An element's neighbourhood ----------------------------------------------------


@dataclass
class Neighbourhood:
    outgoing: list[Relation]
    incoming: list[Relation]
    outgoing_count: int
    incoming_count: int


def element_neighbourhood(*, element: Element, access: Any) -> Neighbourhood:
    """The element's relations both ways that the member may see, the other end
    and link type joined; at most ``NEIGHBOURS_PER_DIRECTION`` each, with the full
    counts."""
    from stuurwiel.organisations.access import restrict

    visible = restrict(Relation.objects.all(), access)
    base = visible.select_related("link_type").order_by("relation_type", "id")
    outgoing = list(
        base.filter(source=element).select_related("target", "target__subject")[
            : NEIGHBOURS_PER_DIRECTION + 1
        ]
    )
    incoming = list(
        base.filter(target=element).select_related("source", "source__subject")[
            : NEIGHBOURS_PER_DIRECTION + 1
        ]
    )
    limit = NEIGHBOURS_PER_DIRECTION
    return Neighbourhood(
        outgoing=outgoing[:limit],
        incoming=incoming[:limit],
        # Count only when the page is full: the common case costs no query.
        outgoing_count=(
            visible.filter(source=element).count() if len(outgoing) > limit else len(outgoing)
        ),
        incoming_count=(
            visible.filter(target=element).count() if len(incoming) > limit else len(incoming)
        ),
    )
