"""GET /organizations and /organizations/{id}."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest

from openpaws.storage.database import Database
from tests.petfinder.helpers import PREFIX
from tests.petfinder.test_location import haversine
from tests.support import reference
from tests.support.api import ContractClient


@pytest.fixture(scope="module")
def orgs(seeded_db: Database) -> list[dict[str, Any]]:
    return sorted(reference.all_organizations(seeded_db).values(), key=lambda o: o["id"])


def walk(api: ContractClient, **query: Any) -> tuple[list[dict[str, Any]], int]:
    url: str | None = f"{PREFIX}/organizations?{urlencode({'limit': 7, **query})}"
    found: list[dict[str, Any]] = []
    total = -1
    while url:
        page = api.json(url)
        found += page["organizations"]
        total = page["pagination"]["total_count"]
        url = page["pagination"]["_links"].get("next", {}).get("href")
    return found, total


def test_lists_organizations_by_name(api: ContractClient, orgs: list[dict[str, Any]]) -> None:
    found, total = walk(api)
    assert total == len(orgs)
    assert [o["id"] for o in found] == [
        o["code"] for o in sorted(orgs, key=lambda o: (o["name"], o["id"]))
    ]
    assert all(o["distance"] is None for o in found)


def test_name_filter(api: ContractClient, orgs: list[dict[str, Any]]) -> None:
    word = orgs[0]["name"].split()[-1].lower()
    found, _ = walk(api, name=word)
    assert {o["id"] for o in found} == {o["code"] for o in orgs if word in o["name"].lower()}


def test_query_searches_name_city_and_state(
    api: ContractClient, orgs: list[dict[str, Any]]
) -> None:
    city = orgs[3]["city"]
    found, _ = walk(api, query=city.lower())
    expected = {
        o["code"]
        for o in orgs
        if city.lower() in f"{o['name']}|{o['city']}|{o['state']}|{o['code']}".lower()
    }
    assert {o["id"] for o in found} == expected


def test_state_and_country(api: ContractClient, orgs: list[dict[str, Any]]) -> None:
    state = orgs[0]["state"]
    found, _ = walk(api, state=state.lower(), country="us")
    assert {o["id"] for o in found} == {o["code"] for o in orgs if o["state"] == state}
    assert walk(api, country="CA")[1] == 0


@pytest.mark.parametrize("sort", ["name", "-name", "state", "-state", "country", "-country"])
def test_sorts(api: ContractClient, orgs: list[dict[str, Any]], sort: str) -> None:
    found, _ = walk(api, sort=sort)
    column = sort.lstrip("-")
    by_code = {o["code"]: o for o in orgs}
    keys = [(by_code[o["id"]][column], by_code[o["id"]]["id"]) for o in found]
    assert keys == sorted(keys, reverse=sort.startswith("-"))


@pytest.mark.parametrize("sort", ["distance", "-distance"])
def test_location_and_distance(api: ContractClient, orgs: list[dict[str, Any]], sort: str) -> None:
    center = orgs[0]
    found, total = walk(
        api, location=f"{center['latitude']},{center['longitude']}", distance=500, sort=sort
    )
    expected = {
        o["code"]: haversine(center["latitude"], center["longitude"], o["latitude"], o["longitude"])
        for o in orgs
    }
    expected = {code: d for code, d in expected.items() if d <= 500}
    assert total == len(expected)
    assert {o["id"] for o in found} == set(expected)
    for o in found:
        assert o["distance"] == pytest.approx(expected[o["id"]], abs=6e-5)
    distances = [o["distance"] for o in found]
    assert distances == sorted(distances, reverse=sort.startswith("-"))


@pytest.mark.parametrize(
    ("query", "param"),
    [
        ({"limit": "0"}, "limit"),
        ({"page": "-1"}, "page"),
        ({"distance": "10"}, "distance"),
        ({"location": "00000"}, "location"),
        ({"sort": "distance"}, "sort"),
        ({"sort": "age"}, "sort"),
        ({"state": "New Jersey"}, "state"),
        ({"country": "USA"}, "country"),
        ({"limit": "101"}, "limit"),
    ],
)
def test_bad_parameters(api: ContractClient, query: dict[str, str], param: str) -> None:
    response = api.get(f"{PREFIX}/organizations?{urlencode(query)}")
    assert response.status_code == 400
    assert param in {p["path"] for p in response.json()["invalid-params"]}


@pytest.mark.parametrize("case", [str.upper, str.lower])
def test_single_organization_any_case(
    api: ContractClient, orgs: list[dict[str, Any]], case: Any
) -> None:
    org = orgs[0]
    body = api.json(f"{PREFIX}/organizations/{case(org['code'])}")["organization"]
    assert body["id"] == org["code"]
    assert body["address"]["postcode"] == org["postcode"]
    assert set(body["hours"]) == {
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    }
    assert body["distance"] is None
    assert body["mission_statement"] and body["adoption"]["policy"]
    assert body["photos"] and body["photos"][0]["full"]


def test_organization_links_answer(api: ContractClient, orgs: list[dict[str, Any]]) -> None:
    body = api.json(f"{PREFIX}/organizations/{orgs[0]['code']}")["organization"]
    animals = api.json(body["_links"]["animals"]["href"])
    assert animals["animals"], "the busiest seeded organization should list animals"
    assert {a["organization_id"] for a in animals["animals"]} == {orgs[0]["code"]}
    assert api.get(body["_links"]["self"]["href"]).status_code == 200


def test_unknown_organization_is_404(api: ContractClient) -> None:
    response = api.get(f"{PREFIX}/organizations/ZZ0000")
    assert response.status_code == 404
