"""The notification switches through the API: read, change with the version
read, a conflict when someone changed them meanwhile, and who may do it."""

from __future__ import annotations

import pytest
from django.utils import translation

from stuurwiel.changelog.models import ChangeLogEntry
from stuurwiel.notifications.choices import NotificationKind
from stuurwiel.notifications.models import NotificationSetting
from stuurwiel.notifications.services import notification_settings_set
from stuurwiel.organisations.choices import Role

pytestmark = pytest.mark.django_db

ALL_ON = dict.fromkeys(NotificationKind.values, True)


def url(org) -> str:
    return f"/api/o/{org.slug}/notifications/settings/"


def test_an_admin_reads_every_kind_on_at_version_1(org_a, admin_a, api_client):
    response = api_client(admin_a).get(url(org_a))
    assert response.status_code == 200
    assert response.json() == {"version": 1, **ALL_ON}
    assert response["ETag"] == '"1"'


def test_a_patch_with_the_version_read_switches_only_the_kinds_named(org_a, admin_a, api_client):
    client = api_client(admin_a)
    response = client.patch(
        url(org_a), {"version": 1, NotificationKind.HANDED_OVER: False}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json() == {"version": 2, **ALL_ON, NotificationKind.HANDED_OVER: False}
    assert response["ETag"] == '"2"'
    assert NotificationSetting.objects.get(organisation=org_a).kind == NotificationKind.HANDED_OVER
    record = ChangeLogEntry.objects.get(
        organisation=org_a, content_type__model="notificationsetting"
    )
    assert (record.before, record.after) == ({"enabled": True}, {"enabled": False})
    assert client.get(url(org_a)).json()[NotificationKind.HANDED_OVER] is False


def test_the_version_may_come_as_if_match(org_a, admin_a, api_client):
    response = api_client(admin_a).patch(
        url(org_a), {NotificationKind.REGISTERED: False}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert response.status_code == 200
    assert response.json()["version"] == 2


def test_a_stale_version_is_a_conflict_and_changes_nothing(org_a, admin_a, api_client):
    notification_settings_set(
        organisation=org_a, enabled={NotificationKind.RESOLVED: False}, by=admin_a
    )  # someone else, on the page: version 2
    response = api_client(admin_a).patch(
        url(org_a), {"version": 1, NotificationKind.REGISTERED: False}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["current_version"] == 2
    assert "2" in response.json()["detail"]
    assert not NotificationSetting.objects.filter(kind=NotificationKind.REGISTERED).exists()


def test_a_patch_that_changes_nothing_keeps_the_version(org_a, admin_a, api_client):
    response = api_client(admin_a).patch(
        url(org_a), {"version": 1, NotificationKind.REGISTERED: True}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["version"] == 1


def test_without_a_version_the_patch_is_refused_in_dutch(org_a, admin_a, api_client):
    client = api_client(admin_a)
    with translation.override("nl"):
        response = client.patch(
            url(org_a),
            {NotificationKind.REGISTERED: False},
            format="json",
            HTTP_ACCEPT_LANGUAGE="nl",
        )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {
        "version": ["Geef de versie op die je hebt gelezen (veld of If-Match-header)."]
    }
    assert not NotificationSetting.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"version": 1, "sms": False}, "sms"),
        ({"version": 1, NotificationKind.REGISTERED: "perhaps"}, NotificationKind.REGISTERED),
        ({"version": "one", NotificationKind.REGISTERED: False}, "version"),
    ],
)
def test_unknown_kinds_and_bad_values_are_400_with_the_field_named(
    org_a, admin_a, api_client, body, field
):
    response = api_client(admin_a).patch(url(org_a), body, format="json")
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert not NotificationSetting.objects.exists()


def test_an_unknown_kind_lists_the_kinds(org_a, admin_a, api_client):
    response = api_client(admin_a).patch(url(org_a), {"version": 1, "sms": True}, format="json")
    assert "handed_over" in response.json()["sms"][0]


@pytest.mark.parametrize("role", [Role.OPERATOR, Role.AUDITOR, Role.ARCHITECT])
def test_members_without_the_settings_permission_get_403_on_read_and_write(
    org_a, make_member, api_client, role
):
    client = api_client(make_member(org_a, role))
    assert client.get(url(org_a)).status_code == 403
    response = client.patch(
        url(org_a), {"version": 1, NotificationKind.REGISTERED: False}, format="json"
    )
    assert response.status_code == 403
    assert "detail" in response.json()
    assert not NotificationSetting.objects.exists()


def test_another_organisations_admin_gets_404(org_a, admin_b, api_client):
    client = api_client(admin_b)
    assert client.get(url(org_a)).status_code == 404
    response = client.patch(
        url(org_a), {"version": 1, NotificationKind.REGISTERED: False}, format="json"
    )
    assert response.status_code == 404


def test_anonymous_callers_are_refused(org_a, client):
    assert client.get(url(org_a)).status_code in (401, 403)


def test_the_schema_documents_the_endpoint():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    path = schema["paths"]["/api/o/{org}/notifications/settings/"]
    assert set(path) >= {"get", "patch"}
    assert "409" in path["patch"]["responses"]
