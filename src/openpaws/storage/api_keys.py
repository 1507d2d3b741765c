"""API keys of organizations and persons; the key itself is stored only as a hash."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import msgspec
from sqlalchemy import insert, update

from openpaws.storage.database import Reader, Transaction
from openpaws.storage.tables import api_keys
from openpaws.storage.texts import check_row
from openpaws.storage.types import from_micros

_decode_list = msgspec.json.Decoder(list[str]).decode


@dataclass(frozen=True)
class KeyRecord:
    id: int
    uuid: str
    dialect: str
    organization_code: str | None
    person_username: str | None
    prefix: str
    last_four: str
    scopes: tuple[str, ...]
    plan: str | None
    name: str | None
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None


@dataclass(frozen=True)
class KeyOwner:
    id: int
    dialect: str
    organization_id: int | None
    person_id: int | None
    scopes: str  # JSON list, as stored
    plan: str | None
    expires_at: int | None  # Unix seconds
    revoked: bool


def insert_key(tx: Transaction, **values: Any) -> None:
    check_row(api_keys, values)
    tx.conn.execute(insert(api_keys).values(**values))


def owner_of(reader: Reader, key_hash: str) -> KeyOwner | None:
    row = reader.one(
        "SELECT id, dialect, organization_id, person_id, scopes, plan, expires_at, revoked_at "
        "FROM api_keys WHERE key_hash = :hash",
        {"hash": key_hash},
    )
    if row is None:
        return None
    expires = None if row[6] is None else row[6] // 1_000_000
    return KeyOwner(
        int(row[0]), row[1], row[2], row[3], row[4], row[5], expires, row[7] is not None
    )


def decode_scopes(text: str) -> list[str]:
    return _decode_list(text)


_LIST = (
    "SELECT k.id, k.uuid, k.dialect, o.code, p.username, k.prefix, k.last_four, k.scopes, "
    "k.plan, k.name, k.created_at, k.expires_at, k.last_used_at, k.revoked_at "
    "FROM api_keys k LEFT JOIN organizations o ON o.id = k.organization_id "
    "LEFT JOIN persons p ON p.id = k.person_id"
)


def _record(row: Any) -> KeyRecord:
    def moment(value: int | None) -> datetime | None:
        return None if value is None else from_micros(value)

    created = from_micros(row[10])
    return KeyRecord(
        int(row[0]),
        row[1],
        row[2],
        row[3],
        row[4],
        row[5],
        row[6],
        tuple(_decode_list(row[7])),
        row[8],
        row[9],
        created,
        moment(row[11]),
        moment(row[12]),
        moment(row[13]),
    )


def by_uuid(reader: Reader, key_uuid: str) -> KeyRecord | None:
    row = reader.one(f"{_LIST} WHERE k.uuid = :uuid", {"uuid": key_uuid})
    return None if row is None else _record(row)


def list_keys(
    reader: Reader,
    *,
    dialect: str | None = None,
    organization_id: int | None = None,
    person_id: int | None = None,
) -> list[KeyRecord]:
    conditions: list[str] = ["1 = 1"]
    params: dict[str, object] = {}
    if person_id is not None:
        conditions.append("k.person_id = :person")
        params["person"] = person_id
    if dialect is not None:
        conditions.append("k.dialect = :dialect")
        params["dialect"] = dialect
    if organization_id is not None:
        conditions.append("k.organization_id = :org")
        params["org"] = organization_id
    rows = reader.all(f"{_LIST} WHERE {' AND '.join(conditions)} ORDER BY k.id", params)
    return [_record(row) for row in rows]


def revoke(tx: Transaction, key_uuid: str, now: datetime) -> bool:
    result = tx.conn.execute(
        update(api_keys)
        .where(api_keys.c.uuid == key_uuid, api_keys.c.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    return result.rowcount == 1


def set_last_used(tx: Transaction, key_id: int, at: datetime) -> None:
    tx.conn.execute(
        update(api_keys)
        .where(
            api_keys.c.id == key_id,
            (api_keys.c.last_used_at.is_(None)) | (api_keys.c.last_used_at < at),
        )
        .values(last_used_at=at)
    )
