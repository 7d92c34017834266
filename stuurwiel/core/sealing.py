"""Secrets the server must read back, sealed at rest.

A webhook's signing secret is the HMAC key itself: it cannot be hashed like a
password, so it is encrypted in the database with Fernet (AES-128-CBC with
HMAC-SHA256, from the ``cryptography`` package) and opened only to sign.

Keys: ``STUURWIEL_SEALING_KEYS``, a comma-separated list of Fernet keys
(``python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"``).
The first seals; every key opens, so a new key is put first and the old ones
stay until ``manage.py secrets_reseal`` has sealed everything again. Without the
setting the key is derived from ``SECRET_KEY`` (HKDF-SHA256): enough for the
demo, but then rotating ``SECRET_KEY`` makes the stored secrets unreadable —
production sets its own keys.

A stored value starts with :data:`PREFIX`; anything else is taken to be a value
from before sealing (the migration seals those) and is returned as it is.
"""

from __future__ import annotations

import base64
import functools

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

PREFIX = "sealed:"


class UnsealError(Exception):
    """A sealed value that none of the configured keys opens."""


def _derived_key(secret_key: str) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"stuurwiel sealing v1")
    return base64.urlsafe_b64encode(hkdf.derive(secret_key.encode("utf-8")))


@functools.cache
def _fernets_for(keys: tuple[str, ...], secret_key: str) -> tuple[Fernet, ...]:
    try:
        fernets = [Fernet(key.encode("ascii")) for key in keys] or [
            Fernet(_derived_key(secret_key))
        ]
    except ValueError as exc:
        raise ImproperlyConfigured(
            "STUURWIEL_SEALING_KEYS holds a value that is not a Fernet key "
            "(32 url-safe base64-encoded bytes)."
        ) from exc
    return tuple(fernets)


def _fernets() -> tuple[Fernet, ...]:
    keys = tuple(getattr(settings, "STUURWIEL_SEALING_KEYS", ()) or ())
    return _fernets_for(keys, settings.SECRET_KEY)


def _fernet() -> MultiFernet:
    return MultiFernet(list(_fernets()))


def seal(value: str) -> str:
    """``value`` encrypted with the first key, as stored text."""
    return PREFIX + _fernet().encrypt(value.encode("utf-8")).decode("ascii")


def unseal(stored: str) -> str:
    """The value of :func:`seal`'s output (a value from before sealing as it is)."""
    if not stored.startswith(PREFIX):
        return stored
    try:
        return _fernet().decrypt(stored[len(PREFIX) :].encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise UnsealError(
            _(
                "The stored secret cannot be opened with the configured keys "
                "(STUURWIEL_SEALING_KEYS or SECRET_KEY changed?). Rotate the secret."
            )
        ) from exc


def is_sealed_with_first_key(stored: str) -> bool:
    """Whether ``stored`` is sealed and needs no resealing under the first key."""
    if not stored.startswith(PREFIX):
        return False
    token = stored[len(PREFIX) :].encode("ascii")
    first = _fernets()[0]
    try:
        first.decrypt(token)
    except InvalidToken:
        return False
    return True


def reseal(stored: str) -> str:
    """``stored`` sealed again under the first key (after a key was added)."""
    return seal(unseal(stored))
