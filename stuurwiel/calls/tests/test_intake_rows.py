"""The intake's fast writes and reads: the rows are exactly those the ORM writes,
and one intake stays within its statement budget."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stuurwiel.agreements.choices import MatrixKind
from stuurwiel.agreements.models import PriorityCell
from stuurwiel.calls import intake, services
from stuurwiel.calls.models import Call, CallEvent, LinkSegment
from stuurwiel.changelog.models import ChangeLogEntry
from stuurwiel.core import clock
from stuurwiel.notifications.models import Notification
from stuurwiel.organisations import access

pytestmark = pytest.mark.django_db

AT = datetime.datetime(2026, 12, 3, 9, 30, 15, 123456, tzinfo=datetime.UTC)


def _register(world, title: str = "De automaat is stuk", **extra) -> Call:
    values = {"impact": "medium", "urgency": "high", "description": "Hij geeft geen kaartje."}
    values.update(extra)
    return services.call_register(
        organisation=world.org,
        service=world.service,
        call_type="incident",
        title=title,
        by=world.requester,
        requester_contact="balie",
        category="parkeren",
        **values,
    )


def _rows(call: Call) -> dict[str, list[dict]]:
    """Every row the intake wrote for ``call``, read back from the database, with
    what differs between two calls by nature (ids, the number) made alike."""
    number, pk = call.number, call.pk

    def plain(value):
        if isinstance(value, str):
            return value.replace(number, "<number>").replace(f"/{pk}/", "/<pk>/")
        if isinstance(value, dict):
            return {key: plain(item) for key, item in value.items()}
        return value

    def read(queryset, *leave_out: str) -> list[dict]:
        return [
            {key: plain(value) for key, value in row.items() if key not in ("id", *leave_out)}
            for row in queryset.order_by("id").values()
        ]

    events = CallEvent.objects.filter(call=call)
    return {
        "call": read(Call.objects.filter(pk=pk)),
        "events": read(events, "call_id"),
        "segments": read(LinkSegment.objects.filter(call=call), "call_id"),
        "change_log": read(
            ChangeLogEntry.objects.filter(object_id=pk, content_type__model="call"),
            "object_id",
            "correlation_id",
        ),
        "outbox": read(Notification.objects.filter(call_id=pk), "call_id", "event_id"),
    }


def _register_at(world, *, orm: bool, monkeypatch) -> Call:
    monkeypatch.setattr(intake, "USE_ORM", orm)
    with clock.at(AT), mock.patch("django.utils.timezone.now", return_value=AT):
        return _register(world)


@pytest.mark.parametrize("own_cell", [False, True])
def test_the_fast_intake_writes_exactly_the_rows_the_orm_writes(world, monkeypatch, own_cell):
    world.requester.email = "requester@example.org"  # so the outbox gets its row
    world.requester.save()
    if own_cell:  # the organisation's own cell, not the library's default
        PriorityCell.objects.create(
            organisation=world.org, matrix=MatrixKind.CALL, row="medium", column="high", priority=1
        )
    orm = _register_at(world, orm=True, monkeypatch=monkeypatch)
    fast = _register_at(world, orm=False, monkeypatch=monkeypatch)
    assert fast.number != orm.number and fast.pk != orm.pk
    expected, written = _rows(orm), _rows(fast)
    for kind in ("call", "events", "segments", "change_log", "outbox"):
        assert expected[kind], kind  # each kind of row is there to compare
        assert len(written[kind]) == len(expected[kind]), kind
        for want, got in zip(expected[kind], written[kind], strict=True):
            for field, value in want.items():
                assert got[field] == value, (kind, field)
    assert written["call"][0]["priority"] == (1 if own_cell else expected["call"][0]["priority"])
    # the instance returned is the one written: its id and its saved state
    assert not fast._state.adding
    assert Call.objects.get(pk=fast.pk).number == fast.number


def test_one_intake_reads_in_one_statement(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _register(world)  # the workflow snapshot and the chain are known now
    access.access_for(world.requester, world.org)  # as in a request
    with CaptureQueriesContext(connection) as context:
        _register(world, title="Nog een")
    statements = [q["sql"] for q in context.captured_queries if "SAVEPOINT" not in q["sql"]]
    if connection.vendor == "postgresql":
        # the reads with the number and the ids; then every row in one statement
        reads, writes = statements
        assert reads.startswith("WITH n AS (UPDATE") and "nextval(" in reads
        for table in ("calls_call", "calls_callevent", "calls_linksegment"):
            assert f'INSERT INTO "{table}"' in writes, table
        assert "INSERT INTO notifications_notification" in writes
        assert 'INSERT INTO "changelog_changelogentry"' in writes
        return
    selects = [sql for sql in statements if sql.lstrip().upper().startswith("SELECT")]
    assert len(selects) == 1, selects
    # the reads, the number, the call, its segment, event, outbox row and log entry
    assert len(statements) <= 7, statements


def test_the_gathered_intake_queues_the_e_mail_only_when_a_row_was_written(
    world, django_capture_on_commit_callbacks
):
    def sends(callbacks) -> int:
        return sum("notifications_send_job" in repr(callback) for callback in callbacks)

    world.requester.email = "requester@example.org"
    world.requester.save()
    with django_capture_on_commit_callbacks() as queued:
        _register(world)
    assert Notification.objects.count() == 1 and sends(queued) == 1
    world.requester.email = ""  # no address: no outbox row, nothing to send
    world.requester.save()
    with django_capture_on_commit_callbacks() as queued:
        _register(world, title="Zonder adres")
    assert Notification.objects.count() == 1 and sends(queued) == 0


def test_a_level_outside_the_matrix_is_still_refused(world):
    with pytest.raises(services.ValidationError) as refused:
        _register(world, impact="enorm", urgency="high")
    assert "impact" in refused.value.message_dict
