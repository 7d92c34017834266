"""Traceability: from one element up to its reasons and down to what realises it
and what it yields, read through one framework's declared trace order.

The model
    A library places parts on a trace with the attribute ``trace_stage``
    (1 = the reasons; higher = towards the results; see
    docs/framework-libraries.md), read through the rulebook. An element's stage is
    the lowest stage of the parts it answers in that framework. The walk follows
    relations in either direction: *up* to elements of a strictly lower stage,
    *down* to elements of a strictly higher one. Which end of a relation is the
    source does not matter: the library says which way is up, not the arrow.
    Where an element on the way down (or the element itself) is, or is related
    to, an element of type ``service`` in a subject with a USM service design, that
    service and its measured performance (its calls' chain clocks: met, breached,
    running) close the path.

Limits
    At most :data:`DEPTH` levels each way and :data:`WIDTH` new elements per level
    and direction (the rest is counted, not drawn); at most :data:`ROWS` relation
    rows per level. Strictly rising or falling stages cannot loop, and a visited
    set guards the rest. One query per level, plus a fixed handful (the element's
    parts, visibility, services, clocks, findings): the count does not grow with
    the size of the model, only with the number of levels (bounded by the stages).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q

from stuurwiel.coherence.choices import FindingStatus
from stuurwiel.coherence.models import Finding
from stuurwiel.coherence.rulebook import PartFact, Rulebook, rulebook
from stuurwiel.frameworks.models import Framework, FrameworkPart
from stuurwiel.graph.models import Element, Relation
from stuurwiel.organisations import access

DEPTH = 6
WIDTH = 8
ROWS = 600
FINDINGS = 200

UP, FOCUS, DOWN = "up", "focus", "down"


@dataclass
class TraceNode:
    """An element on the path."""

    id: int
    name: str
    element_type: str
    subject_id: int | None
    stage: int | None
    direction: str  # up, focus, down
    depth: int
    findings: list = field(default_factory=list)  # Finding rows about this element
    via: dict[int, str] = field(default_factory=dict)  # the path element → relation type

    @property
    def type_label(self) -> str:
        return Element(element_type=self.element_type).type_label


@dataclass
class TraceStage:
    """One column of the path: the parts on that stage and the elements found there."""

    number: int
    parts: list[PartFact]
    nodes: list[TraceNode] = field(default_factory=list)
    more: int = 0  # found but not drawn (the width cap)
    findings: list = field(default_factory=list)  # open findings that name this gap
    focus: bool = False
    names: list[str] = field(default_factory=list)  # the parts' names, active language

    @property
    def gap(self) -> bool:
        return not self.nodes and not self.more


@dataclass
class TraceService:
    """A service that realises an element on the path, with its calls' clocks."""

    id: int
    name: str
    subject_id: int
    via: int  # the element of type service on the path that stands for it
    met: int = 0
    breached: int = 0
    running: int = 0

    @property
    def measured(self) -> int:
        return self.met + self.breached

    @property
    def percent_met(self) -> int | None:
        return round(100 * self.met / self.measured) if self.measured else None


@dataclass
class Trace:
    element: Element
    framework: Framework | None
    frameworks: list[Framework]  # the frameworks in which the element has a stage
    stages: list[TraceStage] = field(default_factory=list)
    services: list[TraceService] = field(default_factory=list)
    edges: list[tuple[int, int, str]] = field(default_factory=list)  # (lower, higher, type)
    truncated: bool = False
    depth_reached: bool = False

    @property
    def nodes(self) -> list[TraceNode]:
        return [node for stage in self.stages for node in stage.nodes]

    @property
    def findings(self) -> list:
        found = [f for stage in self.stages for f in stage.findings]
        found += [f for node in self.nodes for f in node.findings]
        return found


def _stage(book: Rulebook, framework_id: int, part_ids) -> int | None:
    stages = [
        part.trace_stage
        for pk in part_ids
        if (part := book.parts.get(pk)) is not None
        and part.framework_id == framework_id
        and part.trace_stage is not None
    ]
    return min(stages) if stages else None


def _beyond(stage: int, than: int | None, direction: str) -> bool:
    """Whether ``stage`` lies further ``direction`` (up: lower) than ``than``."""
    if than is None:
        return False
    return stage < than if direction == UP else stage > than


def trace_frameworks(*, element: Element, book: Rulebook | None = None) -> list[Framework]:
    """The frameworks in which ``element`` answers a part with a trace stage."""
    book = book or rulebook()
    part_ids = list(element.classifications.values_list("part_id", flat=True))
    ids = {
        book.parts[pk].framework_id
        for pk in part_ids
        if pk in book.parts and book.parts[pk].trace_stage is not None
    }
    return list(Framework.objects.filter(pk__in=ids).order_by("pk"))


