"""OAuth clients and their access tokens; secrets and tokens are stored only as hashes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, delete, insert, select, update

from openpaws.domain.entities import OAuthClient
from openpaws.storage.database import Reader
from openpaws.storage.tables import access_tokens, oauth_clients


def insert_client(
    conn: Connection, client_id: str, secret_hash: str, name: str, now: datetime
) -> None:
    conn.execute(
        insert(oauth_clients).values(
            client_id=client_id, secret_hash=secret_hash, name=name, created_at=now
        )
    )


def client_by_name(conn: Connection, name: str) -> OAuthClient | None:
    row = conn.execute(
        select(oauth_clients.c.id, oauth_clients.c.client_id, oauth_clients.c.name)
        .where(oauth_clients.c.name == name, oauth_clients.c.revoked_at.is_(None))
        .order_by(oauth_clients.c.id)
    ).first()
    return None if row is None else OAuthClient(row.id, row.client_id, row.name)


def set_client_secret(conn: Connection, client: OAuthClient, secret_hash: str) -> None:
    conn.execute(
        update(oauth_clients).where(oauth_clients.c.id == client.id).values(secret_hash=secret_hash)
    )
    conn.execute(delete(access_tokens).where(access_tokens.c.client_id == client.id))


def active_client_secret(conn: Connection, client_id: str) -> tuple[OAuthClient, str] | None:
    row = conn.execute(
        select(oauth_clients).where(
            oauth_clients.c.client_id == client_id, oauth_clients.c.revoked_at.is_(None)
        )
    ).first()
    if row is None:
        return None
    return OAuthClient(row.id, row.client_id, row.name), row.secret_hash


def insert_token(conn: Connection, token_hash: str, client: OAuthClient, expires: datetime) -> None:
    conn.execute(
        insert(access_tokens).values(token_hash=token_hash, client_id=client.id, expires_at=expires)
    )


def delete_expired_tokens(conn: Connection, now: datetime) -> None:
    conn.execute(delete(access_tokens).where(access_tokens.c.expires_at <= now))


def token_expiry(reader: Reader, token_hash: str) -> int | None:
    """When the token expires (microseconds since the epoch), if it exists for a live client."""
    return reader.scalar(
        "SELECT t.expires_at FROM access_tokens t JOIN oauth_clients c ON c.id = t.client_id "
        "WHERE t.token_hash = :hash AND c.revoked_at IS NULL",
        {"hash": token_hash},
    )


def expire_token_now(conn: Connection, token_hash: str, now: datetime) -> None:
    """Test and operations helper: make a token expire at ``now``."""
    conn.execute(
        update(access_tokens).where(access_tokens.c.token_hash == token_hash).values(expires_at=now)
    )
