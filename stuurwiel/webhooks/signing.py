"""Standard Webhooks signing: the secret and the three headers.

The signature itself is the ``standardwebhooks`` package's (HMAC-SHA256 over
``<id>.<timestamp>.<body>``), so a receiver can verify with any Standard
Webhooks library; only the secret's making is ours.
"""

from __future__ import annotations

import base64
import secrets
from datetime import UTC, datetime

from standardwebhooks.webhooks import Webhook

SECRET_PREFIX = "whsec_"
SECRET_BYTES = 32  # 256 bits, as long as the HMAC-SHA256 key can use


def secret_generate() -> str:
    """A new random secret in the Standard Webhooks format ``whsec_<base64>``."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii")


def signed_headers(*, secret: str, message_id: str, at: datetime, body: str) -> dict[str, str]:
    """The headers of one attempt: its id (the same on every retry), the moment
    of sending (whole seconds, UTC) and the signature over the exact body."""
    # The package reads the timestamp as UTC whatever its zone: convert first.
    moment = at.astimezone(UTC)
    signature = Webhook(secret).sign(msg_id=message_id, timestamp=moment, data=body)
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(moment.timestamp())),
        "webhook-signature": signature,
    }
