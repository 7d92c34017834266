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
from datetime import UTC, datetime
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Q
from django.utils.dateparse import parse_datetime

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


# A relation as read, in both indexes (no copy per direction):
# (source element, target element, relation type, link type)
Edge = tuple[int, int, str, int | None]


@dataclass
class Facts:
    organisation_id: int
    now: datetime
    subjects: dict[int, SubjectFact] = field(default_factory=dict)
    elements: dict[int, ElementFact] = field(default_factory=dict)
    # subject id (None: no subject) → (part, element type) → the loaded elements
    # of that subject and type classified under that part
    classified: dict[int | None, dict[tuple[int, str], list[int]]] = field(
        default_factory=lambda: defaultdict(dict)
    )
    outgoing: dict[int, list[Edge]] = field(default_factory=lambda: defaultdict(list))
    incoming: dict[int, list[Edge]] = field(default_factory=lambda: defaultdict(list))
    # subject id (None: organisation-wide) → role → membership ids holding it there
    roles: dict[int | None, dict[str, set[int]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(set))
    )
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


def fetch_rows(queryset) -> list[tuple]:
    """The rows of a ``values_list`` of integer and text columns, fetched in one
    go (Django's row iterator costs more than the rows at 300,000 relations;
    these columns need no conversion; a date comes as the driver gives it, see
    :func:`_moment`)."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # e.g. ``pk__in=[]``: Django's own iterator returns nothing too
        return []
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


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
            rel_rows = fetch_rows(
                Relation.objects.filter(Q(source__in=own) | Q(target__in=own))
                .order_by()
                .values_list(*columns)
            )
        ends = {row[0] for row in rel_rows} | {row[1] for row in rel_rows}
        elements = Element.objects.filter(Q(subject_id__in=ids) | Q(pk__in=sorted(ends)))
    elif links:
        rel_rows = fetch_rows(relations.order_by().values_list(*columns))
    kept = facts.elements
    rows = fetch_rows(elements.order_by().values_list("pk", "subject_id", "element_type"))
    kept.update(zip([row[0] for row in rows], map(ElementFact._make, rows), strict=True))
    if subject_ids is None:
        classifications = Classification.objects.filter(element__organisation=organisation)
    else:  # the loaded elements are the organisation's
        classifications = Classification.objects.filter(element_id__in=list(kept))
    # Grouped by (subject, part, element type): what an element answers depends
    # on those alone, so the evaluators work per group, not per element.
    groups: dict[tuple[int | None, int, str], list[int]] = defaultdict(list)
    columns = ("element__subject_id", "part_id", "element__element_type", "element_id")
    for subject_id, part_id, element_type, element_id in fetch_rows(
        classifications.order_by().values_list(*columns)
    ):
        groups[(subject_id, part_id, element_type)].append(element_id)
    classified = facts.classified
    for (subject_id, part_id, element_type), members in groups.items():
        classified[subject_id][(part_id, element_type)] = members
    if reviewed_parts:
        _load_reviewed(facts, organisation, subject_ids, reviewed_parts)
    outgoing, incoming = facts.outgoing, facts.incoming
    for row in rel_rows:
        outgoing[row[0]].append(row)
        incoming[row[1]].append(row)


def _load_reviewed(facts: Facts, organisation, subject_ids, reviewed_parts) -> None:
    """The latest change per subject, reviewed part and element type. Only the
    elements classified under a reviewed part are read, picked by a subquery on
    the classifications (grouping in SQL would have SQLite probe every element
    once per reviewed part); their "last changed" stays the database's text or
    value until the latest of a group is known, so only that is converted."""
    if subject_ids is None:
        classified = Classification.objects.filter(part_id__in=sorted(reviewed_parts))
        reviewed = Element.objects.filter(
            organisation=organisation, pk__in=classified.values("element_id")
        )
    else:  # a few subjects: their loaded elements (the subquery reads every subject's)
        wanted = sorted(
            pk
            for subject_id in facts.subjects
            for (part_id, _type), members in facts.classified.get(subject_id, {}).items()
            if part_id in reviewed_parts
            for pk in members
        )
        reviewed = Element.objects.filter(organisation=organisation, pk__in=wanted)
    changed = dict(fetch_rows(reviewed.order_by().values_list("pk", "updated_at")))
    for subject_id, groups in facts.classified.items():
        if subject_id is None:
            continue
        for (part_id, element_type), members in groups.items():
            if part_id not in reviewed_parts:
                continue
            last = max((changed[pk] for pk in members if pk in changed), default=None)
            if last is not None:
                facts.reviewed[(subject_id, part_id)].append((element_type, _moment(last)))


def _moment(value) -> datetime:
    """A date and time as the database driver gives it: aware from PostgreSQL,
    naive (or text, without Django's converter) in UTC from SQLite."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is None:
        raise ValueError("no date and time")
    return value if value.tzinfo or not settings.USE_TZ else value.replace(tzinfo=UTC)


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
