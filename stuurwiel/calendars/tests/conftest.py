"""Fixtures of the calendar tests: a calendar of Gemeente Alfa and its people."""

import pytest

from stuurwiel.calendars.models import BusinessCalendar, ServiceWindow
from stuurwiel.organisations.choices import Role

OFFICE = [(1, 510, 720), (1, 780, 1020), (2, 510, 1020), (5, 510, 960)]


@pytest.fixture
def calendar(org_a):
    return BusinessCalendar.objects.create(organisation=org_a, name="Kantooruren")


@pytest.fixture
def office(calendar):
    """Monday 08:30–12:00 and 13:00–17:00, Tuesday 08:30–17:00, Friday 08:30–16:00."""
    for weekday, start, end in OFFICE:
        ServiceWindow.objects.create(
            organisation=calendar.organisation,
            calendar=calendar,
            weekday=weekday,
            start_minute=start,
            end_minute=end,
        )
    return calendar


@pytest.fixture
def manager_a(make_member, org_a):
    return make_member(org_a, Role.MANAGER, username="manager-a")


@pytest.fixture
def operator_a(make_member, org_a):
    return make_member(org_a, Role.OPERATOR, username="operator-a")
