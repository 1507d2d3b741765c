"""Signing secrets and signatures: Standard Webhooks 1.0 (``webhook-id``,
``webhook-timestamp``, ``webhook-signature``) with the standard library's HMAC-SHA256.

A secret is 32 random bytes, shown once as ``whsec_`` + base64 (the Standard Webhooks form);
every signature is keyed with the decoded bytes. While a rotated-out secret is still valid,
each message carries a signature by each secret, space-separated.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Sequence

PREFIX = "whsec_"
SECRET_BYTES = 32


def new_secret() -> bytes:
    return secrets.token_bytes(SECRET_BYTES)


def shown(secret: bytes) -> str:
    """The secret as the account sees it, once."""
    return PREFIX + base64.b64encode(secret).decode()


def standard_signature(secret: bytes, message_id: str, timestamp: int, body: bytes) -> str:
    """``v1,`` + base64 HMAC-SHA256 of ``id.timestamp.body``."""
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret, signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def hex_signature(secret: bytes, body: bytes) -> str:
    """Lower-case hex HMAC-SHA256 of the body alone (a dialect's own header may use it)."""
    return hmac.new(secret, body, hashlib.sha256).hexdigest()


def headers(
    message_id: str, timestamp: int, body: bytes, signing: Sequence[bytes]
) -> dict[str, str]:
    """The Standard Webhooks headers of one attempt, signed by each secret in ``signing``."""
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join(
            standard_signature(secret, message_id, timestamp, body) for secret in signing
        ),
    }
