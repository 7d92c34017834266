"""The dashboard page, the watermelon view, the risk action and the API: who may
open them, what they show, and that they count only what the member may see."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stuurwiel.calls.models import Call
from stuurwiel.calls.tests.conftest import build_world
from stuurwiel.dashboard import figures, selectors
from stuurwiel.dashboard.tests.conftest import (
    ago,
    clock,
    event,
    exception,
    make_call,
    rolled,
    stretches,
)
from stuurwiel.organisations import access
from stuurwiel.organisations.choices import Role
from stuurwiel.organisations.models import Membership, RoleAssignment

pytestmark = pytest.mark.django_db


def _url(world, name="dashboard:dashboard"):
    return reverse(name, kwargs={"org": world.org.slug})


def _melon(world, service=None, title="Melding"):
    call = make_call(world, service=service, title=title)
    clock(world, call, state="breached", used=90)
    clock(world, call, link=world.links.front)
    return call


def test_the_dashboard_shows_a_manager_each_signal_with_its_calls(client, world):
    melon = _melon(world)
    rolled(world)
    client.force_login(world.manager)
    response = client.get(_url(world), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Hand-over ping-pong" in page and "Standing findings" in page
    assert reverse("calls:call_detail", kwargs={"org": world.org.slug, "pk": melon.pk}) in page


def test_the_watermelon_view_lists_the_call_with_its_clocks_in_words(client, world):
    melon = _melon(world)
    rolled(world)
    client.force_login(world.manager)
    page = client.get(_url(world, "dashboard:watermelon"), HTTP_ACCEPT_LANGUAGE="en")
    page = page.content.decode()
    assert melon.number in page
    assert "breached" in page and "met" in page and "red" in page and "green" in page


def test_an_operator_may_not_open_the_dashboard(client, world):
    client.force_login(world.desk)
    assert client.get(_url(world)).status_code == 403
    assert client.get(_url(world, "dashboard:watermelon")).status_code == 403


def test_the_menu_offers_the_dashboard_to_a_manager_only(client, world):
    client.force_login(world.manager)
    assert _url(world) in client.get(_url(world, "calls:worklist")).content.decode()
    client.force_login(world.desk)
    assert _url(world) not in client.get(_url(world, "calls:worklist")).content.decode()


def _scoped_owner(world, make_member):
    user = make_member(world.org, username="eigenaar")
    membership = Membership.objects.get(user=user)
    RoleAssignment.objects.create(
        membership=membership, role=Role.SERVICE_OWNER, subject=world.service.subject
    )
    return user


def test_a_service_owner_sees_only_their_own_services(client, world, make_member):
    other = build_world(world.org, make_member, prefix="B-")
    mine = _melon(world, title="Eigen")
    theirs = _melon(other, service=other.service, title="Andermans")
    owner = _scoped_owner(world, make_member)
    rolled(world)
    member = access.access_for(owner, world.org)
    melons = selectors.watermelon(
        organisation=world.org, member_access=member, start=ago(days=90), end=ago(seconds=-5)
    )
    assert [row.call for row in melons.calls] == [mine]
    client.force_login(owner)
    page = client.get(_url(world, "dashboard:watermelon")).content.decode()
    assert mine.number in page and theirs.number not in page


def test_the_api_counts_only_a_service_owners_own_services(world, make_member, api_client):
    other = build_world(world.org, make_member, prefix="B-")
    _melon(world)
    _melon(other, service=other.service)
    _melon(other, service=other.service)
    rolled(world)
    url = reverse("dashboard-api:signals-list", kwargs={"org": world.org.slug})
    answer = api_client(_scoped_owner(world, make_member)).get(url).json()
    assert answer["calls"] == 1
    assert answer["watermelon"]["per_service"] == {world.service.name: 1}
    everything = api_client(world.manager).get(url).json()
    assert everything["calls"] == 3


def test_another_organisations_calls_never_count(world, org_b, make_member):
    foreign = build_world(org_b, make_member, prefix="X-")
    _melon(foreign, service=foreign.service)
    rolled(foreign)
    rolled(world)
    member = access.access_for(world.manager, world.org)
    found = selectors.signals(
        organisation=world.org, member_access=member, start=ago(days=90), end=ago(seconds=-5)
    )
    assert found.calls == 0 and found.watermelon.count == 0 and found.norms.rows == []


def test_a_manager_registers_a_recurring_problem_as_a_risk(client, world):
    incidents = [make_call(world, category="storing", registered_at=ago(days=d)) for d in (3, 2, 1)]
    client.force_login(world.manager)
    # The manager holds calls.register through their operator role.
    response = client.post(
        _url(world, "dashboard:recurring_register_risk"),
        {"service": world.service.pk, "category": "storing", "days": 90},
    )
    risk = Call.objects.get(call_type="risico")
    assert response.status_code == 302 and response["Location"].endswith(f"/{risk.pk}/")
    assert risk.origin == incidents[-1] and risk.category == "storing"
    rolled(world)
    (row,) = selectors.recurring_problems(
        organisation=world.org,
        member_access=access.access_for(world.manager, world.org),
        start=ago(days=90),
        end=ago(seconds=-5),
    ).rows
    assert row.risk == risk


def test_an_auditor_sees_the_dashboard_but_registers_no_risk(client, world, make_member):
    for _ in range(3):
        make_call(world, category="storing")
    auditor = make_member(world.org, Role.AUDITOR, username="controleur")
    client.force_login(auditor)
    assert client.get(_url(world)).status_code == 200
    response = client.post(
        _url(world, "dashboard:recurring_register_risk"),
        {"service": world.service.pk, "category": "storing"},
    )
    assert response.status_code == 403
    assert not Call.objects.filter(call_type="risico").exists()


def test_two_incidents_cannot_be_registered_as_a_recurring_problem(client, world):
    for _ in range(2):
        make_call(world, category="storing")
    client.force_login(world.manager)
    client.post(
        _url(world, "dashboard:recurring_register_risk"),
        {"service": world.service.pk, "category": "storing"},
    )
    assert not Call.objects.filter(call_type="risico").exists()


def test_the_api_answers_the_figures_for_a_period_and_service(world, api_client):
    _melon(world)
    rolled(world)
    url = reverse("dashboard-api:signals-list", kwargs={"org": world.org.slug})
    response = api_client(world.manager).get(url, {"service": world.service.pk, "days": 30})
    assert response.status_code == 200
    assert response.json()["watermelon"]["count"] == 1
    assert response.json()["norms"]["rows"][0]["service"] == world.service.name
    assert (
        api_client(world.manager).get(url, {"from": "2026-02-01", "to": "2026-01-01"}).status_code
        == 400
    )
    assert api_client(world.desk).get(url).status_code == 403


def _history(world, n: int) -> None:
    """``n`` calls with every signal's raw material: clocks, a bounce between two
    links, an escalation, an approved exception, steps, an assignment, a category."""
    links = world.links
    for _ in range(n):
        call = make_call(world, category="storing")
        clock(world, call, state="breached", used=90)
        clock(world, call, link=links.front)
        clock(world, call, link=links.specialists)
        stretches(call, [links.front, links.specialists, links.front])
        event(call, "escalated", link=links.specialists)
        exception(call)
        event(call, "assigned", at=ago(days=5), data={"operator": world.specialist.pk})
        event(call, "step_completed", actor=world.specialist)


def _count(world, client=None, url=None) -> int:
    member = access.access_for(world.manager, world.org)
    with CaptureQueriesContext(connection) as captured:
        if client is not None:
            assert client.get(url).status_code == 200
        else:
            selectors.signals(
                organisation=world.org,
                member_access=member,
                start=ago(days=90),
                end=ago(seconds=-5),
            )
    return len(captured)


def test_the_signals_cost_the_same_queries_for_3_and_for_30_calls(world, client, monkeypatch):
    # Every signal fires already at 3 calls (a hero needs 10 otherwise), so the
    # queries behind each flagged figure are counted both times.
    monkeypatch.setattr(figures, "HERO_MIN_CALLS", 1)
    client.force_login(world.manager)
    _history(world, 3)
    rolled(world)
    _count(world, client, _url(world))  # warm the session and content types
    few = (_count(world), _count(world, client, _url(world)))
    few_melon = _count(world, client, _url(world, "dashboard:watermelon"))
    _history(world, 27)
    rolled(world, full=False)
    assert (_count(world), _count(world, client, _url(world))) == few
    assert _count(world, client, _url(world, "dashboard:watermelon")) == few_melon
    assert (
        selectors.watermelon(
            organisation=world.org,
            member_access=access.access_for(world.manager, world.org),
            start=ago(days=90),
            end=ago(seconds=-5),
        ).count
        == 30
    )
