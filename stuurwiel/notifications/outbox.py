"""From call events to outbox rows: the notifications consumer of
:func:`stuurwiel.calls.outbound.events_recorded`.

Inside the writing transaction each event that notifies someone becomes
:class:`~stuurwiel.notifications.models.Notification` rows, one per recipient, and a
job to send them is enqueued for after the commit (a rolled-back write sends
nothing). Which events notify whom:

- registered → the requester (their user's e-mail, else an e-mail address given as
  contact);
- the root process fulfilled (the work is delivered) → the requester is asked to
  confirm it is resolved, or to reopen it;
- confirmed (workflow fulfilled: resolved) → the requester, unless they confirmed it
  themselves;
- handed over → the members of the link's team, or its supplier's staff, with an
  e-mail address;
- a 75 % clock warning → the call's workflow coordinator, else the team coordinator of
  the link whose clock it is (or that holds the call).

Cheap on purpose (a transition has a budget of 10 statements): however many events
and recipients, all rows are written by ONE ``INSERT … SELECT`` that reads the
recipients' addresses and leaves out the kinds the organisation switched off; the
texts are rendered here, in the recipient's language where it is known (the
requester reporting in the portal), else Dutch. Requesters' e-mails carry only what
the requester may see (never internal notes). Events recorded for a moment more
than :data:`HISTORY` ago (a history built through ``core.clock``, as the demo does)
notify no one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from stuurwiel.calls.choices import CallStatus, EventKind
from stuurwiel.calls.models import Call, CallEvent
from stuurwiel.core import clock, gathered
from stuurwiel.jobs.runner import enqueue_on_commit
from stuurwiel.notifications.choices import NotificationKind, NotificationStatus
from stuurwiel.notifications.models import Notification, NotificationSetting

HISTORY = timedelta(hours=1)


@dataclass(frozen=True)
class Recipients:
    """Where the addresses come from: ``("user", id)``, ``("email", address)``,
    ``("team", id)``, ``("supplier", id)`` or ``("team_coordinator", team id)``."""

    source: str
    value: int | str


@dataclass(frozen=True)
class Planned:
    kind: str
    event: CallEvent
    recipients: Recipients
    language: str
    subject: str
    body: str


# --- Who, and what ------------------------------------------------------------------


def _requester(call: Call) -> Recipients | None:
    if call.requester_id:
        return Recipients("user", call.requester_id)
    contact = (call.requester_contact or "").strip()
    if "@" in contact and " " not in contact:
        return Recipients("email", contact)
    return None


def _link(link) -> Recipients | None:
    if link is None:
        return None
    if link.team_id:
        return Recipients("team", link.team_id)
    if link.supplier_id:
        return Recipients("supplier", link.supplier_id)
    return None


def _coordinator(call: Call, event: CallEvent) -> Recipients | None:
    if call.coordinator_id:
        return Recipients("user", call.coordinator_id)
    link = event.link if event.link_id else call.current_link
    if link is not None and link.team_id:
        return Recipients("team_coordinator", link.team_id)
    return None


def _root_run(call: Call) -> int:
    from stuurwiel.workflow import engine

    return engine.state_from_data(call.state).root.number


def _who(call: Call, event: CallEvent) -> tuple[str, Recipients | None] | None:
    """The kind and recipients ``event`` notifies, or None."""
    kind = event.kind
    if kind == EventKind.REGISTERED:
        return NotificationKind.REGISTERED, _requester(call)
    if kind == EventKind.PROCESS_FULFILLED and event.run == _root_run(call):
        return NotificationKind.CONFIRM_REQUEST, _requester(call)
    if kind == EventKind.CONFIRMED and not (event.actor_id and event.actor_id == call.requester_id):
        return NotificationKind.RESOLVED, _requester(call)
    if kind == EventKind.HANDED_OVER and event.to_link_id:
        return NotificationKind.HANDED_OVER, _link(event.to_link)
    if kind in (EventKind.CLOCK_WARNING, EventKind.CLOCK_BREACHED) and (
        call.status != CallStatus.CLOSED
    ):
        # One switch for both: a norm passed in one go (a call paused past it, a
        # sweep after a stop) is told as exceeded, never as "nearly used".
        return NotificationKind.CLOCK_WARNING, _coordinator(call, event)
    return None


def _language(kind: str, call: Call, event: CallEvent) -> str:
    """The requester reporting for themselves chose the page's language; for the
    others no language is known: Dutch (the platform's first language)."""
    active = translation.get_language() or ""
    known = any(active.startswith(code) for code, _name in settings.LANGUAGES)
    if kind == NotificationKind.REGISTERED and event.actor_id == call.requester_id and known:
        return active[:2]
    return settings.LANGUAGE_CODE


def _links(call: Call) -> dict[str, str]:
    base = settings.STUURWIEL_BASE_URL.rstrip("/")
    slug = call.organisation.slug
    return {
        "portal_url": base + reverse("calls:my_calls", kwargs={"org": slug}),
        "call_url": base + call.get_absolute_url(),
    }


SUBJECTS = {
    NotificationKind.REGISTERED: lambda: _("[{number}] Your call has been registered: {title}"),
    NotificationKind.CONFIRM_REQUEST: lambda: _(
        "[{number}] Is it resolved? Please confirm: {title}"
    ),
    NotificationKind.RESOLVED: lambda: _("[{number}] Your call is resolved: {title}"),
    NotificationKind.HANDED_OVER: lambda: _("[{number}] Handed over to {link}: {title}"),
    NotificationKind.CLOCK_WARNING: lambda: _("[{number}] Norm nearly used (75 %): {title}"),
}
#: The breach is told under the warning's switch, with its own subject.
BREACH_SUBJECT = lambda: _("[{number}] Norm exceeded: {title}")  # noqa: E731


def _texts(kind: str, call: Call, event: CallEvent, language: str) -> tuple[str, str]:
    context = {
        "call": call,
        "event": event,
        "number": call.number,
        "title": call.title,
        "link": str(event.to_link) if event.to_link_id else "",
        "organisation": call.organisation.name,
        **_links(call),
    }
    with translation.override(language):
        chosen = BREACH_SUBJECT if event.kind == EventKind.CLOCK_BREACHED else SUBJECTS[kind]
        subject = chosen().format(number=call.number, title=call.title, link=context["link"])
        body = render_to_string(f"notifications/email/{kind}.txt", context)
    return subject[:300], body


def notifications_plan(call: Call, events: Sequence[CallEvent]) -> list[Planned]:
    """What ``events`` notify (no database access for a transition's events)."""
    planned = []
    recent = timezone.now() - HISTORY  # the real time: core.clock may be set in the past
    for event in events:
        found = _who(call, event)
        if found is None or found[1] is None or event.at < recent:
            continue
        kind, recipients = found
        language = _language(kind, call, event)
        subject, body = _texts(kind, call, event, language)
        planned.append(Planned(kind, event, recipients, language, subject, body))
    return planned


# --- One statement ------------------------------------------------------------------


def _source_sql(recipients: Recipients) -> tuple[str, list]:
    users = get_user_model()._meta.db_table
    from stuurwiel.parties.models import Person, Team

    people, teams = Person._meta.db_table, Team._meta.db_table
    active = " AND u.email <> '' AND u.is_active = %s"
    if recipients.source == "email":
        return "SELECT %s AS email, CAST(NULL AS BIGINT) AS user_id", [recipients.value]
    if recipients.source == "user":
        sql = f"SELECT u.email AS email, u.id AS user_id FROM {users} u WHERE u.id = %s"
        return sql + active, [recipients.value, True]
    if recipients.source in ("team", "supplier"):
        sql = (
            f"SELECT u.email AS email, MIN(u.id) AS user_id FROM {people} p "
            f"JOIN {users} u ON u.id = p.user_id WHERE p.{recipients.source}_id = %s"
        )
        return sql + active + " GROUP BY u.email", [recipients.value, True]
    sql = (
        f"SELECT u.email AS email, u.id AS user_id FROM {teams} t "
        f"JOIN {people} p ON p.id = t.coordinator_id JOIN {users} u ON u.id = p.user_id "
        "WHERE t.id = %s"
    )
    return sql + active, [recipients.value, True]


COLUMNS = (
    "organisation_id, call_id, event_id, kind, recipient_email, recipient_user_id, language, "
    "subject, body, status, attempts, created_at, next_attempt_at, error"
)


def _insert(call: Call, planned: Sequence[Planned], then: Callable[[int], object]) -> None:
    outbox, switches = Notification._meta.db_table, NotificationSetting._meta.db_table
    now = clock.now()
    selects, params = [], []
    for item in planned:
        source, source_params = _source_sql(item.recipients)
        selects.append(
            "SELECT %s, %s, %s, %s, r.email, r.user_id, %s, %s, %s, %s, 0, %s, %s, '' "
            f"FROM ({source}) r WHERE NOT EXISTS (SELECT 1 FROM {switches} s "
            "WHERE s.organisation_id = %s AND s.kind = %s AND s.enabled = %s)"
        )
        params += [call.organisation_id, call.pk, item.event.pk, item.kind]
        params += [item.language, item.subject, item.body, NotificationStatus.PENDING, now, now]
        params += source_params
        params += [call.organisation_id, item.kind, False]
    sql = f"INSERT INTO {outbox} ({COLUMNS}) " + " UNION ALL ".join(selects)
    # Inside an intake's gathering (PostgreSQL) this goes out with the call's rows.
    gathered.write(sql, params, then=then)


def _enqueue(written: int) -> None:
    from stuurwiel.notifications.tasks import notifications_send_job

    if written:
        enqueue_on_commit(notifications_send_job)


def notifications_record(call: Call, events: Sequence[CallEvent]) -> None:
    """The consumer: outbox rows for ``events`` (one statement), and their
    sending enqueued for after the commit when it wrote any."""
    planned = notifications_plan(call, events)
    if planned:
        _insert(call, planned, then=_enqueue)
