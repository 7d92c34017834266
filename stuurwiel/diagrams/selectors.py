"""Reads for the diagrams: one framework's parts, each with how far one subject
answers it, the first few elements that answer it and their count.

Aggregated per part, so a subject with 10 or 10,000 elements costs the same three
queries (the parts, their guiding questions, the first elements per part with the
total as a window count) and the same drawing.

A part's status (:class:`PartStatus`), our reading of "answered" for a figure:

- a part without asked sub-parts is *answered* when an element answers it;
- a part with asked sub-parts is *answered* when every sub-part is; *partly* when
  an element answers it or one of its sub-parts is at least partly answered;
- a part that groups others by reference (an Optimum line's ``members``, a USM
  workflow pattern's ``path`` of processes) follows them the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import quote

from django.db.models import Count, F, Prefetch, Window
from django.db.models.functions import RowNumber
from django.urls import reverse

from stuurwiel.diagrams.choices import PartStatus
from stuurwiel.frameworks.models import Framework, FrameworkPart, GuidingQuestion
from stuurwiel.graph.models import Classification, Element, Subject

# How many element names a part shows in a figure; the rest is "+k more", a link.
ELEMENTS_PER_PART = 5
# Library references that make a part a group of other parts (see the module docstring).
GROUP_REFS = ("members", "path")


@dataclass
class PartView:
    """One framework part as a figure shows it for one subject."""

    part: FrameworkPart
    elements: list[Element] = field(default_factory=list)
    count: int = 0  # elements answering this part itself
    findings: int = 0  # open coherence findings on this part (from the coherence app)
    children: list[PartView] = field(default_factory=list)
    group: list[PartView] = field(default_factory=list)
    status: str = PartStatus.UNANSWERED
    list_url: str = ""  # the subject's elements answering this part
    anchor_url: str = ""  # the part on the subject page
    element_urls: list[str] = field(default_factory=list)

    @property
    def ref(self) -> str:
        return self.part.ref_id

    @property
    def name(self) -> str:
        return str(self.part.name)

    def get_status_display(self) -> str:
        return str(PartStatus(self.status).label)

    @property
    def more(self) -> int:
        return self.count - len(self.elements)

    @property
    def url(self) -> str:
        """Where a click on the part goes: its elements, or the subject page's
        place for it while none answers it (there one can add one)."""
        return self.list_url if self.count else self.anchor_url

    @property
    def question(self) -> str:
        """The part's W-question, else its first guiding question."""
        if self.part.short_question:
            return str(self.part.short_question)
        questions = list(self.part.questions.all())
        return str(questions[0].text) if questions else ""

    @property
    def asked_children(self) -> list[PartView]:
        return [child for child in self.children if child.part.assessable]

    @property
    def named_elements(self) -> list[tuple[Element, str]]:
        return list(zip(self.elements, self.element_urls, strict=True))


@dataclass
class DiagramContent:
    subject: Subject
    framework: Framework
    parts: list[PartView]  # every part of the framework, in library order
    by_ref: dict[str, PartView]

    def of_kind(self, kind: str) -> list[PartView]:
        return [view for view in self.parts if view.part.kind == kind]

    def get(self, ref_id: str) -> PartView | None:
        return self.by_ref.get(ref_id)

    @property
    def asked(self) -> list[PartView]:
        return [view for view in self.parts if view.part.assessable]


