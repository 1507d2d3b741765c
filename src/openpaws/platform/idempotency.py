"""Idempotency-Key handling: the same key and payload replay the first successful answer.

Keys are scoped to the API key, fingerprinted on method, path and body, and kept for at least
``RETENTION``. The entry is claimed inside the write's own transaction, so the record, its
idempotency entry and any event it emits commit together. A duplicate that arrives while the
first request is still running waits for it (the claim blocks on the first transaction) and
then replays its answer.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection

from openpaws.domain.errors import OpenPawsError
from openpaws.storage import idempotency as store
from openpaws.storage.database import Database

RETENTION = timedelta(hours=24)
# Expired entries are dropped in small batches by about one write in this many.
PURGE_CHANCE = 1 / 64
MAX_KEY_LENGTH = 255


class IdempotencyConflict(OpenPawsError):
    code = "idempotency_conflict"
    status = 409


@dataclass(frozen=True)
class Replay:
    status_code: int
    body: str


@dataclass(frozen=True)
class IdempotencyKey:
    api_key_id: int
    key: str
    fingerprint: str


def key_for(api_key_id: int, key: str, method: str, path: str, body: bytes) -> IdempotencyKey:
    digest = hashlib.sha256()
    for part in (method.upper().encode(), path.encode(), body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return IdempotencyKey(api_key_id, key, digest.hexdigest())


def _replay(entry: store.Entry, key: IdempotencyKey) -> Replay | None:
    if entry.fingerprint != key.fingerprint:
        raise IdempotencyConflict(
            "This Idempotency-Key was already used with a different request payload."
        )
    if entry.status_code is None or entry.body is None:
        return None
    return Replay(entry.status_code, entry.body)


def stored_replay(db: Database, key: IdempotencyKey) -> Replay | None:
    """A finished answer for this key, looked up before any quota is spent."""
    with db.read() as reader:
        entry = store.lookup(reader, key.api_key_id, key.key, datetime.now(UTC))
    return None if entry is None else _replay(entry, key)


def claim(conn: Connection, key: IdempotencyKey) -> Replay | None:
    """Inside the write's transaction: claim the key, or return the answer to replay."""
    now = datetime.now(UTC)
    if random.random() < PURGE_CHANCE:
        store.purge_expired(conn, now)
    entry = store.claim(conn, key.api_key_id, key.key, key.fingerprint, now, now + RETENTION)
    return None if entry is None else _replay(entry, key)


def remember(conn: Connection, key: IdempotencyKey, status_code: int, body: str) -> None:
    store.complete(conn, key.api_key_id, key.key, status_code, body)
