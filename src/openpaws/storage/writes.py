"""Bulk inserts used by data loading (demo data, imports) and by the tests."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Table, func, insert, select, text

from openpaws.storage.counts import bump_counter
from openpaws.storage.tables import (
    animals,
    custom_field_definitions,
    custom_statuses,
    organizations,
    persons,
)


def _insert(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert rows; where they carry their own ids, move PostgreSQL's id sequence past them
    so later inserts that let the database choose never collide."""
    conn.execute(insert(table), list(rows))
    if rows and "id" in rows[0] and conn.dialect.name == "postgresql":
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"(SELECT max(id) FROM {table.name}))"
            )
        )


def insert_organizations(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    _insert(conn, organizations, rows)


def insert_persons(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    _insert(conn, persons, rows)


def insert_custom_statuses(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    _insert(conn, custom_statuses, rows)


def insert_custom_fields(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    _insert(conn, custom_field_definitions, rows)


def insert_animals(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    _insert(conn, animals, rows)
    bump_counter(conn, "animals")


def row_count(conn: Connection, table_name: str) -> int:
    table = {"animals": animals, "organizations": organizations, "persons": persons}[table_name]
    return int(conn.execute(select(func.count()).select_from(table)).scalar_one())
