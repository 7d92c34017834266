"""Isolation between organisations, generated from the URL configuration.

Every URL that takes an organisation (``org``) is visited as a member of another
organisation, and with the member's own organisation but another organisation's
object id. Both must answer 404 and reveal nothing. A new endpoint is covered
automatically; a new model needs a factory below or the test fails and says so.
"""

from __future__ import annotations

import functools

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from stuurwiel.calls.definitions import forget_snapshots
from stuurwiel.calls.models import Call
from stuurwiel.changelog.models import ChangeLogEntry
from stuurwiel.core.tests.service_world import (
    DESIGN_MODELS,
    call_for,
    service_design,
    webhook_delivery_for,
    webhook_endpoint_for,
)
from stuurwiel.dashboard.selectors import SIGNAL_LISTS
from stuurwiel.frameworks.models import Framework
from stuurwiel.graph.models import Element, Relation, Subject
from stuurwiel.organisations.choices import Role
from stuurwiel.organisations.models import Membership
from stuurwiel.parties.models import Person, Stakeholder, Supplier, Team
from stuurwiel.services.models import Service
from stuurwiel.webhooks.models import WebhookDelivery, WebhookEndpoint

SECRET = "Geheim-van-Beta"

_designs: dict[int, dict] = {}  # cleared by the world fixture


def _design(org, model):
    """One service design per organisation (and test), built on first use."""
    if org.pk not in _designs:
        _designs[org.pk] = service_design(org, name=f"Service {SECRET}")
    return _designs[org.pk][model]


def _secret_call(org):
    forget_snapshots()  # the snapshot rows of an earlier test were rolled back
    return call_for(_design(org, Service), number=f"B-{SECRET}")


SERVICE_DESIGN_FACTORIES = {
    model: functools.partial(lambda model, org: _design(org, model), model)
    for model in DESIGN_MODELS
}

FACTORIES = {
    Team: lambda org: Team.objects.create(organisation=org, name=f"Team {SECRET}"),
    Person: lambda org: Person.objects.create(organisation=org, name=f"Persoon {SECRET}"),
    Supplier: lambda org: Supplier.objects.create(organisation=org, name=f"Leverancier {SECRET}"),
    Stakeholder: lambda org: Stakeholder.objects.create(
        organisation=org,
        name=f"Belanghebbende {SECRET}",
        category="people",
        interest="high",
        influence="low",
    ),
    Subject: lambda org: Subject.objects.create(
        organisation=org, name=f"Onderwerp {SECRET}", kind="service"
    ),
    Element: lambda org: Element.objects.create(
        organisation=org, name=f"Element {SECRET}", element_type="goal"
    ),
    Relation: lambda org: Relation.objects.create(
        organisation=org,
        relation_type="influence",
        source=Element.objects.create(organisation=org, name=f"Bron {SECRET}", element_type="goal"),
        target=Element.objects.create(
            organisation=org, name=f"Doel {SECRET}", element_type="outcome"
        ),
    ),
    Membership: lambda org: Membership.objects.filter(organisation=org).first(),
    **SERVICE_DESIGN_FACTORIES,
    Call: lambda org: _secret_call(org),
    WebhookEndpoint: lambda org: webhook_endpoint_for(org, name=SECRET),
    WebhookDelivery: lambda org: webhook_delivery_for(
        call_for(_design(org, Service), number=f"W-{SECRET}"), name=f"{SECRET}-log"
    ),
    ChangeLogEntry: lambda org: ChangeLogEntry.objects.create(
        organisation=org,
        action="create",
        object_id="1",
        object_repr=SECRET,
        content_type=ContentType.objects.get_for_model(Team),
    ),
}


def _walk(patterns, namespace="", groups=frozenset()):
    for entry in patterns:
        own = frozenset(entry.pattern.regex.groupindex)
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}{entry.namespace}:"
            yield from _walk(entry.url_patterns, ns, groups | own)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", groups | own, entry.callback


