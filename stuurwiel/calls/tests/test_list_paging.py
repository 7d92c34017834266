"""The worklists and "my calls" page by position (keyset), newest first: every call
is reached once going forward and going back, a bookmark that no longer parses
starts at the top, and the count stops at a cap instead of counting a million calls."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest

from stuurwiel.calls import services
from stuurwiel.calls.models import Call
from stuurwiel.calls.tests.test_views import client_for, reported, to_specialists, url
from stuurwiel.core import pagination

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_pages(settings):
    settings.STUURWIEL_LIST_PAGE_SIZE = 2


def _numbers(page: str) -> list[str]:
    return re.findall(r">([A-Z]+-\d{4}-\d+)[ <]", page)


def _link(page: str, rel: str) -> str | None:
    found = re.search(rf'href="\?([^"]*)" rel="{rel}"', page)
    return html.unescape(found.group(1)) if found else None


def _walk(client, address: str, query: str, rel: str) -> list[list[str]]:
    pages = []
    while query is not None:
        page = client.get(f"{address}?{query}").content.decode()
        pages.append(_numbers(page))
        query = _link(page, rel)
        assert len(pages) < 10, "the pages do not end"
    return pages


def _calls(world, count: int, *, same_moment: bool = False) -> list[str]:
    calls = [reported(world, title=f"Melding {n}") for n in range(count)]
    if same_moment:
        # Registered in one instant: the id alone orders them, and each must
        # still be shown exactly once.
        Call.objects.filter(pk__in=[c.pk for c in calls]).update(
            registered_at=calls[0].registered_at
        )
    else:
        for n, call in enumerate(calls):
            Call.objects.filter(pk=call.pk).update(
                registered_at=call.registered_at + timedelta(minutes=n)
            )
    ordered = Call.objects.filter(pk__in=[c.pk for c in calls]).order_by("-registered_at", "-id")
    return list(ordered.values_list("number", flat=True))


@pytest.mark.parametrize("same_moment", [False, True])
def test_the_worklist_reaches_every_call_once_forward_and_back(world, small_pages, same_moment):
    newest_first = _calls(world, 5, same_moment=same_moment)
    client = client_for(world.desk)
    address = url("worklist", world)
    forward = _walk(client, address, "list=links", "next")
    assert [n for page in forward for n in page] == newest_first
    assert [len(page) for page in forward] == [2, 2, 1]
    last = client.get(f"{address}?list=links").content.decode()
    for _ in range(2):
        last = client.get(f"{address}?{_link(last, 'next')}").content.decode()
    back = _walk(client, address, _link(last, "prev"), "prev")
    assert [n for page in reversed(back) for n in page] == newest_first[:4]


def test_the_next_page_keeps_the_tab_and_the_filters(world, small_pages):
    _calls(world, 3)
    page = client_for(world.desk).get(url("worklist", world) + "?list=links&q=melding")
    query = _link(page.content.decode(), "next")
    assert "list=links" in query and "q=melding" in query and "after=" in query


def test_a_position_that_does_not_parse_shows_the_first_page(world, small_pages):
    newest_first = _calls(world, 3)
    client = client_for(world.desk)
    for bad in ("x_1", "12", "99999999999999999999999_1", "-1_-1"):
        page = client.get(url("worklist", world) + f"?list=links&after={bad}")
        assert page.status_code == 200
        assert _numbers(page.content.decode()) == newest_first[:2]


def test_the_count_stops_at_the_cap(world, small_pages, monkeypatch):
    monkeypatch.setattr(pagination, "KEYSET_COUNT_CAP", 3)
    _calls(world, 3)
    client = client_for(world.desk)
    assert "3 items" in client.get(url("worklist", world) + "?list=links").content.decode()
    reported(world)
    page = client.get(url("worklist", world) + "?list=links").content.decode()
    assert "more than 3 items" in page


def test_my_calls_pages_by_position_too(world, small_pages):
    newest_first = _calls(world, 3)
    pages = _walk(client_for(world.requester), url("my_calls", world), "", "next")
    assert [n for page in pages for n in page] == newest_first


def test_the_team_coordinator_no_longer_coordinates_a_call_once_it_is_assigned(world):
    call = to_specialists(world, reported(world))
    services.call_coordinate(call=call, by=world.coordinator, version=call.version)
    call.refresh_from_db()
    services.call_assign(
        call=call, operator=world.specialist, by=world.coordinator, version=call.version
    )
    page = client_for(world.team_coordinator).get(url("worklist", world) + "?list=coordination")
    assert call.number not in page.content.decode()
    page = client_for(world.coordinator).get(url("worklist", world) + "?list=coordination")
    assert call.number in page.content.decode()
