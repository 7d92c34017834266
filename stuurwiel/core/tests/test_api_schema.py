import pytest
import yaml

pytestmark = pytest.mark.django_db


def test_schema_lists_organisation_endpoints_with_token_auth(client, admin_a):
    client.force_login(admin_a)
    response = client.get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert "/api/o/{org}/parties/teams/" in schema["paths"]
    assert "tokenAuth" in schema["components"]["securitySchemes"]


def test_browsable_docs_use_local_assets(client, admin_a):
    client.force_login(admin_a)
    response = client.get("/api/docs/")
    assert response.status_code == 200
    assert "cdn.jsdelivr" not in response.content.decode()
