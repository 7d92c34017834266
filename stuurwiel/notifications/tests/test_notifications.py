"""E-mail notifications: who gets which e-mail for which event, the switch per
organisation, the outbox's sending and retries, and the admins' page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation

from stuurwiel.calls import services as calls
from stuurwiel.calls.choices import CallStatus, EventKind
from stuurwiel.calls.events import event_build, events_record
from stuurwiel.calls.tests.test_patterns import performer, register
from stuurwiel.core import clock
from stuurwiel.jobs.runner import run_pending_jobs
from stuurwiel.notifications.choices import NotificationKind, NotificationStatus
from stuurwiel.notifications.models import Notification, NotificationSetting
from stuurwiel.notifications.services import (
    notification_settings_set,
    notifications_send,
    retry_pause,
)
from stuurwiel.organisations.choices import Role
from stuurwiel.parties.models import Person

pytestmark = pytest.mark.django_db

SECRET_NOTE = "interne notitie: niet voor de burger"


class FailingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("the mail server is down")


def rows(kind: str):
    return list(Notification.objects.filter(kind=kind).order_by("id"))


def to_process_fulfilled(world, call, note: str = ""):
    """Complete steps until the work is delivered (the requester is asked)."""
    for _ in range(40):
        if call.status == CallStatus.PROCESS_FULFILLED:
            return call
        actor = performer(world, call)
        call = calls.call_transition(
            call=call, by=actor, transition="complete", version=call.version, note=note
        )
    raise AssertionError("the call was not delivered")


def test_the_requester_gets_an_email_when_their_call_is_registered(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call = register(world, "serviceverzoek")
    assert run_pending_jobs() >= 1  # the send job, enqueued after the commit
    (row,) = rows(NotificationKind.REGISTERED)
    assert row.status == NotificationStatus.SENT and row.attempts == 1
    assert row.recipient_user == world.requester
    sent = [m for m in mail.outbox if m.to == [world.requester.email]]
    assert len(sent) == 1
    assert call.number in sent[0].subject
    assert reverse("calls:my_calls", kwargs={"org": world.org.slug}) in sent[0].body


def test_a_requester_reporting_in_english_is_written_to_in_english_others_in_dutch(world):
    with translation.override("en"):
        register(world, "serviceverzoek")
    with translation.override("en"):
        calls.call_register(
            organisation=world.org,
            service=world.service,
            call_type="serviceverzoek",
            title="Aan de balie gemeld",
            by=world.desk,
            requester=world.requester,
            channel="counter",
        )
    own, on_behalf = rows(NotificationKind.REGISTERED)
    assert own.language == "en" and "registered" in own.subject
    assert on_behalf.language == "nl" and "registered" not in on_behalf.subject


def test_a_requester_without_an_account_is_written_to_at_the_contact_address(world):
    calls.call_register(
        organisation=world.org,
        service=world.service,
        call_type="serviceverzoek",
        title="Telefonisch gemeld",
        by=world.desk,
        requester_name="Mw. Jansen",
        requester_contact="jansen@example.org",
        channel="phone",
    )
    (row,) = rows(NotificationKind.REGISTERED)
    assert row.recipient_email == "jansen@example.org" and row.recipient_user is None


def test_the_requester_is_asked_to_confirm_without_seeing_internal_notes(world):
    call = to_process_fulfilled(world, register(world, "serviceverzoek"), note=SECRET_NOTE)
    assert internal_note_on(call, SECRET_NOTE)  # the note is on the call, internally
    (row,) = rows(NotificationKind.CONFIRM_REQUEST)
    assert row.recipient_email == world.requester.email
    assert call.number in row.subject
    assert SECRET_NOTE not in row.body and SECRET_NOTE not in row.subject
    for row in Notification.objects.filter(recipient_user=world.requester):
        assert SECRET_NOTE not in row.body


def internal_note_on(call, text):
    from stuurwiel.calls.models import CallEvent

    return CallEvent.objects.filter(call=call, text=text, public=False).exists()


def test_the_requester_hears_it_is_resolved_when_the_desk_confirms_on_their_behalf(world):
    call = to_process_fulfilled(world, register(world, "serviceverzoek"))
    calls.call_transition(call=call, by=world.desk, transition="confirm", version=call.version)
    (row,) = rows(NotificationKind.RESOLVED)
    assert row.recipient_user == world.requester


def test_a_requester_who_confirms_themselves_gets_no_resolved_email(world):
    call = to_process_fulfilled(world, register(world, "serviceverzoek"))
    calls.call_transition(call=call, by=world.requester, transition="confirm", version=call.version)
    assert rows(NotificationKind.RESOLVED) == []


def test_a_link_hears_of_a_hand_over_to_it_its_staff_with_an_address_only(world):
    call = register(world, "incident")
    silent = world.supplier.__class__.objects.create_user(username="zonder-adres")
    supplier = world.links.supplier.supplier
    Person.objects.create(organisation=world.org, name="Zonder", supplier=supplier, user=silent)
    calls.call_hand_over(
        call=call, to_link=world.links.supplier, by=world.desk, version=call.version, reason="Graag"
    )
    (row,) = rows(NotificationKind.HANDED_OVER)
    assert row.recipient_user == world.supplier
    assert call.number in row.subject
    assert "Graag" in row.body
    assert call.get_absolute_url() in row.body


def test_every_team_member_with_an_address_hears_of_a_hand_over_to_the_team(world):
    call = register(world, "incident")
    calls.call_hand_over(
        call=call, to_link=world.links.specialists, by=world.desk, version=call.version, reason="x"
    )
    got = {row.recipient_user for row in rows(NotificationKind.HANDED_OVER)}
    team = {p.user for p in Person.objects.filter(team=world.links.specialists.team)}
    assert got == team and world.specialist in got


def warn(world, call, link=None):
    """A 75 % warning event on ``call``, as the minute job records it."""
    with transaction.atomic():
        event = event_build(
            call,
            EventKind.CLOCK_WARNING,
            by=None,
            now=clock.now(),
            name="klok",
            link=link,
            text="Reactie van de keten: 50 van 60 minuten gebruikt.",
            data={"threshold": 75},
        )
        events_record(call, [event])


def test_the_call_coordinator_gets_the_75_percent_warning(world):
    call = register(world, "incident")
    call = calls.call_coordinate(call=call, by=world.coordinator, version=call.version)
    warn(world, call)
    (row,) = rows(NotificationKind.CLOCK_WARNING)
    assert row.recipient_user == world.coordinator
    assert "50 van 60" in row.body


def test_without_a_call_coordinator_the_links_team_coordinator_is_warned(world):
    team = world.links.specialists.team
    team.coordinator = Person.objects.get(user=world.team_coordinator)
    team.save()
    call = register(world, "incident")
    warn(world, call, link=world.links.specialists)
    (row,) = rows(NotificationKind.CLOCK_WARNING)
    assert row.recipient_user == world.team_coordinator


def test_a_kind_switched_off_is_not_written_for_that_organisation_only(world, org_b, make_member):
    from stuurwiel.calls.tests.conftest import build_world

    notification_settings_set(
        organisation=world.org, enabled={NotificationKind.REGISTERED: False}, by=None
    )
    register(world, "serviceverzoek")
    assert rows(NotificationKind.REGISTERED) == []
    other = build_world(org_b, make_member, prefix="b-")
    other.requester.email = "b@example.org"
    other.requester.save()
    register(other, "serviceverzoek")
    (row,) = rows(NotificationKind.REGISTERED)
    assert row.organisation == org_b
    notification_settings_set(
        organisation=world.org, enabled={NotificationKind.REGISTERED: True}, by=None
    )
    register(world, "serviceverzoek")
    assert len(rows(NotificationKind.REGISTERED)) == 2


def test_a_rolled_back_registration_leaves_no_email_behind(world):
    with pytest.raises(RuntimeError), transaction.atomic():
        register(world, "serviceverzoek")
        raise RuntimeError
    assert not Notification.objects.exists()


def test_a_failing_mail_server_marks_the_row_failed_and_it_is_retried_later(world, settings):
    register(world, "serviceverzoek")
    settings.EMAIL_BACKEND = "stuurwiel.notifications.tests.test_notifications.FailingBackend"
    report = notifications_send()
    assert (report.sent, report.failed) == (0, 1)
    (row,) = rows(NotificationKind.REGISTERED)
    assert row.status == NotificationStatus.FAILED and row.attempts == 1
    assert "down" in row.error
    assert notifications_send().failed == 0  # not due again yet
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    report = notifications_send(now=clock.now() + retry_pause(1))
    row.refresh_from_db()
    assert report.sent == 1
    assert row.status == NotificationStatus.SENT and row.attempts == 2 and row.error == ""
    assert len(mail.outbox) == 1


def test_a_sent_notification_is_not_sent_twice(world, mailoutbox):
    register(world, "serviceverzoek")
    notifications_send()
    notifications_send(now=clock.now() + timedelta(days=1))
    assert len(mailoutbox) == 1


def test_organisation_admins_switch_kinds_on_their_page_and_see_the_log(
    world, make_member, mailoutbox
):
    register(world, "serviceverzoek")
    admin = make_member(world.org, Role.ORGANISATION_ADMIN, username="beheer")
    client = Client()
    client.force_login(admin)
    url = reverse("notifications:settings", kwargs={"org": world.org.slug})
    page = client.get(url)
    assert page.status_code == 200
    assert Notification.objects.get().subject in page.content.decode()
    on = [k for k in NotificationKind.values if k != NotificationKind.HANDED_OVER]
    response = client.post(url, {**dict.fromkeys(on, "on"), "version": "1"})
    assert response.status_code == 302
    assert NotificationSetting.objects.get(kind=NotificationKind.HANDED_OVER).enabled is False
    assert NotificationSetting.objects.filter(enabled=True).count() == 0  # defaults stay rows-free


def test_a_save_over_someone_elses_change_is_refused_with_both_kept(world, make_member):
    admin = make_member(world.org, Role.ORGANISATION_ADMIN, username="beheer")
    client = Client()
    client.force_login(admin)
    url = reverse("notifications:settings", kwargs={"org": world.org.slug})
    everything = dict.fromkeys(NotificationKind.values, "on")
    # A colleague switched hand-over mails off after this admin opened the page.
    theirs = {k: "on" for k in NotificationKind.values if k != NotificationKind.HANDED_OVER}
    assert client.post(url, {**theirs, "version": "1"}).status_code == 302
    mine = {k: v for k, v in everything.items() if k != NotificationKind.REGISTERED}
    page = client.post(url, {**mine, "version": "1"})
    assert page.status_code == 409
    html = page.content.decode()
    with translation.override("nl"):
        assert "versie 2" in html and str(NotificationKind.HANDED_OVER.label) in html
    # Nothing of this admin's was written; their colleague's change stands.
    assert NotificationSetting.objects.get(kind=NotificationKind.HANDED_OVER).enabled is False
    assert not NotificationSetting.objects.filter(kind=NotificationKind.REGISTERED).exists()
    # The page keeps the admin's choices under the new version: saving again applies them.
    assert 'name="version" value="2"' in html
    assert client.post(url, {**mine, "version": "2"}).status_code == 302
    assert NotificationSetting.objects.get(kind=NotificationKind.REGISTERED).enabled is False
    assert NotificationSetting.objects.get(kind=NotificationKind.HANDED_OVER).enabled is True


def test_operators_may_not_open_the_notification_settings(world):
    client = Client()
    client.force_login(world.desk)
    url = reverse("notifications:settings", kwargs={"org": world.org.slug})
    assert client.get(url).status_code == 403
    assert client.post(url, {}).status_code == 403


def test_the_minute_job_warns_the_coordinator_by_email_through_the_worker(
    world, django_capture_on_commit_callbacks, mailoutbox
):
    from stuurwiel.calls.tests.test_warnings import call_used, every_day
    from stuurwiel.jobs.tasks import clock_sweep_job

    every_day(world)
    call, _norm = call_used(world, 0.8)
    calls.call_coordinate(call=call, by=world.coordinator, version=call.version)
    with django_capture_on_commit_callbacks(execute=True):
        clock_sweep_job.enqueue()
        assert run_pending_jobs() == 1  # the sweep records the warning and its e-mail
    assert run_pending_jobs() == 1  # the send job, enqueued after the sweep's commit
    (row,) = rows(NotificationKind.CLOCK_WARNING)
    assert row.status == NotificationStatus.SENT
    assert [m.to for m in mailoutbox if m.subject == row.subject] == [[world.coordinator.email]]
