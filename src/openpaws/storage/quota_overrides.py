"""Operators' own numbers for a quota of one organization or one key."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, insert

from openpaws.storage.database import Reader, Transaction
from openpaws.storage.tables import quota_overrides as t


@dataclass(frozen=True)
class Override:
    api_key_id: int | None  # None: the organization's
    period: str  # second, minute or hour
    per_period: int
    burst: int | None


def find(
    reader: Reader, dialect: str, quota: str, organization_id: int | None, api_key_id: int | None
) -> list[Override]:
    """The overrides of this quota for the organization and for the key, in one statement."""
    rows = reader.all(
        "SELECT api_key_id, period, per_period, burst FROM quota_overrides "
        "WHERE dialect = :dialect AND quota = :quota "
        "AND (organization_id = :org OR api_key_id = :key)",
        {"dialect": dialect, "quota": quota, "org": organization_id, "key": api_key_id},
    )
    return [Override(r[0], r[1], int(r[2]), r[3]) for r in rows]


def put(
    tx: Transaction,
    *,
    dialect: str,
    quota: str,
    organization_id: int | None,
    api_key_id: int | None,
    period: str,
    per_period: int,
    burst: int | None,
) -> None:
    """Set (replace) the override of one organization or one key."""
    owner = t.c.organization_id == organization_id
    if api_key_id is not None:
        owner = t.c.api_key_id == api_key_id
    tx.conn.execute(delete(t).where(t.c.dialect == dialect, t.c.quota == quota, owner))
    tx.conn.execute(
        insert(t).values(
            dialect=dialect,
            quota=quota,
            organization_id=organization_id,
            api_key_id=api_key_id,
            period=period,
            per_period=per_period,
            burst=burst,
        )
    )
