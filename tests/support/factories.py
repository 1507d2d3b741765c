"""Rows for tests that need particular animals, built on the demo data's realistic rows."""

from __future__ import annotations

import random
from typing import Any

from openpaws import demo
from openpaws.domain import listing
from openpaws.storage.database import Database
from tests.support import setup


def add_organizations(db: Database, count: int = 2, seed: int = 7) -> list[dict[str, Any]]:
    rows = demo.organization_rows(random.Random(seed), count, demo.EPOCH)
    setup.insert_organizations(db, rows)
    return rows


def animal_row(animal_id: int, organization_id: int | None, **overrides: Any) -> dict[str, Any]:
    """A realistic adoptable animal, with ``overrides`` applied and its listing key recomputed."""
    factory = demo.AnimalFactory(random.Random(animal_id), [organization_id or 0], demo.EPOCH)
    row = {
        **factory.row(animal_id),
        "organization_id": organization_id,
        "status": "available",
        "show_public": True,
        **overrides,
    }
    row["public_status"] = listing.public_status(
        organization_id=row["organization_id"],
        show_public=row["show_public"],
        deleted=row["deleted_at"] is not None,
        status=row["status"],
        custom_status_public=overrides.pop("_custom_status_public", None),
        age=row["age"],
        size=row["size"],
    )
    return row


def add_animals(db: Database, rows: list[dict[str, Any]]) -> None:
    setup.insert_animals(db, rows)