def org_urls():
    return sorted(
        (name, kwargs, callback)
        for name, kwargs, callback in _walk(get_resolver().url_patterns)
        if "org" in kwargs
    )


def _model_for(name: str, callback):
    view = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    queryset = getattr(view, "queryset", None)
    if queryset is not None:
        return queryset.model
    base = name.rsplit(":", 1)[-1].rsplit("_", 1)[0].rsplit("-", 1)[0]
    for model in apps.get_models():
        if model._meta.model_name == base:
            return model
    raise AssertionError(f"Cannot tell which model {name} shows; give its view a queryset.")


def _build(name, kwargs, callback, org_slug, objects):
    values = {"org": org_slug}
    for key in kwargs - {"org"}:
        if key == "pk":
            model = _model_for(name, callback)
            assert model in objects, f"Add a factory for {model.__name__} to FACTORIES"
            values["pk"] = objects[model].pk
        elif key == "ref_id":
            values["ref_id"] = objects[Framework].ref_id
        elif key == "service":
            values["service"] = objects[Service].pk
        elif key == "token":
            values["token"] = "0" * 32  # an attachment: behind its call, which is foreign
        elif key == "signal":
            values["signal"] = next(iter(SIGNAL_LISTS))  # a dashboard signal's calls
        else:
            raise AssertionError(f"{name}: teach the isolation test the URL argument {key!r}")
    return reverse(name, kwargs=values)


@pytest.fixture
def world(org_a, org_b, make_member):
    intruder = make_member(org_a, *Role.values, username="intruder")
    make_member(org_b, Role.ORGANISATION_ADMIN, username="owner-b")
    _designs.clear()
    objects = {model: factory(org_b) for model, factory in FACTORIES.items()}
    objects[Framework] = Framework.objects.create(
        urn="urn:test:fw",
        ref_id="testfw",
        version=1,
        name_nl="T",
        name_en="T",
        content_hash="x",
    )
    return intruder, objects


def test_url_configuration_has_organisation_urls():
    names = [name for name, _, _ in org_urls()]
    assert "parties:team_detail" in names and "parties-api:team-detail" in names


def _ids(value):
    return value if isinstance(value, str) else ""


def _call(client, method, url):
    response = getattr(client, method)(url, content_type="application/json")
    assert SECRET not in response.content.decode(), f"{method.upper()} {url} leaks"
    return response.status_code


@pytest.mark.django_db
@pytest.mark.parametrize("name,kwargs,callback", org_urls(), ids=_ids)
def test_other_organisation_is_invisible(client, world, name, kwargs, callback):
    """Another organisation's URL is 404 for every method. With the member's own
    organisation and another organisation's object id, the answer is exactly the
    answer for an id that does not exist at all."""
    intruder, objects = world
    client.force_login(intruder)
    api = name.split(":")[0].endswith("-api")
    methods = ["get", "post", "put", "patch", "delete"] if api else ["get", "post"]
    foreign = _build(name, kwargs, callback, "beta", objects)
    for method in methods:
        status = _call(client, method, foreign)
        assert status == 404, f"{method.upper()} {foreign}: {status}"
    if "pk" not in kwargs:
        return
    own_url = _build(name, kwargs, callback, "alfa", objects)
    missing = {model: type("Missing", (), {"pk": 987654})() for model in objects}
    missing[Framework] = objects[Framework]
    nowhere = _build(name, kwargs, callback, "alfa", missing)
    for method in methods:
        status = _call(client, method, own_url)
        assert status in (404, 405), f"{method.upper()} {own_url}: {status}"
        assert status == _call(client, method, nowhere), f"{method.upper()} {own_url}"


@pytest.mark.django_db
@pytest.mark.parametrize("name,kwargs,callback", org_urls(), ids=_ids)
def test_anonymous_visitor_gets_nothing(client, world, name, kwargs, callback):
    _, objects = world
    url = _build(name, kwargs, callback, "beta", objects)
    response = client.get(url)
    if name.split(":")[0].endswith("-api"):
        assert response.status_code in (401, 403)
    else:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert SECRET not in response.content.decode()
