"""Reads for the model graph: an architect's view of the connected model.

Two views, each a bounded number of queries whatever the size of the model:

- the **overview** of the filtered elements: up to ``OVERVIEW_CAP`` of them with the
  relations among them; above the cap the elements per type (and per part of the
  chosen framework) with counts, and the most frequent kinds of relation between
  types — a drawing of thousands of boxes tells an architect nothing;
- the **focus** on one element: its neighbours per relation type and direction, at
  most ``NEIGHBOURS_PER_GROUP`` each (window functions rank and count them in the
  same query), and at depth 2 the neighbours of those, at most
  ``SECOND_RING_PER_NODE`` per neighbour.

The querysets come in restricted by the access layer (the view passes them), so
nothing the member may not see is drawn or counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, F, QuerySet, Window
from django.db.models.functions import RowNumber

from stuurwiel.core.i18n import active_content_language
from stuurwiel.frameworks.models import Framework
from stuurwiel.graph.choices import ELEMENT_LAYER, ElementLayer, ElementType, RelationType
from stuurwiel.graph.models import Classification, Element, Relation, _choice_label

OVERVIEW_CAP = 150
OVERVIEW_EDGE_CAP = 600
TYPE_PAIRS_SHOWN = 12
NEIGHBOURS_PER_GROUP = 6
# The boxes one side of the focus holds (two columns): more and the largest
# groups give up their last members to their "+N more".
SLOTS_PER_SIDE = 24
SECOND_RING_PER_NODE = 3
SECOND_RING_CAP = 36

OUT, IN = "out", "in"
_ELEMENT_FIELDS = ("id", "name", "element_type", "subject_id", "organisation_id")


def layer_of(element_type: str) -> str:
    return ELEMENT_LAYER.get(element_type, ElementLayer.MOTIVATION)


@dataclass
class TypeCount:
    element_type: str
    count: int

    @property
    def layer(self) -> str:
        return layer_of(self.element_type)


@dataclass
class PartCount:
    part_id: int
    name: str
    count: int
    urn: str


@dataclass
class TypePair:
    """How often elements of one type relate to another in one way."""

    source_type: str
    relation_type: str
    target_type: str
    count: int

    @property
    def text(self) -> str:
        source = _choice_label(ElementType, self.source_type)
        target = _choice_label(ElementType, self.target_type)
        relation = _choice_label(RelationType, self.relation_type)
        return f"{source} —{relation}→ {target} · {self.count}"


@dataclass
class Overview:
    """The filtered model: the elements and the relations among them, or, above
    the cap, counts per type and per part."""

    total: int
    elements: list[Element] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    relations_cut: bool = False
    types: list[TypeCount] = field(default_factory=list)
    parts: list[PartCount] = field(default_factory=list)
    type_pairs: list[TypePair] = field(default_factory=list)

    @property
    def aggregated(self) -> bool:
        return self.total > OVERVIEW_CAP


@dataclass
class NeighbourGroup:
    """The neighbours of the focus over one relation type in one direction."""

    relation_type: str
    direction: str  # OUT: focus → neighbour; IN: neighbour → focus
    elements: list[Element] = field(default_factory=list)
    total: int = 0

    @property
    def key(self) -> str:
        return f"{self.direction}-{self.relation_type}"

    @property
    def label(self) -> str:
        return _choice_label(RelationType, self.relation_type)

    @property
    def more(self) -> int:
        return self.total - len(self.elements)


@dataclass
class OuterNode:
    """A neighbour of a neighbour (depth 2), with the relation that reaches it."""

    element: Element
    parent_id: int
    relation_type: str
    direction: str  # as seen from the parent


@dataclass
class Focus:
    centre: Element
    depth: int
    groups: list[NeighbourGroup] = field(default_factory=list)
    outer: list[OuterNode] = field(default_factory=list)
    # Neighbours of a neighbour not drawn, per neighbour id.
    outer_more: dict[int, int] = field(default_factory=dict)

    @property
    def neighbour_count(self) -> int:
        return sum(group.total for group in self.groups)


# --- The overview ---------------------------------------------------------------------


def model_graph_overview(
    *,
    elements: QuerySet[Element],
    relations: QuerySet[Relation],
    relation_type: str = "",
    framework: Framework | None = None,
) -> Overview:
    """The filtered ``elements`` (restricted) and the ``relations`` (restricted) among
    them: two queries below the cap, three or four above it."""
    rows = list(elements.only(*_ELEMENT_FIELDS).order_by("name", "id")[: OVERVIEW_CAP + 1])
    if relation_type:
        relations = relations.filter(relation_type=relation_type)
    if len(rows) <= OVERVIEW_CAP:
        ids = [element.pk for element in rows]
        edges = list(
            relations.filter(source_id__in=ids, target_id__in=ids)
            .only("id", "source_id", "target_id", "relation_type", "organisation_id")
            .order_by("id")[: OVERVIEW_EDGE_CAP + 1]
        )
        return Overview(
            total=len(rows),
            elements=rows,
            relations=edges[:OVERVIEW_EDGE_CAP],
            relations_cut=len(edges) > OVERVIEW_EDGE_CAP,
        )
    counted = elements.order_by().values("element_type").annotate(n=Count("id"))
    types = sorted(
        (TypeCount(row["element_type"], row["n"]) for row in counted),
        key=lambda t: (list(ElementLayer.values).index(t.layer), -t.count, t.element_type),
    )
    overview = Overview(total=sum(t.count for t in types), types=types)
    if framework is not None:
        per_part = (
            Classification.objects.filter(
                element__in=elements.values("pk"), part__framework=framework
            )
            .order_by()
            .values("part_id", "part__urn", "part__order", "part__name_nl", "part__name_en")
            .annotate(n=Count("id"))
            .order_by("part__order")
        )
        overview.parts = [
            PartCount(row["part_id"], _part_name(row), row["n"], row["part__urn"])
            for row in per_part
        ]
    pairs = (
        relations.filter(source__in=elements.values("pk"), target__in=elements.values("pk"))
        .order_by()
        .values("source__element_type", "relation_type", "target__element_type")
        .annotate(n=Count("id"))
        .order_by("-n", "source__element_type", "relation_type", "target__element_type")
    )
    overview.type_pairs = [
        TypePair(
            row["source__element_type"], row["relation_type"], row["target__element_type"], row["n"]
        )
        for row in pairs[:TYPE_PAIRS_SHOWN]
    ]
    return overview


def _part_name(row: dict) -> str:
    english = active_content_language() == "en"
    return (row["part__name_en"] if english else row["part__name_nl"]) or row["part__name_nl"]


# --- The focus ------------------------------------------------------------------------


def _ranked(relations: QuerySet[Relation], *, partition: str, other: str, cap: int):
    """``relations`` with the element at ``other`` joined, ranked by its name within
    ``partition`` and counted there; only the first ``cap`` of each partition."""
    return (
        relations.select_related(other)
        .only(
            "id",
            "source_id",
            "target_id",
            "relation_type",
            "organisation_id",
            *(f"{other}__{name}" for name in _ELEMENT_FIELDS),
        )
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F(name) for name in partition.split(",")],
                order_by=[F(f"{other}__name"), F(f"{other}_id")],
            ),
            total=Window(Count("id"), partition_by=[F(name) for name in partition.split(",")]),
        )
        .filter(rank__lte=cap)
        .order_by(*partition.split(","), "rank")
    )


def model_graph_focus(
    *,
    centre: Element,
    relations: QuerySet[Relation],
    depth: int = 1,
    relation_type: str = "",
    elements: QuerySet[Element] | None = None,
) -> Focus:
    """The neighbourhood of ``centre`` over the (restricted) ``relations``, limited to
    ``relation_type`` and to neighbours among ``elements`` when given (the filters).
    Two queries at depth 1, four at depth 2."""
    if relation_type:
        relations = relations.filter(relation_type=relation_type)
    focus = Focus(centre=centre, depth=depth)
    ends = {OUT: ("source", "target"), IN: ("target", "source")}
    seen: set[int] = {centre.pk}
    for direction, (near, far) in ends.items():
        chosen = relations.filter(**{f"{near}_id": centre.pk}).exclude(**{f"{far}_id": centre.pk})
        if elements is not None:
            chosen = chosen.filter(**{f"{far}_id__in": elements.values("pk")})
        groups: dict[str, NeighbourGroup] = {}
        for relation in _ranked(
            chosen, partition="relation_type", other=far, cap=NEIGHBOURS_PER_GROUP
        ):
            group = groups.get(relation.relation_type)
            if group is None:
                group = groups[relation.relation_type] = NeighbourGroup(
                    relation.relation_type, direction, total=relation.total
                )
            group.elements.append(getattr(relation, far))
            seen.add(getattr(relation, f"{far}_id"))
        order = list(RelationType.values)
        side = sorted(groups.values(), key=lambda g: order.index(g.relation_type))
        _trim(side)
        focus.groups += side
    if depth >= 2:
        _second_ring(focus, relations=relations, elements=elements, seen=seen)
    return focus


def _trim(groups: list[NeighbourGroup]) -> None:
    """Fit one side's groups in ``SLOTS_PER_SIDE`` boxes (a group's "+N more" is one)."""

    def slots() -> int:
        return sum(len(g.elements) + (1 if g.more else 0) for g in groups)

    while slots() > SLOTS_PER_SIDE:
        largest = max(groups, key=lambda g: (len(g.elements), g.relation_type))
        if len(largest.elements) <= 1:
            break
        largest.elements.pop()


def _second_ring(
    focus: Focus,
    *,
    relations: QuerySet[Relation],
    elements: QuerySet[Element] | None,
    seen: set[int],
) -> None:
    """The neighbours of the drawn neighbours that are not drawn yet, at most
    ``SECOND_RING_PER_NODE`` per neighbour and ``SECOND_RING_CAP`` in all."""
    ring = [element.pk for group in focus.groups for element in group.elements]
    if not ring:
        return
    drawn = set(seen)
    for direction, near, far in ((OUT, "source", "target"), (IN, "target", "source")):
        chosen = relations.filter(**{f"{near}_id__in": ring}).exclude(
            **{f"{far}_id__in": list(seen)}
        )
        if elements is not None:
            chosen = chosen.filter(**{f"{far}_id__in": elements.values("pk")})
        for relation in _ranked(
            chosen, partition=f"{near}_id", other=far, cap=SECOND_RING_PER_NODE
        ):
            parent = getattr(relation, f"{near}_id")
            other = getattr(relation, far)
            hidden = relation.total - min(relation.total, SECOND_RING_PER_NODE)
            if relation.rank == 1 and hidden:
                focus.outer_more[parent] = focus.outer_more.get(parent, 0) + hidden
            if other.pk in drawn or len(focus.outer) >= SECOND_RING_CAP:
                if other.pk not in drawn:
                    focus.outer_more[parent] = focus.outer_more.get(parent, 0) + 1
                continue
            drawn.add(other.pk)
            focus.outer.append(OuterNode(other, parent, relation.relation_type, direction))
