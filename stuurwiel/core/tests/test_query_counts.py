"""Every list page and API list answers in the same number of queries for a few
rows as for many, generated from the URL configuration like the isolation test:
a new list cannot be forgotten, and a list that starts fetching related objects
row by row (N+1) fails here. Rows carry their usual relations (owner, team,
subject, parts, roles, actor) so that lazy loads would show."""

from __future__ import annotations

import functools
import itertools

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stuurwiel.calls.definitions import forget_snapshots
from stuurwiel.calls.models import Call
from stuurwiel.changelog.models import ChangeLogEntry
from stuurwiel.coherence.models import Finding
from stuurwiel.core.tests.service_world import (
    DESIGN_MODELS,
    call_for,
    service_design,
    webhook_delivery_for,
    webhook_endpoint_for,
)
from stuurwiel.core.tests.test_isolation import _model_for, org_urls
from stuurwiel.frameworks.models import Framework, FrameworkPart, GuidingQuestion
from stuurwiel.graph.models import Classification, Element, Relation, Subject
from stuurwiel.organisations.choices import Role
from stuurwiel.organisations.models import Membership, RoleAssignment
from stuurwiel.parties.models import Person, Stakeholder, Supplier, Team
from stuurwiel.services.models import Service
from stuurwiel.webhooks.models import WebhookDelivery, WebhookEndpoint

counter = itertools.count()


def _person(org):
    n = next(counter)
    team = Team.objects.create(organisation=org, name=f"Team {n}")
    return Person.objects.create(organisation=org, name=f"Persoon {n}", team=team)


def _subject(org):
    subject = Subject.objects.create(
        organisation=org, name=f"Onderwerp {next(counter)}", kind="service", owner=_person(org)
    )
    subject.frameworks.add(*Framework.objects.all())
    return subject


def _element(org):
    element = Element.objects.create(
        organisation=org,
        name=f"Element {next(counter)}",
        element_type="goal",
        subject=_subject(org),
        owner=_person(org),
    )
    for part in FrameworkPart.objects.all():
        Classification.objects.create(element=element, part=part)
    return element


def _framework(org):
    n = next(counter)
    framework = Framework.objects.create(
        urn=f"urn:test:fw:{n}",
        ref_id=f"fw{n}",
        version=1,
        name_nl="K",
        name_en="K",
        content_hash="x",
    )
    part = FrameworkPart.objects.create(
        framework=framework,
        urn=f"{framework.urn}:p",
        ref_id="p",
        kind="aspect",
        name_nl="P",
        name_en="P",
    )
    GuidingQuestion.objects.create(
        part=part, urn=f"{part.urn}:q", ref_id="q", text_nl="Waarom?", text_en="Why?"
    )
    return framework


def _membership(org):
    user = get_user_model().objects.create_user(username=f"lid-{next(counter)}", first_name="L")
    membership = Membership.objects.create(organisation=org, user=user)
    RoleAssignment.objects.create(membership=membership, role=Role.OPERATOR)
    RoleAssignment.objects.create(
        membership=membership, role=Role.SERVICE_OWNER, subject=_subject(org)
    )
    return membership


def _call(org):
    forget_snapshots()  # the snapshot rows of an earlier test were rolled back
    service = service_design(org, name=f"Dienst {next(counter)}")[Service]
    return call_for(service, number=f"Q-{next(counter)}", requester=_membership(org).user)


def _entry(org):
    actor = get_user_model().objects.create_user(username=f"actor-{next(counter)}")
    team = Team.objects.create(organisation=org, name=f"Team {next(counter)}")
    return ChangeLogEntry.objects.create(
        organisation=org,
        actor=actor,
        actor_repr=actor.username,
        action="create",
        object_id=str(team.pk),
        object_repr=str(team),
        content_type=ContentType.objects.get_for_model(Team),
        after={"name": team.name},
    )


