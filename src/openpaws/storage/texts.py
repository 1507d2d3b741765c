"""The last check before a row is written: every text fits its column and keeps the character
rules (:mod:`openpaws.domain.texts`), so that SQLite, which would store anything, and
PostgreSQL, which refuses NUL and over-long text, accept exactly the same rows. Requests are
checked field by field long before this (the dialects' input reader); this catches every
other path (the CLI, a use case that composes a text) with a clear error instead of a
database exception."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import String, Table

from openpaws.domain.errors import InvalidInput
from openpaws.domain.texts import BAD_CHARACTERS, clean


def check_row(table: Table, row: Mapping[str, Any]) -> None:
    """Raise :class:`InvalidInput` naming the first column whose text does not fit."""
    for name, value in row.items():
        if not isinstance(value, str):
            continue
        column_type = table.c[name].type
        limit = column_type.length if isinstance(column_type, String) else None
        if limit is not None and len(value) > limit:
            raise InvalidInput.field("body", name, f"Must be at most {limit} characters")
        if not clean(value):
            raise InvalidInput.field("body", name, BAD_CHARACTERS)
