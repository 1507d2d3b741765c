"""Shared helpers for the Petfinder tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from tests.conftest import PREFIX
from tests.support.api import ContractClient

Row = dict[str, Any]


def animals_url(**query: Any) -> str:
    return f"{PREFIX}/animals?{urlencode(query)}" if query else f"{PREFIX}/animals"


def walk(api: ContractClient, first_url: str) -> tuple[list[dict[str, Any]], int]:
    """Every animal of a query, following the `next` links; and the reported total."""
    seen: list[dict[str, Any]] = []
    url: str | None = first_url
    total = -1
    while url:
        page = api.json(url)
        pagination = page["pagination"]
        total = pagination["total_count"]
        seen += page["animals"]
        next_link = pagination["_links"].get("next")
        url = next_link["href"] if next_link else None
    return seen, total


def expected_ids(rows: list[Row], keep: Callable[[Row], bool]) -> set[int]:
    return {r["id"] for r in rows if keep(r)}


def adoptable(row: Row) -> bool:
    return row["public_status"] == "available"
