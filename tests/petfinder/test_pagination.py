"""Pages: links that keep the filters, totals, and each animal exactly once per walk."""

from __future__ import annotations

import math
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openpaws.storage.database import Database
from tests.petfinder.helpers import Row, adoptable, animals_url, expected_ids, walk
from tests.support import reference
from tests.support.api import ContractClient


@pytest.fixture(scope="module")
def rows(seeded_db: Database) -> list[Row]:
    return reference.all_animals(seeded_db)


@pytest.fixture(scope="module")
def zips(seeded_db: Database) -> list[str]:
    return sorted({o["postcode"] for o in reference.all_organizations(seeded_db).values()})


def test_pagination_object_and_links(api: ContractClient) -> None:
    page = api.json(animals_url(type="dog", page=2, limit=5, color="black", foo="kept"))
    pagination = page["pagination"]
    assert pagination["count_per_page"] == 5
    assert pagination["current_page"] == 2
    assert pagination["total_pages"] == math.ceil(pagination["total_count"] / 5)
    links = pagination["_links"]
    for name, expected_page in (("previous", "1"), ("next", "3")):
        href = links[name]["href"]
        assert href.startswith("/petfinder/v2/animals?")
        query = parse_qs(urlsplit(href).query)
        assert query["type"] == ["dog"]
        assert query["color"] == ["black"]
        assert query["limit"] == ["5"]
        assert query["page"] == [expected_page]
        assert api.get(href).status_code == 200


def test_first_page_has_no_previous_and_last_no_next(api: ContractClient) -> None:
    first = api.json(animals_url(type="rabbit", limit=7))["pagination"]
    assert "previous" not in first["_links"]
    last = api.json(animals_url(type="rabbit", limit=7, page=first["total_pages"]))
    assert "next" not in last["pagination"]["_links"]
    assert "previous" in last["pagination"]["_links"]


def test_default_page_size_is_twenty(api: ContractClient) -> None:
    page = api.json(animals_url())
    assert page["pagination"]["count_per_page"] == 20
    assert len(page["animals"]) == 20


@pytest.mark.parametrize(
    ("sort", "key"),
    [
        ("recent", lambda a: (a["published_at"], a["id"])),
        ("-recent", lambda a: (a["published_at"], a["id"])),
    ],
)
def test_recent_sorts(api: ContractClient, rows: list[Row], sort: str, key: Any) -> None:
    found, _ = walk(api, animals_url(type="cat", sort=sort, limit=100))
    by_id = {r["id"]: r for r in rows}
    keys = [(by_id[a["id"]]["published_at"], a["id"]) for a in found]
    assert keys == sorted(keys, reverse=(sort == "recent"))
    published = [a["published_at"] for a in found]
    assert published == sorted(published, reverse=(sort == "recent"))


def test_random_sort_lists_matching_animals(api: ContractClient, rows: list[Row]) -> None:
    page = api.json(animals_url(type="horse", sort="random", limit=100))
    expected = expected_ids(rows, lambda r: adoptable(r) and r["type"] == "horse")
    assert {a["id"] for a in page["animals"]} == expected


SORTS = ["recent", "-recent", "distance", "-distance"]


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_walking_all_pages_returns_each_animal_once(
    api: ContractClient, rows: list[Row], zips: list[str], data: st.DataObject
) -> None:
    query: dict[str, Any] = {
        "limit": data.draw(st.sampled_from([9, 23, 50, 100])),
        "age": data.draw(st.sampled_from(["baby", "young", "adult", "senior"])),
    }
    animal_type = data.draw(st.sampled_from([None, "dog", "cat", "rabbit", "bird"]))
    if animal_type:
        query["type"] = animal_type
    if data.draw(st.booleans()):
        query["gender"] = data.draw(st.sampled_from(["male", "female"]))
    sort = data.draw(st.sampled_from(SORTS))
    query["sort"] = sort
    if sort.endswith("distance") or data.draw(st.booleans()):
        query["location"] = data.draw(st.sampled_from(zips))
        query["distance"] = data.draw(st.sampled_from([100, 500]))
    found, total = walk(api, animals_url(**query))
    ids = [a["id"] for a in found]
    assert len(ids) == len(set(ids)) == total
    expected = {
        r["id"]
        for r in rows
        if adoptable(r)
        and r["age"] == query["age"]
        and (animal_type is None or r["type"] == animal_type)
        and ("gender" not in query or r["sex"] == query["gender"])
    }
    if "location" in query:
        assert set(ids) <= expected
        assert all(a["distance"] is not None and a["distance"] <= query["distance"] for a in found)
    else:
        assert set(ids) == expected
    if sort.endswith("distance"):
        keys = [(a["distance"], a["id"]) for a in found]
        assert keys == sorted(keys, reverse=sort.startswith("-"))
