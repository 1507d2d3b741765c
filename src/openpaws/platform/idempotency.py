"""Idempotency-Key handling: the same key and payload replay the first successful answer.

Keys are scoped to the API key, fingerprinted on method, path, query and body, and kept for at least
``RETENTION``. The answer is stored under the key at the end of the write's own transaction,
so the record, its idempotency entry and any event it emits commit together. If the key turns
out to be taken (a duplicate committed first, or was running at the same time: PostgreSQL makes
the insert wait for it), the write is undone and the first answer replayed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from openpaws.domain.errors import Conflict, InvalidInput, OpenPawsError
from openpaws.storage import idempotency as store
from openpaws.storage.database import Reader, Transaction

RETENTION = timedelta(hours=24)
MAX_KEY_LENGTH = 255


class IdempotencyConflict(Conflict):
    code = "idempotency_conflict"


@dataclass(frozen=True)
class Replay:
    status_code: int
    body: str


@dataclass(frozen=True)
class IdempotencyKey:
    api_key_id: int
    key: str
    fingerprint: str


def key_for(api_key_id: int, key: str, method: str, target: str, body: bytes) -> IdempotencyKey:
    """The key as sent, scoped to the API key and fingerprinted on the request: its method,
    its target (the path as sent, with the query string when there is one) and its body."""
    if not (0 < len(key) <= MAX_KEY_LENGTH and key.isascii() and key.isprintable()) or (
        not key.strip()
    ):
        message = "Must be 1 to 255 printable ASCII characters"
        raise InvalidInput.field("header", "Idempotency-Key", message)
    digest = hashlib.sha256()
    for part in (method.upper().encode(), target.encode(), body):
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


def stored_replay(reader: Reader, key: IdempotencyKey) -> Replay | None:
    """A finished answer for this key, looked up before any quota is spent."""
    entry = store.lookup(reader, key.api_key_id, key.key, datetime.now(UTC))
    return None if entry is None else _replay(entry, key)


class AlreadyAnswered(Exception):
    """Raised inside a write's transaction to undo it: the key already holds an answer."""

    def __init__(self, replay: Replay) -> None:
        super().__init__("idempotency key already answered")
        self.replay = replay


def settle(tx: Transaction, key: IdempotencyKey, status_code: int, body: str) -> None:
    """At the end of the write's transaction: keep its answer under the key, or raise
    :class:`AlreadyAnswered` (or a conflict) so the transaction is undone."""
    now = datetime.now(UTC)
    if store.store(
        tx, key.api_key_id, key.key, key.fingerprint, (status_code, body), now, now + RETENTION
    ):
        return
    entry = store.find(tx, key.api_key_id, key.key)
    replay = None if entry is None else _replay(entry, key)
    if replay is None:
        raise OpenPawsError("The idempotency key could not be settled; retry the request.")
    raise AlreadyAnswered(replay)


def purge_expired(tx: Transaction) -> int:
    """Drop a bounded batch of spent entries; how many went."""
    return store.purge_expired(tx, datetime.now(UTC))
