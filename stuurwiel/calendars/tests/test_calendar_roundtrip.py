"""A calendar stored as rows and read back measures like a calendar built from the
same windows directly: the model loses nothing on the way (property test)."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stuurwiel.calendars import selectors
from stuurwiel.calendars.businesstime import Calendar, business_duration
from stuurwiel.calendars.models import BusinessCalendar, ClosedDay, ServiceWindow, minutes_label

pytestmark = pytest.mark.django_db

# Per weekday: an even number of distinct bounds in 0..1440, paired into windows.
day_windows = st.lists(st.integers(min_value=0, max_value=1440), unique=True, max_size=6).map(
    lambda bounds: sorted(bounds)[: len(bounds) // 2 * 2]
)
week = st.fixed_dictionaries(dict.fromkeys(range(1, 8), day_windows))
closed_days = st.dictionaries(
    st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 12, 31)), st.booleans(), max_size=8
)
zones = st.sampled_from(["Europe/Amsterdam", "Europe/London", "UTC", "America/New_York"])


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(bounds=week, closed=closed_days, zone=zones)
def test_rows_read_back_measure_like_the_windows_they_were_made_from(org_a, bounds, closed, zone):
    spans = {
        weekday: list(zip(values[::2], values[1::2], strict=True))
        for weekday, values in bounds.items()
    }
    with transaction.atomic():
        calendar = BusinessCalendar.objects.create(organisation=org_a, name="Eigen", time_zone=zone)
        ServiceWindow.objects.bulk_create(
            ServiceWindow(
                organisation=org_a, calendar=calendar, weekday=day, start_minute=s, end_minute=e
            )
            for day, pairs in spans.items()
            for s, e in pairs
        )
        ClosedDay.objects.bulk_create(
            ClosedDay(organisation=org_a, calendar=calendar, date=d, name="Dicht", active=active)
            for d, active in closed.items()
        )
        stored = selectors.business_calendar(selectors.calendar_queryset().get(pk=calendar.pk))
        transaction.set_rollback(True)
    direct = Calendar(
        {
            day: [(minutes_label(s), minutes_label(e)) for s, e in pairs]
            for day, pairs in spans.items()
            if pairs
        },
        time_zone=zone,
        closed=[d for d, active in closed.items() if active],
    )
    assert stored.windows == direct.windows
    assert stored.closed_ordinals == direct.closed_ordinals
    assert stored.zone == direct.zone
    start = datetime(2026, 3, 23, tzinfo=UTC)
    end = start + timedelta(days=14)  # across the spring change of both European zones
    assert business_duration(stored, start, end) == business_duration(direct, start, end)
