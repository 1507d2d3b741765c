"""Bulk inserts used by data loading (demo data, imports) and by the tests."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, func, insert, select

from openpaws.storage.counts import bump_counter
from openpaws.storage.tables import (
    animals,
    custom_field_definitions,
    custom_statuses,
    organizations,
    persons,
)


def insert_organizations(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    conn.execute(insert(organizations), list(rows))


def insert_persons(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    conn.execute(insert(persons), list(rows))


def insert_custom_statuses(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    conn.execute(insert(custom_statuses), list(rows))


def insert_custom_fields(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    conn.execute(insert(custom_field_definitions), list(rows))


def insert_animals(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    conn.execute(insert(animals), list(rows))
    bump_counter(conn, "animals")


def row_count(conn: Connection, table_name: str) -> int:
    table = {"animals": animals, "organizations": organizations, "persons": persons}[table_name]
    return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def max_id(conn: Connection, table_name: str) -> int:
    table = {"animals": animals, "organizations": organizations, "persons": persons}[table_name]
    return int(conn.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one())
