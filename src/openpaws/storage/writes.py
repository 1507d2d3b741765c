"""Bulk inserts used by data loading (demo data, imports) and by the tests."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Table, insert, text

from openpaws.storage.counts import bump_counter
from openpaws.storage.database import SERVING_CACHE_KIB, Database, Reader, Transaction
from openpaws.storage.sql import bind_list
from openpaws.storage.tables import (
    animals,
    custom_field_definitions,
    custom_statuses,
    organizations,
    persons,
    products,
)

# SQLite's substring indexes are kept by triggers; these index each new row, and the
# statements that build an index whole.
_INDEX_TRIGGERS = (
    ("animals_text_fts_insert", "INSERT INTO animal_text_fts(animal_text_fts) VALUES ('rebuild')"),
    (
        "products_text_fts_insert",
        "INSERT INTO product_text_fts(product_text_fts) VALUES ('rebuild')",
    ),
)
BULK_CACHE_KIB = 256_000  # the writer's SQLite page cache during a bulk load


@contextmanager
def bulk_load(db: Database) -> Iterator[Transaction]:
    """One transaction for a bulk load (demo data, imports): all of it or none of it.

    On SQLite the substring indexes (animals', products') are built once at the end instead of
    row by row, where FTS5's segment merging grows faster than the data (100,000 animals:
    160 s row by row, against 25 s of inserts and 1.5 s of rebuild); the writer's page cache
    is larger meanwhile. The indexing triggers are dropped and re-created inside the same
    transaction, so a failed load leaves them in place.
    """
    with db.transaction() as tx:
        conn = tx.conn
        if not db.is_sqlite:
            yield tx
            return
        triggers = [
            conn.exec_driver_sql(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (name,)
            ).scalar_one()
            for name, _ in _INDEX_TRIGGERS
        ]
        conn.exec_driver_sql(f"PRAGMA cache_size=-{BULK_CACHE_KIB}")
        try:
            for name, _ in _INDEX_TRIGGERS:
                conn.exec_driver_sql(f"DROP TRIGGER {name}")
            yield tx
            for (_, rebuild), trigger in zip(_INDEX_TRIGGERS, triggers, strict=True):
                conn.exec_driver_sql(rebuild)
                conn.exec_driver_sql(trigger)
        finally:
            conn.exec_driver_sql(f"PRAGMA cache_size=-{SERVING_CACHE_KIB}")


def _insert(tx: Transaction, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert rows; where they carry their own ids, move PostgreSQL's id sequence past them
    so later inserts that let the database choose never collide."""
    conn = tx.conn
    conn.execute(insert(table), list(rows))
    if rows and "id" in rows[0] and conn.dialect.name == "postgresql":
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"(SELECT max(id) FROM {table.name}))"
            )
        )


def insert_organizations(tx: Transaction, rows: Sequence[dict[str, Any]]) -> None:
    _insert(tx, organizations, rows)


def insert_persons(tx: Transaction, rows: Sequence[dict[str, Any]]) -> None:
    _insert(tx, persons, rows)


def person_ids(reader: Reader, uuids: Sequence[str]) -> list[int]:
    """The ids of the persons with these UUIDs, in the order given."""
    params: dict[str, Any] = {}
    rows = reader.all(
        f"SELECT uuid, id FROM persons WHERE uuid IN {bind_list(params, 'u', uuids)}", params
    )
    found = {row[0]: int(row[1]) for row in rows}
    return [found[u] for u in uuids]


def insert_custom_statuses(tx: Transaction, rows: Sequence[dict[str, Any]]) -> None:
    _insert(tx, custom_statuses, rows)


def insert_custom_fields(tx: Transaction, rows: Sequence[dict[str, Any]]) -> None:
    _insert(tx, custom_field_definitions, rows)


def insert_products(tx: Transaction, rows: Sequence[dict[str, Any]]) -> None:
    _insert(tx, products, rows)
    bump_counter(tx.conn, "products")  # the catalog's searchable text changed


def insert_animals(tx: Transaction, rows: Sequence[dict[str, Any]]) -> None:
    _insert(tx, animals, rows)
    bump_counter(tx.conn, "animals")


def row_count(reader: Reader, table_name: str) -> int:
    table = {"animals": animals, "organizations": organizations, "persons": persons}[table_name]
    return int(reader.scalar(f"SELECT count(*) FROM {table.name}"))
