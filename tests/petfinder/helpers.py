"""Shared helpers for the Petfinder tests."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any
from urllib.parse import urlencode

from openpaws.dialects.petfinder import DIALECT as PETFINDER
from openpaws.storage.database import Database
from tests.support import setup
from tests.support.api import ContractClient
from tests.support.contract import Contract

PREFIX = "/petfinder/v2"

Row = dict[str, Any]


@cache
def petfinder_contract() -> Contract:
    """The Petfinder dialect's contract (the ``contract`` fixture, for tests elsewhere)."""
    return Contract(PETFINDER.contract, "urn:openpaws:petfinder", PREFIX)


def grant(creds: setup.ClientCredentials, secret: str | None = None) -> dict[str, str]:
    """A client-credentials token request body."""
    return {
        "grant_type": "client_credentials",
        "client_id": creds.client_id,
        "client_secret": creds.client_secret if secret is None else secret,
    }


def authorize(api: ContractClient, db: Database) -> None:
    """Give the client a bearer token of a new OAuth client."""
    creds = setup.create_client(db, "tests")
    response = api.post(f"{PREFIX}/oauth2/token", data=grant(creds))
    assert response.status_code == 200, response.text
    api.token = response.json()["access_token"]


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
    """The ids of the rows ``keep`` accepts, never none: a filter checked against an empty
    expectation would pass even if it matched nothing (use ``assert_matches_nothing`` for a
    query that rightly finds nothing)."""
    expected = {r["id"] for r in rows if keep(r)}
    assert expected, "no row is expected: the check would not exercise the filter"
    return expected


def assert_matches_nothing(api: ContractClient, query: dict[str, Any]) -> None:
    """A search that rightly finds nothing: no animal on any page, and a total of zero."""
    found, total = walk(api, animals_url(**query))
    assert (found, total) == ([], 0), query


def adoptable(row: Row) -> bool:
    return row["public_status"] == "available"
