"""The whole list behind a figure (its own page, keyset-paged) and the sums of
the standard periods the roll-up keeps: both must agree with the figures."""

from __future__ import annotations

import pytest
from django.urls import reverse

from stuurwiel.dashboard import figures, selectors
from stuurwiel.dashboard.models import DailyFigure
from stuurwiel.dashboard.tests.conftest import ago, clock, event, exception, make_call, rolled
from stuurwiel.organisations import access

pytestmark = pytest.mark.django_db


def _where(world, days=90):
    return {
        "organisation": world.org,
        "member_access": access.access_for(world.manager, world.org),
        "start": ago(days=days),
        "end": ago(seconds=-60),
    }


def _list_url(world, signal, **query):
    from urllib.parse import urlencode

    url = reverse("dashboard:signal_calls", kwargs={"org": world.org.slug, "signal": signal})
    return f"{url}?{urlencode(query)}" if query else url


def _signals_world(world):
    """Two calls of each signal, one call without any."""
    made = {}
    for n in range(2):
        call = make_call(world, registered_at=ago(days=3 + n))
        clock(world, call, state="breached", used=90)
        clock(world, call, link=world.links.front)
        made.setdefault("watermelon", []).append(call)
        escalated = make_call(world, registered_at=ago(days=5 + n))
        event(escalated, "escalated", link=world.links.front)
        made.setdefault("escalated", []).append(escalated)
    for n in range(3):
        exception(make_call(world, registered_at=ago(days=8 + n)))
    make_call(world)
    rolled(world)
    return made


def test_each_list_holds_exactly_the_calls_its_figure_counts(world):
    made = _signals_world(world)
    found = selectors.signals(**_where(world))
    counts = {
        "breached": found.norms.breached_count,
        "watermelon": found.watermelon.count,
        "escalated": found.escalations.escalated_count,
        "ping-pong": found.ping_pong.count,
    }
    assert counts == {"breached": 2, "watermelon": 2, "escalated": 2, "ping-pong": 0}
    for signal, count in counts.items():
        listed = selectors.signal_calls(signal=signal, **_where(world))
        assert listed.count() == count, signal
    listed = selectors.signal_calls(signal="watermelon", **_where(world))
    assert set(listed) == set(made["watermelon"])
    normalised = selectors.signal_calls(signal="exceptions", **_where(world))
    assert normalised.count() == 3 == sum(row.approved for row in found.exceptions.normalised)


def test_the_dashboard_links_to_all_incidents_of_a_recurring_problem(client, world, monkeypatch):
    monkeypatch.setattr(figures, "LISTED", 2)
    storing = [make_call(world, category="storing", registered_at=ago(days=d)) for d in (5, 4, 3)]
    make_call(world, category="uitval", registered_at=ago(days=2))
    rolled(world)
    client.force_login(world.manager)
    page = client.get(reverse("dashboard:dashboard", kwargs={"org": world.org.slug}))
    page = page.content.decode()
    link = _list_url(world, "recurring").split("?")[0]
    assert f"{link}?service={world.service.pk}&amp;category=storing" in page
    answer = client.get(
        _list_url(world, "recurring", service=world.service.pk, category="storing"),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert answer.status_code == 200
    listed = answer.content.decode()
    assert all(call.number in listed for call in storing)
    assert "3 items" in listed


def test_the_list_pages_by_keyset(client, world, settings):
    settings.STUURWIEL_LIST_PAGE_SIZE = 2
    calls = [make_call(world, category="storing", registered_at=ago(days=d)) for d in (5, 4, 3)]
    rolled(world)
    client.force_login(world.manager)
    query = {"service": world.service.pk, "category": "storing"}
    first = client.get(_list_url(world, "recurring", **query))
    assert [c.number for c in first.context["page"]] == [calls[2].number, calls[1].number]
    second = client.get(f"{first.wsgi_request.path}?{first.context['page'].next_query}")
    assert [c.number for c in second.context["page"]] == [calls[0].number]


def test_an_operator_may_not_open_a_list_and_an_unknown_one_is_not_found(client, world):
    client.force_login(world.desk)
    assert client.get(_list_url(world, "breached")).status_code == 403
    client.force_login(world.manager)
    assert client.get(_list_url(world, "nothing")).status_code == 404


def test_a_standard_period_reads_the_sums_and_agrees_with_the_days(world):
    _signals_world(world)
    for n in range(12):
        event(make_call(world, registered_at=ago(days=n)), "step_completed", actor=world.desk)
    rolled(world)
    assert DailyFigure.objects.filter(organisation=world.org, days=90).exists()
    summed = selectors.signals(**_where(world))
    # A day longer is no standard period: the same figures, summed from the days.
    by_day = selectors.signals(**_where(world, days=91))
    assert summed.calls == by_day.calls == 20
    assert summed.norms.rows == by_day.norms.rows
    assert [(r.person_id, r.steps) for r in summed.heroes.rows] == [
        (r.person_id, r.steps) for r in by_day.heroes.rows
    ]
    assert summed.escalations.rows == by_day.escalations.rows
    assert summed.exceptions.rows == by_day.exceptions.rows


def test_the_sums_follow_a_new_call_after_the_next_roll_up(world):
    make_call(world)
    rolled(world)
    assert selectors.signals(**_where(world)).calls == 1
    make_call(world)
    rolled(world, full=False)
    assert selectors.signals(**_where(world)).calls == 2