@dataclass
class _Seen:
    """What a level's rows say of one element at the other end."""

    name: str
    element_type: str
    subject_id: int | None
    parts: set[int] = field(default_factory=set)
    via: dict[int, str] = field(default_factory=dict)  # frontier element → relation type


def _level(organisation_id: int, frontier: set[int]) -> tuple[dict[int, _Seen], bool]:
    """The elements related to ``frontier`` (either way), with their parts: one query."""
    query = (
        Relation.objects.filter(organisation_id=organisation_id)
        .filter(Q(source_id__in=frontier) | Q(target_id__in=frontier))
        .order_by("pk")
        .values_list(
            "source_id",
            "target_id",
            "relation_type",
            "source__name",
            "source__element_type",
            "source__subject_id",
            "source__classifications__part_id",
            "target__name",
            "target__element_type",
            "target__subject_id",
            "target__classifications__part_id",
        )[: ROWS + 1]
    )
    rows = list(query)
    full = len(rows) > ROWS
    seen: dict[int, _Seen] = {}
    for row in rows[:ROWS]:
        source, target, relation_type = row[0], row[1], row[2]
        ends = ((source, row[3:7], target), (target, row[7:11], source))
        for pk, (name, element_type, subject_id, part_id), other in ends:
            if other not in frontier:
                continue
            item = seen.setdefault(pk, _Seen(name, element_type, subject_id))
            if part_id is not None:
                item.parts.add(part_id)
            item.via.setdefault(other, relation_type)
    return seen, full


def element_trace(*, element: Element, member_access, framework: Framework | None = None) -> Trace:
    """The element's trace in ``framework`` (default: the first in which it has a
    stage), as far as the member may see the elements, services and findings."""
    book = rulebook()
    frameworks = trace_frameworks(element=element, book=book)
    if framework is None or framework not in frameworks:
        framework = frameworks[0] if frameworks else None
    trace = Trace(element=element, framework=framework, frameworks=frameworks)
    focus_parts = set(element.classifications.values_list("part_id", flat=True))
    fw_id = framework.pk if framework is not None else None
    focus_stage = _stage(book, fw_id, focus_parts) if fw_id else None
    focus = TraceNode(
        element.pk, element.name, element.element_type, element.subject_id, focus_stage, FOCUS, 0
    )
    nodes: dict[int, TraceNode] = {element.pk: focus}
    hidden: dict[tuple[int | None, str], int] = defaultdict(int)
    service_elements: dict[int, int | None] = {}  # element of type service → its subject
    if element.element_type == "service":
        service_elements[element.pk] = element.subject_id
    frontier = {element.pk}
    for depth in range(1, DEPTH + 1):
        if not frontier:
            break
        seen, full = _level(element.organisation_id, frontier)
        trace.truncated |= full
        fresh: dict[str, list[TraceNode]] = {UP: [], DOWN: []}
        for pk, item in seen.items():
            if pk in nodes:
                continue
            from_down = [a for a in item.via if nodes[a].direction in (FOCUS, DOWN)]
            if item.element_type == "service" and from_down:
                service_elements.setdefault(pk, item.subject_id)
            if fw_id is None:
                continue
            stage = _stage(book, fw_id, item.parts)
            if stage is None:
                continue
            for direction in (UP, DOWN):
                froms = [
                    a
                    for a in item.via
                    if nodes[a].direction in (FOCUS, direction)
                    and _beyond(stage, nodes[a].stage, direction)
                ]
                if froms:
                    node = TraceNode(
                        pk, item.name, item.element_type, item.subject_id, stage, direction, depth
                    )
                    node.via = {a: item.via[a] for a in froms}
                    fresh[direction].append(node)
                    break
        frontier = set()
        for direction, found in fresh.items():
            found.sort(key=lambda n: (n.stage or 0, n.name.lower(), n.id))
            for node in found[WIDTH:]:
                hidden[(node.stage, direction)] += 1
                trace.truncated = True
            for node in found[:WIDTH]:
                nodes[node.id] = node
                frontier.add(node.id)
                if node.element_type == "service" and direction == DOWN:
                    service_elements.setdefault(node.id, node.subject_id)
                for other, relation_type in node.via.items():
                    low, high = (node.id, other) if direction == UP else (other, node.id)
                    trace.edges.append((low, high, relation_type))
        if depth == DEPTH and frontier:
            trace.depth_reached = True
    _keep_visible(trace, nodes, member_access)
    _place(trace, book, nodes, hidden, focus_stage)
    _services(trace, service_elements, nodes, member_access)
    _findings(trace, book, nodes, member_access)
    return trace


