"""Location searches: ZIP, "City, ST" and "lat,long", radius, and distances by haversine."""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

import pytest

from openpaws.storage.database import Database
from tests.petfinder.helpers import Row, adoptable, animals_url, walk
from tests.support import reference
from tests.support.api import ContractClient

EARTH_MILES = 3958.7613


def haversine(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_MILES * math.asin(math.sqrt(a))


@pytest.fixture(scope="module")
def rows(seeded_db: Database) -> list[Row]:
    return reference.all_animals(seeded_db)


@pytest.fixture(scope="module")
def orgs(seeded_db: Database) -> dict[int, dict[str, Any]]:
    return reference.all_organizations(seeded_db)


@pytest.fixture(scope="module")
def busiest(rows: list[Row], orgs: dict[int, dict[str, Any]]) -> dict[str, Any]:
    org_id = Counter(r["organization_id"] for r in rows if adoptable(r)).most_common(1)[0][0]
    return orgs[org_id]


def within(
    rows: list[Row], orgs: dict[int, dict[str, Any]], lat: float, lon: float, miles: float
) -> dict[int, float]:
    result = {}
    for r in rows:
        if not adoptable(r):  # a pet owner's own pet has no organization, nor a place
            continue
        org = orgs[r["organization_id"]]
        d = haversine(lat, lon, org["latitude"], org["longitude"])
        if d <= miles:
            result[r["id"]] = d
    assert result, "no animal is expected: the check would not exercise the radius"
    return result


@pytest.mark.parametrize("miles", [10, 100, 500])
def test_zip_radius_and_distances(
    api: ContractClient, rows: list[Row], orgs: dict[int, Any], busiest: dict[str, Any], miles: int
) -> None:
    import zipcodes

    place = zipcodes.matching(busiest["postcode"])[0]
    lat, lon = float(place["lat"]), float(place["long"])
    expected = within(rows, orgs, lat, lon, miles)
    found, total = walk(api, animals_url(location=busiest["postcode"], distance=miles, limit=100))
    assert total == len(expected)
    assert {a["id"] for a in found} == set(expected)
    for animal in found:
        assert animal["distance"] == pytest.approx(expected[animal["id"]], abs=6e-5)


def test_default_distance_is_100_miles(
    api: ContractClient, rows: list[Row], orgs: dict[int, Any], busiest: dict[str, Any]
) -> None:
    lat, lon = busiest["latitude"], busiest["longitude"]
    found, total = walk(api, animals_url(location=f"{lat},{lon}", limit=100))
    assert total == len(within(rows, orgs, lat, lon, 100))
    assert {a["id"] for a in found} == set(within(rows, orgs, lat, lon, 100))


def test_lat_long_location(
    api: ContractClient, rows: list[Row], orgs: dict[int, Any], busiest: dict[str, Any]
) -> None:
    lat, lon = busiest["latitude"], busiest["longitude"]
    page = api.json(animals_url(location=f"{lat}, {lon}", distance=0, sort="distance", limit=100))
    expected = within(rows, orgs, lat, lon, 0)
    assert {a["id"] for a in page["animals"]} == set(expected)
    assert all(a["distance"] == 0 for a in page["animals"])


def test_city_state_location(api: ContractClient, busiest: dict[str, Any]) -> None:
    location = f"{busiest['city'].upper()}, {busiest['state'].lower()}"
    page = api.json(animals_url(location=location, distance=25, sort="distance"))
    assert page["animals"], location
    assert page["animals"][0]["contact"]["address"]["city"] == busiest["city"]
    assert page["animals"][0]["distance"] < 25


def test_distance_sort_orders_by_distance_then_id(
    api: ContractClient, busiest: dict[str, Any]
) -> None:
    found, _ = walk(
        api, animals_url(location=busiest["postcode"], distance=500, sort="distance", limit=100)
    )
    keys = [(a["distance"], a["id"]) for a in found]
    assert keys == sorted(keys)
    reverse, _ = walk(
        api, animals_url(location=busiest["postcode"], distance=500, sort="-distance", limit=100)
    )
    assert [a["id"] for a in reverse] == [a["id"] for a in reversed(found)]


def test_distance_is_null_without_location(api: ContractClient) -> None:
    page = api.json(animals_url(limit=5))
    assert all(a["distance"] is None for a in page["animals"])
    one = api.json(f"/petfinder/v2/animals/{page['animals'][0]['id']}")
    assert one["animal"]["distance"] is None


def test_a_radius_answer_is_the_animal_with_its_distance(
    api: ContractClient, busiest: dict[str, Any]
) -> None:
    """Apart from the distance, an animal in a radius search is the animal as shown alone,
    whether its form was remembered first by the radius search or by the plain one."""
    near = api.json(animals_url(location=busiest["postcode"], distance=50, limit=10))["animals"]
    assert near
    for found in near:
        alone = api.json(f"/petfinder/v2/animals/{found['id']}")["animal"]
        assert found["distance"] is not None and alone["distance"] is None
        assert {**found, "distance": None} == alone
    again = api.json(animals_url(location=busiest["postcode"], distance=50, limit=10))["animals"]
    assert again == near
