"""Two requests adding overlapping windows at the same moment: the second waits for
the first (the calendar row is locked) and is then refused; both never land.

PostgreSQL only: SQLite runs one writing transaction at a time anyway."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction

from stuurwiel.calendars import services
from stuurwiel.calendars.models import BusinessCalendar, ServiceWindow

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def _waiting_for_a_lock() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def test_the_second_of_two_overlapping_windows_waits_and_is_refused(org_a, manager_a):
    calendar = BusinessCalendar.objects.create(organisation=org_a, name="Kantooruren")
    inserted, commit = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def add(name, start, end, hold=False):
        try:
            with transaction.atomic():
                services.window_create(
                    organisation=org_a,
                    by=manager_a,
                    data={
                        "calendar": calendar,
                        "weekday": 1,
                        "start_minute": start,
                        "end_minute": end,
                    },
                )
                if hold:  # keep the transaction open until the other request waits
                    inserted.set()
                    commit.wait(timeout=30)
            outcome[name] = "saved"
        except ValidationError as exc:
            outcome[name] = exc.message_dict
        finally:
            connections.close_all()

    first = threading.Thread(target=add, args=("first", 510, 720, True))
    first.start()
    assert inserted.wait(timeout=30)
    second = threading.Thread(target=add, args=("second", 600, 900))
    second.start()
    waited = False
    for _ in range(300):  # until the second request blocks on the lock (at most ~30 s)
        if _waiting_for_a_lock():
            waited = True
            break
        second.join(timeout=0.1)
        if not second.is_alive():
            break
    commit.set()
    first.join(timeout=30)
    second.join(timeout=30)
    assert waited, "the second request did not wait for the calendar's lock"
    assert outcome["first"] == "saved"
    assert "start_minute" in outcome["second"]
    assert ServiceWindow.objects.filter(calendar=calendar).count() == 1
