import pytest

from stuurwiel.changelog.models import ChangeLogEntry
from stuurwiel.parties.models import Team

pytestmark = pytest.mark.django_db


def test_api_create_and_update_need_version(api_client, admin_a, org_a):
    api = api_client(admin_a)
    created = api.post("/api/o/alfa/parties/teams/", {"name": "Team Belastingen"}, format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    missing = api.patch(f"/api/o/alfa/parties/teams/{pk}/", {"code": "BEL"}, format="json")
    assert missing.status_code == 400 and "version" in missing.json()
    ok = api.patch(f"/api/o/alfa/parties/teams/{pk}/", {"code": "BEL", "version": 1}, format="json")
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = api.patch(
        f"/api/o/alfa/parties/teams/{pk}/", {"code": "X", "version": 1}, format="json"
    )
    assert stale.status_code == 409
    assert list(ChangeLogEntry.objects.values_list("action", "source")) == [
        ("update", "api"),
        ("create", "api"),
    ]


def test_api_other_organisation_is_404(api_client, admin_a, org_b):
    team = Team.objects.create(organisation=org_b, name="Geheim")
    api = api_client(admin_a)
    assert api.get("/api/o/beta/parties/teams/").status_code == 404
    assert api.get(f"/api/o/alfa/parties/teams/{team.pk}/").status_code == 404


def test_api_auditor_may_read_not_write(api_client, auditor_a, org_a):
    api = api_client(auditor_a)
    assert api.get("/api/o/alfa/parties/teams/").status_code == 200
    assert api.post("/api/o/alfa/parties/teams/", {"name": "X"}, format="json").status_code == 403
