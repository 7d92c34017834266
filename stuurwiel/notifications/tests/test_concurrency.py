"""Concurrent changes of one organisation's switches at one version: exactly one
wins, the others get a conflict (PostgreSQL: real row locks across connections)."""

from __future__ import annotations

import pytest
from django.db import connection

from stuurwiel.calls.tests.test_concurrency import _race
from stuurwiel.core.exceptions import ConflictError
from stuurwiel.notifications import selectors
from stuurwiel.notifications.choices import NotificationKind
from stuurwiel.notifications.models import NotificationSetting
from stuurwiel.notifications.services import notification_settings_set

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def test_ten_admins_switching_at_one_version_one_wins(org_a, admin_a):
    kinds = NotificationKind.values

    def attempt(index):
        kind = kinds[index % len(kinds)]
        return notification_settings_set(
            organisation=org_a, enabled={kind: False}, by=admin_a, version=1
        )

    outcomes = _race(10, attempt)
    winners = [o for o in outcomes if isinstance(o, list)]
    assert len(winners) == 1, [type(o).__name__ for o in outcomes]
    assert all(isinstance(o, ConflictError) for o in outcomes if not isinstance(o, list))
    assert NotificationSetting.objects.filter(organisation=org_a).count() == 1
    assert selectors.settings_version(org_a) == 2
