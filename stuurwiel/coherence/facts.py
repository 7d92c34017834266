"""What the evaluators read of an organisation's connected model, fetched in a
fixed number of queries as plain tuples (no model instances: a full evaluation
reads 100,000 elements and 300,000 relations).

``load(organisation, subject_ids=None)`` reads every subject, or only the given
ones plus what they touch: the elements of those subjects, every relation with an
end among them, and the classifications of both ends (a link expected in one
subject may come from an element of another).

``needs`` (what the rules to run read, :class:`stuurwiel.core.touch.Touched`)
leaves out what none of them reads: the relations without ``links``, the
elements without ``parts``. When elements last changed is read only for the
parts a cadence rule reviews (``Rulebook.reviewed_parts``), and only as the
latest change per subject, part and element type (``Facts.reviewed``), which
is all a cadence rule asks.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from django.db.models import Q

from stuurwiel.core.touch import Touched
from stuurwiel.graph.models import Classification, Element, Relation, Subject
from stuurwiel.organisations.models import RoleAssignment

EVERYTHING = frozenset(Touched)


@dataclass(frozen=True)
class SubjectFact:
    id: int
    kind: str
    owner_id: int | None
    framework_ids: frozenset[int]


class ElementFact(NamedTuple):
    id: int
    subject_id: int | None
    element_type: str


Edge = tuple[int, str, int | None]  # (other element, relation type, link type)


@dataclass
class Facts:
    organisation_id: int
    now: datetime
    subjects: dict[int, SubjectFact] = field(default_factory=dict)
    elements: dict[int, ElementFact] = field(default_factory=dict)
    parts_of: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    outgoing: dict[int, list[Edge]] = field(default_factory=lambda: defaultdict(list))
    incoming: dict[int, list[Edge]] = field(default_factory=lambda: defaultdict(list))
    # subject id (None: organisation-wide) → role → membership ids holding it there
    roles: dict[int | None, dict[str, set[int]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(set))
    )
    # subject id → element ids of the subject, in id order
    by_subject: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    # subject id → the service's chain, when the subject is a designed service
    chains: dict[int, ChainFact] = field(default_factory=dict)
    # active relaxations of separation rules: (rule ref, team id, relaxation id)
    relaxations: list[tuple[str, int, int]] = field(default_factory=list)
    # (subject, part) → (element type, latest change of the subject's elements of
    # that type classified there), for the parts a cadence rule reviews
    reviewed: dict[tuple[int, int], list[tuple[str, datetime]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    # what evaluators work out once per evaluation (per-subject answer indexes)
    cache: dict = field(default_factory=dict)

    def elements_answering(self, subject_id: int, part_ids) -> list[int]:
        wanted = set(part_ids)
        return [
            e for e in self.by_subject.get(subject_id, ()) if self.parts_of.get(e, set()) & wanted
        ]

    def holders(self, subject_id: int, role: str) -> set[int]:
        """Members holding ``role`` for the subject: scoped to it or organisation-wide."""
        return self.roles[subject_id][role] | self.roles[None][role]


@dataclass(frozen=True)
class ChainFact:
    service_id: int
    links: tuple[int, ...]
    link_names: dict[int, str]
    with_agreement: frozenset[int]
    with_interface: frozenset[int]
    link_teams: dict[int, int]
    owner_id: int | None


def load(
    *,
    organisation,
    now: datetime,
    subject_ids=None,
    needs: frozenset[Touched] = EVERYTHING,
    reviewed_parts: frozenset[int] = frozenset(),
) -> Facts:
    facts = Facts(organisation_id=organisation.pk, now=now)
    subjects = Subject.objects.filter(organisation=organisation)
    if subject_ids is not None:
        subjects = subjects.filter(pk__in=list(subject_ids))
    through = Subject.frameworks.through
    applied: dict[int, set[int]] = defaultdict(set)
    rows = (
        through.objects.filter(subject__in=subjects.order_by())
        .order_by()
        .values_list("subject_id", "framework_id")
    )
    for subject_id, framework_id in rows:
        applied[subject_id].add(framework_id)
    for pk, kind, owner_id in subjects.order_by().values_list("pk", "kind", "owner_id"):
        facts.subjects[pk] = SubjectFact(pk, kind, owner_id, frozenset(applied[pk]))
    if Touched.PARTS in needs or Touched.LINKS in needs or Touched.REVIEWS in needs:
        _load_model(
            facts,
            organisation,
            subject_ids,
            links=Touched.LINKS in needs,
            reviewed_parts=reviewed_parts if Touched.REVIEWS in needs else frozenset(),
        )
    if Touched.ROLES in needs:
        _load_roles(facts, organisation, subject_ids)
    _load_chains(facts, subject_ids=None if subject_ids is None else list(facts.subjects))
    return facts


def _load_model(facts: Facts, organisation, subject_ids, *, links: bool, reviewed_parts) -> None:
    elements = Element.objects.filter(organisation=organisation)
    relations = Relation.objects.filter(organisation=organisation)
    columns = ("source_id", "target_id", "relation_type", "link_type_id")
    rel_rows: list = []
    if subject_ids is not None:
        ids = list(facts.subjects)
        if links:
            own = Element.objects.filter(subject_id__in=ids)
            # Not by organisation: the subjects are the organisation's, and that
            # index would have SQLite walk every relation of the organisation.
            rel_rows = list(
                Relation.objects.filter(Q(source__in=own) | Q(target__in=own))
                .order_by()
                .values_list(*columns)
            )
        ends = {row[0] for row in rel_rows} | {row[1] for row in rel_rows}
        elements = Element.objects.filter(Q(subject_id__in=ids) | Q(pk__in=sorted(ends)))
    elif links:
        rel_rows = list(relations.order_by().values_list(*columns))
    known, by_subject, kept = facts.subjects, facts.by_subject, facts.elements
    rows = list(elements.order_by("pk").values_list("pk", "subject_id", "element_type"))
    make = ElementFact._make
    kept.update({row[0]: make(row) for row in rows})
    for pk, subject_id, _type in rows:
        if subject_id in known:
            by_subject[subject_id].append(pk)
    if subject_ids is None:
        classifications = Classification.objects.filter(element__organisation=organisation)
    else:  # the loaded elements are the organisation's
        classifications = Classification.objects.filter(element_id__in=list(kept))
    parts_of = facts.parts_of
    for element_id, part_id in classifications.order_by().values_list("element_id", "part_id"):
        parts_of[element_id].add(part_id)
    if reviewed_parts:
        _load_reviewed(facts, organisation, subject_ids, reviewed_parts)
    outgoing, incoming = facts.outgoing, facts.incoming
    for source, target, relation_type, link_type in rel_rows:
        outgoing[source].append((target, relation_type, link_type))
        incoming[target].append((source, relation_type, link_type))


def _load_reviewed(facts: Facts, organisation, subject_ids, reviewed_parts) -> None:
    """The latest change per subject, reviewed part and element type. The
    elements are picked by a subquery on the classifications (a join makes
    SQLite walk every element of the organisation first)."""
    classified = Classification.objects.filter(part_id__in=sorted(reviewed_parts))
    if subject_ids is None:
        reviewed = Element.objects.filter(
            organisation=organisation, pk__in=classified.values("element_id")
        )
    else:  # a few subjects: their loaded elements (the subquery reads every subject's)
        wanted = sorted(
            pk
            for subject_id in facts.subjects
            for pk in facts.by_subject.get(subject_id, ())
            if facts.parts_of.get(pk, set()) & reviewed_parts
        )
        reviewed = Element.objects.filter(organisation=organisation, pk__in=wanted)
    latest: dict[tuple[int, int, str], datetime] = {}
    elements, parts_of = facts.elements, facts.parts_of
    for pk, updated_at in reviewed.order_by().values_list("pk", "updated_at"):
        element = elements.get(pk)
        if element is None or element.subject_id is None:
            continue
        for part_id in parts_of.get(pk, ()):
            if part_id in reviewed_parts:
                key = (element.subject_id, part_id, element.element_type)
                if key not in latest or latest[key] < updated_at:
                    latest[key] = updated_at
    for (subject_id, part_id, element_type), last in latest.items():
        facts.reviewed[(subject_id, part_id)].append((element_type, last))


def _load_roles(facts: Facts, organisation, subject_ids) -> None:
    assignments = RoleAssignment.objects.filter(
        membership__organisation=organisation, membership__is_active=True
    )
    if subject_ids is not None:
        assignments = assignments.filter(
            Q(subject__isnull=True) | Q(subject_id__in=list(facts.subjects))
        )
    for membership_id, role, subject_id in assignments.order_by().values_list(
        "membership_id", "role", "subject_id"
    ):
        facts.roles[subject_id][role].add(membership_id)


def _load_chains(facts: Facts, *, subject_ids: list[int] | None) -> None:
    from stuurwiel.agreements.models import Agreement
    from stuurwiel.calls.models import SeparationRelaxation
    from stuurwiel.services.models import Interface, Link, Service

    found = Service.objects.filter(organisation_id=facts.organisation_id)
    if subject_ids is not None:
        found = found.filter(subject_id__in=subject_ids)
    rows = list(found.order_by().values_list("pk", "subject_id", "owner_id"))
    services = {pk: subject_id for pk, subject_id, _owner in rows if subject_id in facts.subjects}
    owners = {pk: owner for pk, _subject, owner in rows}
    if not services:
        return
    links: dict[int, list[tuple[int, str]]] = defaultdict(list)
    teams: dict[int, int] = {}
    for pk, service_id, team_id, team, supplier in (
        Link.objects.filter(service_id__in=list(services))
        .order_by("position", "pk")
        .values_list("pk", "service_id", "team_id", "team__name", "supplier__name")
    ):
        links[service_id].append((pk, team or supplier or str(pk)))
        if team_id is not None:
            teams[pk] = team_id
    agreed = set(
        Agreement.objects.filter(service_id__in=list(services), link__isnull=False)
        .order_by()
        .values_list("link_id", flat=True)
    )
    interfaced: set[int] = set()
    for source, target in (
        Interface.objects.filter(service_id__in=list(services))
        .order_by()
        .values_list("source_link_id", "target_link_id")
    ):
        interfaced.update(pk for pk in (source, target) if pk is not None)
    for service_id, subject_id in services.items():
        chain = links.get(service_id, [])
        facts.chains[subject_id] = ChainFact(
            service_id=service_id,
            links=tuple(pk for pk, _name in chain),
            link_names=dict(chain),
            with_agreement=frozenset(agreed),
            with_interface=frozenset(interfaced),
            link_teams={pk: teams[pk] for pk, _name in chain if pk in teams},
            owner_id=owners[service_id],
        )
    facts.relaxations = list(
        SeparationRelaxation.objects.filter(organisation_id=facts.organisation_id, active=True)
        .order_by()
        .values_list("rule", "team_id", "pk")
    )
