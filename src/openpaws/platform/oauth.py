"""OAuth2 client credentials: clients and access tokens of one dialect each.

A client belongs to one dialect; its tokens work only on that dialect and last as long as the
dialect says. Secrets and tokens are stored only as hashes.
"""

from __future__ import annotations

import hmac
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from openpaws.domain.errors import InvalidClient, Unauthenticated
from openpaws.platform.principals import (
    AccountKind,
    Credential,
    CredentialKind,
    Principal,
    Scope,
)
from openpaws.platform.secrets import hash_secret
from openpaws.storage import credentials
from openpaws.storage.database import Reader, Transaction

TOKEN_INVALID = "Access token invalid or expired"


@dataclass(frozen=True)
class ClientCredentials:
    client_id: str
    client_secret: str


@dataclass(frozen=True)
class IssuedToken:
    access_token: str
    expires_in: int


def create_client(tx: Transaction, dialect: str, name: str) -> ClientCredentials:
    """A new client of ``dialect``; its secret is returned here once and stored as a hash."""
    creds = ClientCredentials(secrets.token_urlsafe(24), secrets.token_urlsafe(36))
    credentials.insert_client(
        tx, creds.client_id, hash_secret(creds.client_secret), dialect, name, datetime.now(UTC)
    )
    return creds


def rotate_or_create_client(tx: Transaction, dialect: str, name: str) -> ClientCredentials:
    """Give the client called ``name`` a new secret (revoking its tokens), creating it if new."""
    client = credentials.client_by_name(tx, dialect, name)
    if client is None:
        return create_client(tx, dialect, name)
    secret = secrets.token_urlsafe(36)
    credentials.set_client_secret(tx, client, hash_secret(secret))
    return ClientCredentials(client.client_id, secret)


def issue_token(
    tx: Transaction, dialect: str, creds: ClientCredentials, lifetime_seconds: int
) -> IssuedToken:
    """A token for a client of ``dialect`` whose secret matches."""
    now = datetime.now(UTC)
    found = credentials.active_client_secret(tx, creds.client_id)
    secret_hash = hash_secret(creds.client_secret)
    if (
        found is None
        or found[0].dialect != dialect
        or not hmac.compare_digest(found[1], secret_hash)
    ):
        raise InvalidClient("Client authentication failed", reason="unknown")
    token = secrets.token_urlsafe(32)
    credentials.insert_token(
        tx, hash_secret(token), found[0], now + timedelta(seconds=lifetime_seconds)
    )
    return IssuedToken(token, lifetime_seconds)


def authenticate(reader: Reader, dialect: str, token: str, scopes: Iterable[Scope]) -> Principal:
    """The application behind a bearer token of ``dialect``; unknown, expired and other
    dialects' tokens are refused."""
    if not token:
        raise Unauthenticated(TOKEN_INVALID, reason="missing")
    found = credentials.token_owner(reader, hash_secret(token))
    if found is None or found.dialect != dialect:
        raise Unauthenticated(TOKEN_INVALID, reason="unknown")
    expires_at = found.expires_at // 1_000_000
    if expires_at <= int(time.time()):
        raise Unauthenticated(TOKEN_INVALID, reason="expired")
    credential = Credential(CredentialKind.ACCESS_TOKEN, found.client_id, dialect, expires_at)
    return Principal(AccountKind.APPLICATION, found.client_id, credential, frozenset(scopes))


def purge_expired_tokens(tx: Transaction) -> int:
    return credentials.delete_expired_tokens(tx, datetime.now(UTC))
