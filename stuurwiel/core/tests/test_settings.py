"""The production settings keep database connections, with a health check; the
test settings do not (a connection kept by a live-server thread holds the test
database open)."""

import json
import os
import subprocess
import sys

from django.conf import settings


def _production_database(**env) -> dict:
    """The default database settings as ``stuurwiel.settings`` builds them from ``env``."""
    code = (
        "import json; from stuurwiel import settings; "
        "d = settings.DATABASES['default']; "
        "print(json.dumps({k: d[k] for k in ('CONN_MAX_AGE', 'CONN_HEALTH_CHECKS')}))"
    )
    environ = {k: v for k, v in os.environ.items() if not k.startswith("DATABASE_")}
    environ.update(SECRET_KEY="only-for-this-test", DATABASE_URL="sqlite:///:memory:", **env)
    out = subprocess.run(
        [sys.executable, "-c", code], env=environ, capture_output=True, text=True, check=True
    ).stdout
    return json.loads(out)


def test_production_keeps_connections_and_checks_them_before_reuse():
    assert _production_database() == {"CONN_MAX_AGE": 600, "CONN_HEALTH_CHECKS": True}


def test_connection_keeping_is_set_from_the_environment():
    found = _production_database(DATABASE_CONN_MAX_AGE="0", DATABASE_CONN_HEALTH_CHECKS="off")
    assert found == {"CONN_MAX_AGE": 0, "CONN_HEALTH_CHECKS": False}


def test_the_test_suite_opens_a_connection_per_request():
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] == 0