def subject_diagram_content(
    *,
    subject: Subject,
    framework: Framework,
    findings: Mapping[int, int] | None = None,
    limit: int = ELEMENTS_PER_PART,
) -> DiagramContent:
    """``framework``'s parts answered with ``subject``'s elements; ``findings``
    maps a part's pk to its open coherence findings (the coherence app passes it).
    Three queries, whatever the number of elements."""
    parts = list(
        FrameworkPart.objects.filter(framework=framework)
        .order_by("order", "id")
        .prefetch_related(Prefetch("questions", queryset=GuidingQuestion.objects.order_by("order")))
    )
    views = {part.pk: PartView(part, findings=(findings or {}).get(part.pk, 0)) for part in parts}
    for row in _first_answers(subject=subject, parts=parts, limit=limit):
        view = views[row.part_id]
        view.count = row.total
        view.elements.append(row.element)
    by_ref = {view.part.ref_id: view for view in views.values()}
    for view in views.values():
        parent = views.get(view.part.parent_id) if view.part.parent_id else None
        if parent is not None:
            parent.children.append(view)
        for key in GROUP_REFS:
            for ref_id in (view.part.refs or {}).get(key, []):
                if ref_id in by_ref:
                    view.group.append(by_ref[ref_id])
    ordered = [views[part.pk] for part in parts]
    _attach_urls(subject=subject, framework=framework, views=ordered)
    # Leaves first (deepest part last in library order), then the groups that follow them.
    for view in sorted(ordered, key=_depth_of(views), reverse=True):
        view.status = _status(view)
    for view in ordered:
        if view.group:
            view.status = _group_status(view)
    return DiagramContent(subject=subject, framework=framework, parts=ordered, by_ref=by_ref)


def _first_answers(*, subject: Subject, parts: list[FrameworkPart], limit: int):
    """Classifications of the subject's elements, at most ``limit`` per part (by
    element name), each with the part's total as ``total``."""
    return (
        Classification.objects.filter(element__subject=subject, part__in=parts)
        .select_related("element")
        .only("part_id", "element__id", "element__name", "element__element_type")
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("part_id")],
                order_by=[F("element__name"), F("element_id")],
            ),
            total=Window(Count("id"), partition_by=[F("part_id")]),
        )
        .filter(rank__lte=limit)
        .order_by("part_id", "rank")
    )


def _depth_of(views: dict[int, PartView]):
    def depth(view: PartView) -> int:
        n, parent_id = 0, view.part.parent_id
        while parent_id is not None and parent_id in views:
            n, parent_id = n + 1, views[parent_id].part.parent_id
        return n

    return depth


def _combine(own: int, statuses: Iterable[str]) -> str:
    statuses = list(statuses)
    if statuses and all(s == PartStatus.ANSWERED for s in statuses):
        return PartStatus.ANSWERED
    if own or any(s != PartStatus.UNANSWERED for s in statuses):
        return PartStatus.PARTLY
    return PartStatus.UNANSWERED


def _status(view: PartView) -> str:
    asked = view.asked_children
    if not asked:
        return PartStatus.ANSWERED if view.count else PartStatus.UNANSWERED
    return _combine(view.count, (child.status for child in asked))


def _group_status(view: PartView) -> str:
    if view.count and not view.group:
        return PartStatus.ANSWERED
    return _combine(view.count, (member.status for member in view.group))


def _attach_urls(*, subject: Subject, framework: Framework, views: list[PartView]) -> None:
    org = subject.organisation.slug
    element_list = reverse("graph:element_list", kwargs={"org": org})
    subject_page = reverse("graph:subject_detail", kwargs={"org": org, "pk": subject.pk})
    # One reverse for every element page: reversing each of hundreds of names costs
    # more than the rest of the drawing.
    sentinel = 987654321
    element_page = reverse("graph:element_detail", kwargs={"org": org, "pk": sentinel})
    head, tail = element_page.split(str(sentinel), 1)
    for view in views:
        view.list_url = f"{element_list}?subject={subject.pk}&part={quote(view.part.urn, safe='')}"
        view.anchor_url = f"{subject_page}#lens-{framework.ref_id}-{view.part.ref_id}"
        view.element_urls = [f"{head}{element.pk}{tail}" for element in view.elements]


def applied_framework(*, subject: Subject, ref_id: str) -> Framework | None:
    """The framework ``ref_id`` when it is applied to ``subject``."""
    return subject.frameworks.filter(ref_id=ref_id).first()
