"""Standard Webhooks signatures (https://www.standardwebhooks.com): `v1,` HMAC-SHA256 over `id.timestamp.body`."""

from __future__ import annotations

import base64
import secrets
from datetime import UTC, datetime

from standardwebhooks import Webhook

SECRET_PREFIX = "whsec_"  # noqa: S105 - the Standard Webhooks prefix, not a secret
SECRET_BYTES = 32


def secret_generate() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii")


def signed_headers(*, secrets_: list[str], webhook_id: str, at: datetime, body: str) -> dict[str, str]:
    """Headers for one attempt. With two secrets (a rotation in its grace period) the signature header carries
    two space-separated signatures, so receivers holding either secret verify."""
    at = at.astimezone(UTC)
    return {
        "webhook-id": webhook_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": " ".join(Webhook(secret).sign(webhook_id, at, body) for secret in secrets_),
        "content-type": "application/json",
    }
