"""Settings for the test suite: the real settings plus a fixed key, a fast hasher and
no kept database connections (a connection kept by a live-server thread would hold
the test database open when pytest drops it)."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")

from stuurwiel.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
