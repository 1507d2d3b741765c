"""What a page of animals costs the database: a fixed number of statements, whatever its size."""

from __future__ import annotations

from typing import Any

import pytest

from openpaws.storage.database import Database
from tests.petfinder.helpers import animals_url
from tests.support.api import ContractClient

# query -> the most statements any page of it may run. A plain search: the token check, the
# total and the ordered ids (each after reading the change counter), the rows' versions, the
# rows. A radius in distance order reads each group of equally distant organizations that the
# page reaches on its own, two statements a group (a page of 100 here reaches at most four).
QUERIES: dict[str, tuple[dict[str, Any], int]] = {
    "type": ({"type": "dog"}, 7),
    "location by distance": ({"location": "10001", "distance": 500, "sort": "distance"}, 12),
}


def statements_of_a_page(
    api: ContractClient, db: Database, query: dict[str, Any], limit: int
) -> list[str]:
    """The statements one request for a page runs, with no total or id list kept from before."""
    db.derived.clear()
    with db.watch_statements() as statements:
        animals = api.json(animals_url(limit=limit, **query))["animals"]
    assert len(animals) == limit
    return list(statements)


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_a_page_costs_a_fixed_number_of_queries(
    api: ContractClient, seeded_db: Database, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No query per row: a page of 100 animals runs a few statements, as a page of 1 does."""
    query, most = QUERIES[name]
    # Every animal read as if never read before: a remembered animal costs no query at all.
    monkeypatch.setattr(seeded_db.animals, "get", lambda key: None)
    one = statements_of_a_page(api, seeded_db, query, 1)
    hundred = statements_of_a_page(api, seeded_db, query, 100)
    assert any("FROM animals" in sql for sql in one), one  # the hook sees the request's reads
    assert len(one) <= most, one
    assert len(hundred) <= most, hundred
    if "location" not in query:
        assert len(hundred) == len(one), hundred


def test_statements_of_readers_in_a_transaction_are_seen_too(fresh_db: Database) -> None:
    with fresh_db.watch_statements() as seen, fresh_db.transaction() as tx:
        tx.reader.scalar("SELECT count(*) FROM animals")
    with fresh_db.read() as reader:
        reader.scalar("SELECT 1")  # no longer watched
    assert seen == ["SELECT count(*) FROM animals"]
