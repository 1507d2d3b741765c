"""Hashing the secrets OpenPaws makes (API keys, client secrets, tokens)."""

from __future__ import annotations

import hashlib


def hash_secret(secret: str) -> str:
    """SHA-256 of a server-generated, high-entropy secret (so no slow KDF is needed)."""
    return hashlib.sha256(secret.encode()).hexdigest()