def _finding(org):
    """An open coherence finding about an element, and its subject's snapshot of
    today (the scores list counts those)."""
    from django.utils import timezone

    from stuurwiel.coherence.models import Finding, FindingSnapshot
    from stuurwiel.frameworks.models import CoherenceRule

    n = next(counter)
    element = _element(org)
    framework = Framework.objects.order_by("pk").first() or _framework(org)
    rule = CoherenceRule.objects.create(
        framework=framework,
        urn=f"{framework.urn}:rule:r{n}",
        ref_id=f"r{n}",
        order=n,
        kind="element_type_fits",
        severity="warning",
        message_nl="Past niet",
        message_en="Does not fit",
    )
    part = FrameworkPart.objects.filter(framework=framework).first()
    FindingSnapshot.objects.create(
        organisation=org,
        subject=element.subject,
        framework=framework,
        day=timezone.localdate(),
        checks=2,
        passed=1,
        warnings=1,
    )
    return Finding.objects.create(
        organisation=org,
        subject=element.subject,
        rule=rule,
        framework=framework,
        severity="warning",
        key=f"element:{element.pk}",
        part=part,
        element=element,
        reasoning={"element": element.pk, "part": part.pk if part else None, "type": "goal"},
        opened_at=timezone.now(),
    )


MAKERS = {
    Team: lambda org: Team.objects.create(
        organisation=org, name=f"Team {next(counter)}", coordinator=_person(org)
    ),
    Person: _person,
    Supplier: lambda org: Supplier.objects.create(organisation=org, name=f"Lev {next(counter)}"),
    Stakeholder: lambda org: Stakeholder.objects.create(
        organisation=org,
        name=f"Belanghebbende {next(counter)}",
        category="people",
        interest="high",
        influence="low",
        contact=_person(org),
    ),
    Subject: _subject,
    Element: _element,
    Relation: lambda org: Relation.objects.create(
        organisation=org, relation_type="influence", source=_element(org), target=_element(org)
    ),
    Membership: _membership,
    ChangeLogEntry: _entry,
    Framework: _framework,
    Call: lambda org: _call(org),
    Finding: _finding,
    WebhookEndpoint: lambda org: webhook_endpoint_for(org, name=f"lev{next(counter)}"),
    WebhookDelivery: lambda org: webhook_delivery_for(_call(org), name=f"m{next(counter)}"),
    **{
        model: functools.partial(
            lambda model, org: service_design(org, name=f"Dienst {next(counter)}")[model], model
        )
        for model in DESIGN_MODELS
    },
}


def list_urls():
    return [
        (name, callback)
        for name, kwargs, callback in org_urls()
        if kwargs == {"org"} and name.rsplit(":", 1)[-1].endswith(("_list", "-list", "feed"))
    ]


def test_the_generated_set_covers_pages_and_api():
    names = {name for name, _ in list_urls()}
    assert {"parties:team_list", "parties-api:team-list", "changelog:feed"} <= names
    assert "graph-api:element-list" in names


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.mark.django_db
@pytest.mark.parametrize("name,callback", list_urls(), ids=[name for name, _ in list_urls()])
def test_list_query_count_does_not_grow_with_rows(client, org_a, make_member, name, callback):
    model = ChangeLogEntry if name.endswith("feed") else _model_for(name, callback)
    assert model in MAKERS, f"Add a maker for {model.__name__} to MAKERS"
    client.force_login(make_member(org_a, Role.ORGANISATION_ADMIN, username="beheerder"))
    _framework(org_a)
    url = reverse(name, kwargs={"org": org_a.slug})
    for _ in range(2):
        MAKERS[model](org_a)
    _queries(client, url)  # warm caches (content types, sessions) before counting
    few = _queries(client, url)
    for _ in range(10):
        MAKERS[model](org_a)
    many = _queries(client, url)
    assert many == few, f"{url}: {few} queries for a few rows, {many} for more"
