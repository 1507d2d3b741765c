"""OAuth clients and their access tokens; secrets and tokens are stored only as hashes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, insert, select, update

from openpaws.domain.entities import OAuthClient
from openpaws.storage.database import Reader, Transaction
from openpaws.storage.tables import access_tokens, oauth_clients
from openpaws.storage.texts import check_row


@dataclass(frozen=True)
class TokenOwner:
    client_id: int
    dialect: str
    expires_at: int  # microseconds since the epoch


def insert_client(
    tx: Transaction, client_id: str, secret_hash: str, dialect: str, name: str, now: datetime
) -> None:
    row = {"client_id": client_id, "secret_hash": secret_hash, "dialect": dialect, "name": name}
    check_row(oauth_clients, row)
    tx.conn.execute(insert(oauth_clients).values(**row, created_at=now))


def _client(row: object) -> OAuthClient:
    return OAuthClient(row.id, row.client_id, row.name, row.dialect)  # type: ignore[attr-defined]


def client_by_name(tx: Transaction, dialect: str, name: str) -> OAuthClient | None:
    row = tx.conn.execute(
        select(oauth_clients)
        .where(
            oauth_clients.c.name == name,
            oauth_clients.c.dialect == dialect,
            oauth_clients.c.revoked_at.is_(None),
        )
        .order_by(oauth_clients.c.id)
    ).first()
    return None if row is None else _client(row)


def set_client_secret(tx: Transaction, client: OAuthClient, secret_hash: str) -> None:
    tx.conn.execute(
        update(oauth_clients).where(oauth_clients.c.id == client.id).values(secret_hash=secret_hash)
    )
    tx.conn.execute(delete(access_tokens).where(access_tokens.c.client_id == client.id))


def active_client_secret(tx: Transaction, client_id: str) -> tuple[OAuthClient, str] | None:
    row = tx.conn.execute(
        select(oauth_clients).where(
            oauth_clients.c.client_id == client_id, oauth_clients.c.revoked_at.is_(None)
        )
    ).first()
    return None if row is None else (_client(row), row.secret_hash)


def insert_token(tx: Transaction, token_hash: str, client: OAuthClient, expires: datetime) -> None:
    tx.conn.execute(
        insert(access_tokens).values(token_hash=token_hash, client_id=client.id, expires_at=expires)
    )


def delete_expired_tokens(tx: Transaction, now: datetime, batch: int = 1000) -> int:
    """Drop a bounded batch of expired tokens; how many went."""
    expired = (
        select(access_tokens.c.token_hash).where(access_tokens.c.expires_at <= now).limit(batch)
    )
    result = tx.conn.execute(delete(access_tokens).where(access_tokens.c.token_hash.in_(expired)))
    return int(result.rowcount)


def token_owner(reader: Reader, token_hash: str) -> TokenOwner | None:
    """The live client behind a token, with the token's expiry."""
    row = reader.one(
        "SELECT c.id, c.dialect, t.expires_at FROM access_tokens t "
        "JOIN oauth_clients c ON c.id = t.client_id "
        "WHERE t.token_hash = :hash AND c.revoked_at IS NULL",
        {"hash": token_hash},
    )
    return None if row is None else TokenOwner(int(row[0]), row[1], int(row[2]))