def _keep_visible(trace: Trace, nodes: dict[int, TraceNode], member_access) -> None:
    """Drop what the member may not see (graph.view reaches the whole organisation
    for every role that reads findings, so this rarely removes anything)."""
    others = [pk for pk, node in nodes.items() if node.direction != FOCUS]
    if not others:
        return
    visible = set(
        access.restrict(Element.objects.filter(pk__in=others), member_access).values_list(
            "pk", flat=True
        )
    )
    for pk in others:
        if pk not in visible:
            del nodes[pk]
    trace.edges = [e for e in trace.edges if e[0] in nodes and e[1] in nodes]


def _place(trace: Trace, book: Rulebook, nodes, hidden, focus_stage) -> None:
    if trace.framework is None:
        return
    stages = book.stages(trace.framework.pk)
    ids = [part.id for parts in stages.values() for part in parts]
    named = FrameworkPart.objects.in_bulk(ids)
    for number, parts in stages.items():
        stage = TraceStage(number=number, parts=parts, focus=number == focus_stage)
        stage.names = [str(named[p.id].name) for p in parts if p.id in named]
        stage.nodes = sorted(
            (n for n in nodes.values() if n.stage == number),
            key=lambda n: (n.direction != FOCUS, n.depth, n.name.lower(), n.id),
        )
        stage.more = sum(count for (s, _d), count in hidden.items() if s == number)
        trace.stages.append(stage)


def _services(trace: Trace, service_elements: dict, nodes, member_access) -> None:
    """The services the path's elements of type service stand for, and their clocks."""
    from stuurwiel.calls.choices import ClockState
    from stuurwiel.calls.models import Call, ClockResult
    from stuurwiel.services.models import Service

    subjects = {s: pk for pk, s in service_elements.items() if s is not None}
    if not subjects:
        return
    services = access.restrict(
        Service.objects.filter(
            organisation_id=trace.element.organisation_id, subject_id__in=list(subjects)
        ),
        member_access,
    )
    found = {
        pk: TraceService(pk, name, subject_id, subjects[subject_id])
        for pk, name, subject_id in services.order_by("name").values_list(
            "pk", "name", "subject_id"
        )
    }
    if not found:
        return
    calls = access.restrict(
        Call.objects.filter(organisation_id=trace.element.organisation_id), member_access
    )
    grouped = (
        ClockResult.objects.filter(
            call__service_id__in=list(found), link__isnull=True, call__in=calls.values("pk")
        )
        .values("call__service_id", "state")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in grouped:
        service = found[row["call__service_id"]]
        if row["state"] == ClockState.MET:
            service.met += row["n"]
        elif row["state"] == ClockState.BREACHED:
            service.breached += row["n"]
        elif row["state"] == ClockState.RUNNING:
            service.running += row["n"]
    trace.services = list(found.values())


def _findings(trace: Trace, book: Rulebook, nodes: dict[int, TraceNode], member_access) -> None:
    """The open findings of the framework that name the path: about one of its
    elements (on that element), or about a missing link to a stage or an
    unanswered part on it (on that stage, the gap they explain)."""
    if trace.framework is None:
        return
    subjects = {n.subject_id for n in nodes.values() if n.subject_id is not None}
    if not subjects:
        return
    query = access.restrict(
        Finding.objects.filter(
            organisation_id=trace.element.organisation_id,
            status=FindingStatus.OPEN,
            framework=trace.framework,
            subject_id__in=subjects,
        ),
        member_access,
    ).select_related("rule", "rule__framework", "subject", "part")
    rows = sorted(
        query.order_by("pk")[:FINDINGS],
        key=lambda f: ({"error": 0, "warning": 1, "info": 2}.get(f.severity, 3), f.pk),
    )
    by_stage = {stage.number: stage for stage in trace.stages}
    focus_subject = trace.element.subject_id
    for finding in rows:
        reasoning = finding.reasoning or {}
        about = finding.element_id or reasoning.get("element")
        named = [finding.part_id, *(reasoning.get(key) for key in ("other", "from", "to"))]
        named += [p for p in reasoning.get("parts", []) or [] if isinstance(p, int)]
        stages = [
            book.parts[pk].trace_stage for pk in named if isinstance(pk, int) and pk in book.parts
        ]
        gaps = [n for n in stages if n is not None and n in by_stage and by_stage[n].gap]
        if about in nodes and reasoning.get("other") is not None and gaps:
            by_stage[gaps[0]].findings.append(finding)  # a missing link to an empty stage
        elif about in nodes:
            nodes[about].findings.append(finding)
        elif finding.subject_id == focus_subject and gaps:
            by_stage[gaps[0]].findings.append(finding)
