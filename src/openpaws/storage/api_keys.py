"""API keys of organizations; the key itself is stored only as a hash."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, insert, select, update

from openpaws.storage.database import Reader
from openpaws.storage.tables import api_keys, organizations


@dataclass(frozen=True)
class KeyRecord:
    uuid: str
    organization_code: str
    prefix: str
    last_four: str
    scope: str
    name: str | None
    created_at: datetime
    revoked_at: datetime | None


@dataclass(frozen=True)
class KeyOwner:
    api_key_id: int
    organization_id: int
    scope: str


def insert_key(conn: Connection, **values: object) -> None:
    conn.execute(insert(api_keys).values(**values))


def owner_of(reader: Reader, key_hash: str) -> KeyOwner | None:
    row = reader.one(
        "SELECT id, organization_id, scope FROM api_keys "
        "WHERE key_hash = :hash AND revoked_at IS NULL",
        {"hash": key_hash},
    )
    return None if row is None else KeyOwner(int(row[0]), int(row[1]), str(row[2]))


def list_keys(conn: Connection, organization_id: int | None) -> list[KeyRecord]:
    query = (
        select(api_keys, organizations.c.code)
        .join(organizations, organizations.c.id == api_keys.c.organization_id)
        .order_by(api_keys.c.id)
    )
    if organization_id is not None:
        query = query.where(api_keys.c.organization_id == organization_id)
    return [
        KeyRecord(
            r.uuid, r.code, r.prefix, r.last_four, r.scope, r.name, r.created_at, r.revoked_at
        )
        for r in conn.execute(query)
    ]


def revoke(conn: Connection, key_uuid: str, now: datetime) -> bool:
    result = conn.execute(
        update(api_keys)
        .where(api_keys.c.uuid == key_uuid, api_keys.c.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    return result.rowcount == 1
