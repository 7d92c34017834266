"""The worklists, "my calls" and the call page answer in the same number of
queries for a few calls (or events) as for many: nothing is fetched row by row.
Rows carry what makes lazy loads show: an assignee, a coordinator, a link with
its team, a public reply. (Counts only; times are for the bench.)"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stuurwiel.calls import services
from stuurwiel.calls.tests.test_views import reported

pytestmark = pytest.mark.django_db


def _queries(client: Client, url: str, **headers) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **headers)
    assert response.status_code == 200, url
    return len(captured)


def _busy_call(world, n: int):
    call = reported(world, title=f"Melding {n}")
    services.call_coordinate(call=call, by=world.coordinator, version=call.version)
    call.refresh_from_db()
    services.call_assign(call=call, operator=world.desk, by=world.coordinator, version=call.version)
    services.call_comment(call=call, by=world.desk, text=f"Antwoord {n}", public=True)
    return call


@pytest.mark.parametrize(
    "name,user,query",
    [
        ("worklist", "desk", "?list=mine"),
        ("worklist", "desk", "?list=links"),
        ("worklist", "coordinator", "?list=coordination"),
        ("worklist", "desk", "?list=links&q=melding&status=open"),
        ("my_calls", "requester", ""),
    ],
)
def test_the_lists_cost_the_same_for_few_and_many_calls(world, name, user, query):
    client = Client()
    client.force_login(getattr(world, user))
    address = reverse(f"calls:{name}", kwargs={"org": world.org.slug}) + query
    for n in range(2):
        _busy_call(world, n)
    _queries(client, address)  # warm the caches (content types, the snapshot)
    few = _queries(client, address)
    for n in range(2, 14):
        _busy_call(world, n)
    many = _queries(client, address)
    assert many == few, f"{address}: {few} queries for 2 calls, {many} for 14"
    assert "Melding 13" in client.get(address).content.decode()


def test_the_call_page_costs_the_same_for_a_short_and_a_long_history(world):
    call = _busy_call(world, 0)
    call.refresh_from_db()
    client = Client()
    client.force_login(world.desk)
    few = (_queries(client, call.get_absolute_url()), _queries(client, call.get_absolute_url()))[1]
    for n in range(20):
        services.call_comment(call=call, by=world.desk, text=f"Notitie {n}")
        services.call_escalate(call=call, by=world.desk, version=call.version, reason=f"R {n}")
        call.refresh_from_db()
    many = _queries(client, call.get_absolute_url())
    assert many == few, f"call page: {few} queries for a short history, {many} for a long one"
