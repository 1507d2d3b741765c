"""OAuth2 client credentials: clients, access tokens, and checking a bearer token."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from openpaws.domain.errors import InvalidClient, Unauthenticated
from openpaws.storage import credentials
from openpaws.storage.database import Database

TOKEN_INVALID = "Access token invalid or expired"


def hash_secret(secret: str) -> str:
    """SHA-256 of a server-generated, high-entropy secret (so no slow KDF is needed)."""
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class ClientCredentials:
    client_id: str
    client_secret: str


@dataclass(frozen=True)
class IssuedToken:
    access_token: str
    expires_in: int


def create_client(db: Database, name: str) -> ClientCredentials:
    """A new client; its secret is returned here once and stored only as a hash."""
    creds = ClientCredentials(secrets.token_urlsafe(24), secrets.token_urlsafe(36))
    with db.transaction() as conn:
        credentials.insert_client(
            conn, creds.client_id, hash_secret(creds.client_secret), name, datetime.now(UTC)
        )
    return creds


def rotate_or_create_client(db: Database, name: str) -> ClientCredentials:
    """Give the client called ``name`` a new secret (revoking its tokens), creating it if new."""
    secret = secrets.token_urlsafe(36)
    with db.transaction() as conn:
        client = credentials.client_by_name(conn, name)
        if client is not None:
            credentials.set_client_secret(conn, client, hash_secret(secret))
            return ClientCredentials(client.client_id, secret)
    created = create_client(db, name)
    return created


def issue_token(db: Database, creds: ClientCredentials, lifetime_seconds: int) -> IssuedToken:
    now = datetime.now(UTC)
    token = secrets.token_urlsafe(32)
    with db.transaction() as conn:
        found = credentials.active_client_secret(conn, creds.client_id)
        secret_hash = hash_secret(creds.client_secret)
        if found is None or not hmac.compare_digest(found[1], secret_hash):
            raise InvalidClient("Client authentication failed")
        credentials.delete_expired_tokens(conn, now)
        credentials.insert_token(
            conn, hash_secret(token), found[0], now + timedelta(seconds=lifetime_seconds)
        )
    return IssuedToken(token, lifetime_seconds)


def token_seconds_left(db: Database, token: str) -> int:
    """Seconds the bearer token has left; raises Unauthenticated if it is unknown or expired."""
    with db.read() as reader:
        expires_at = credentials.token_expiry(reader, hash_secret(token))
    left = -1 if expires_at is None else (expires_at // 1_000_000) - int(time.time())
    if left <= 0:
        raise Unauthenticated(TOKEN_INVALID)
    return left
