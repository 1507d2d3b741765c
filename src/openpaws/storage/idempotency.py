"""Stored outcomes of writes made under an Idempotency-Key."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import bindparam, delete, select, tuple_
from sqlalchemy.dialects import postgresql, sqlite

from openpaws.storage.database import Reader, Transaction
from openpaws.storage.prepared import Prepared
from openpaws.storage.tables import idempotency_keys as t
from openpaws.storage.types import to_micros


@dataclass(frozen=True)
class Entry:
    fingerprint: str
    status_code: int | None
    body: str | None


@cache
def _store_statement(dialect: str) -> Prepared:
    """INSERT of a finished answer that also takes over an expired entry, built once per
    database kind."""
    module = sqlite if dialect == "sqlite" else postgresql
    entry = {
        "fingerprint": bindparam("b_fingerprint"),
        "status_code": bindparam("b_status_code"),
        "body": bindparam("b_body"),
        "created_at": bindparam("b_created_at", type_=t.c.created_at.type),
        "expires_at": bindparam("b_expires_at", type_=t.c.expires_at.type),
    }
    statement = module.insert(t).values(
        api_key_id=bindparam("b_api_key_id"), key=bindparam("b_key"), **entry
    )
    return Prepared(
        statement.on_conflict_do_update(
            index_elements=[t.c.api_key_id, t.c.key],
            set_=entry,
            where=t.c.expires_at <= bindparam("b_now", type_=t.c.expires_at.type),
        )
    )


def store(
    tx: Transaction,
    api_key_id: int,
    key: str,
    fingerprint: str,
    answer: tuple[int, str],
    now: datetime,
    expires: datetime,
) -> bool:
    """Keep the answer under the key; False if a live entry already holds the key.

    An expired entry is taken over in the same statement. On PostgreSQL a concurrent holder's
    uncommitted row makes this wait until that transaction ends; on SQLite writers are
    serialised already.
    """
    status_code, body = answer
    cursor = _store_statement(tx.conn.dialect.name).execute(
        tx.conn,
        {
            "b_api_key_id": api_key_id,
            "b_key": key,
            "b_fingerprint": fingerprint,
            "b_status_code": status_code,
            "b_body": body,
            "b_created_at": now,
            "b_expires_at": expires,
            "b_now": now,
        },
    )
    stored = cursor.rowcount == 1
    cursor.close()
    return bool(stored)


def find(tx: Transaction, api_key_id: int, key: str) -> Entry | None:
    row = tx.conn.execute(
        select(t.c.fingerprint, t.c.status_code, t.c.body).where(
            t.c.api_key_id == api_key_id, t.c.key == key
        )
    ).first()
    return None if row is None else Entry(row.fingerprint, row.status_code, row.body)


def lookup(reader: Reader, api_key_id: int, key: str, now: datetime) -> Entry | None:
    """An unexpired entry, read without taking any write lock."""
    row = reader.one(
        "SELECT fingerprint, status_code, body FROM idempotency_keys "
        "WHERE api_key_id = :api_key_id AND key = :key AND expires_at > :now",
        {"api_key_id": api_key_id, "key": key, "now": to_micros(now)},
    )
    return None if row is None else Entry(row[0], row[1], row[2])


def purge_expired(tx: Transaction, now: datetime, batch: int = 1000) -> int:
    """Drop a bounded batch of expired entries in one statement; how many went."""
    expired = select(t.c.api_key_id, t.c.key).where(t.c.expires_at <= now).limit(batch)
    gone = tx.conn.execute(delete(t).where(tuple_(t.c.api_key_id, t.c.key).in_(expired)))
    return int(gone.rowcount)
