"""What leaves the system because something happened to a call.

:func:`events_recorded` is called by :func:`stuurwiel.calls.events.events_record`
inside the writing transaction, with the stored events. Each consumer named here
(explicitly: no signals) turns the events it cares about into its own outbox rows
in the same transaction and sends them from a background job after the commit, so
a rolled-back write sends nothing and a receiver that is down blocks no call.
"""

from __future__ import annotations

from collections.abc import Sequence

from stuurwiel.calls.models import Call, CallEvent


def events_recorded(call: Call, events: Sequence[CallEvent]) -> None:
    """Hand the stored ``events`` of ``call`` to each consumer, in order."""
    # Consumers (each one line): notifications (e-mail), webhooks (suppliers). Imported
    # here: both apps read the calls app's models, which import this module.
    from stuurwiel.notifications.outbox import notifications_record
    from stuurwiel.webhooks.outbox import deliveries_queue

    notifications_record(call, events)
    deliveries_queue(call, events)
