"""The write request's bookkeeping: rows it added, taking them back, and the raw commit rate.

The bench data stays as built: after the write runs, the rows the API wrote (animals, their
idempotency entries and outbox events) are read back and deleted. On SQLite the very same rows
are then inserted again by a hand-written sqlite3 loop, one durable transaction each (WAL,
synchronous=FULL), which gives the raw commit rate; then they are deleted once more.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text

from openpaws.storage.database import Database


@dataclass(frozen=True)
class Mark:
    """Where the bench's rows start."""

    animal_id: int
    outbox_id: int
    api_key_id: int


@dataclass
class Written:
    animals: list[dict[str, Any]]
    idempotency: list[dict[str, Any]]
    outbox: list[dict[str, Any]]


def mark(db: Database, api_key_id: int) -> Mark:
    with db.engine.connect() as conn:
        animal = conn.execute(text("SELECT coalesce(max(id), 0) FROM animals")).scalar_one()
        outbox = conn.execute(text("SELECT coalesce(max(id), 0) FROM outbox_events")).scalar_one()
    return Mark(int(animal), int(outbox), api_key_id)


_SELECTS = {
    "animals": "SELECT * FROM animals WHERE id > :animal ORDER BY id",
    "idempotency_keys": (
        "SELECT * FROM idempotency_keys WHERE api_key_id = :key ORDER BY created_at"
    ),
    "outbox_events": "SELECT * FROM outbox_events WHERE id > :outbox ORDER BY id",
}
_DELETES = (
    "DELETE FROM outbox_events WHERE id > :outbox",
    "DELETE FROM idempotency_keys WHERE api_key_id = :key",
    "DELETE FROM animals WHERE id > :animal",
)


def _params(m: Mark) -> dict[str, int]:
    return {"animal": m.animal_id, "outbox": m.outbox_id, "key": m.api_key_id}


def take_back(db: Database, m: Mark) -> Written:
    """Read back and delete every row the write runs added."""
    with db.engine.begin() as conn:
        rows = {
            table: [dict(r) for r in conn.execute(text(sql), _params(m)).mappings()]
            for table, sql in _SELECTS.items()
        }
        for sql in _DELETES:
            conn.execute(text(sql), _params(m))
    return Written(rows["animals"], rows["idempotency_keys"], rows["outbox_events"])


def _insert(table: str, row: dict[str, Any]) -> tuple[str, tuple[Any, ...]]:
    columns = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    return f"INSERT INTO {table} ({columns}) VALUES ({marks})", tuple(row.values())


def raw_commit_rate(path: str, written: Written, m: Mark) -> float:
    """Durable commits per second of the same rows by a plain sqlite3 loop (then removed)."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    groups = list(zip(written.animals, written.idempotency, written.outbox, strict=False))
    started = time.perf_counter()
    for animal, entry, event in groups:
        conn.execute("BEGIN IMMEDIATE")
        for table, row in zip(_SELECTS, (animal, entry, event), strict=True):
            conn.execute(*_insert(table, row))
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    conn.execute("BEGIN IMMEDIATE")
    for sql in _DELETES:
        conn.execute(sql, _params(m))  # sqlite3 takes the same :name placeholders
    conn.execute("COMMIT")
    conn.close()
    return len(groups) / elapsed if elapsed else 0.0
