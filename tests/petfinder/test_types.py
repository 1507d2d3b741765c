"""Animal types and breeds, shipped as data."""

from __future__ import annotations

import pytest

from tests.petfinder.helpers import PREFIX
from tests.support.api import ContractClient

TYPE_NAMES = [
    "Dog",
    "Cat",
    "Rabbit",
    "Small & Furry",
    "Horse",
    "Bird",
    "Scales, Fins & Other",
    "Barnyard",
]


def test_types_lists_the_eight_types(api: ContractClient) -> None:
    types = api.json(f"{PREFIX}/types")["types"]
    assert [t["name"] for t in types] == TYPE_NAMES
    for t in types:
        assert t["genders"] and t["colors"]
        for link in t["_links"].values():
            assert link["href"].startswith(PREFIX + "/types/")
            assert api.get(link["href"]).status_code == 200


def test_documented_values(api: ContractClient) -> None:
    types = {t["name"]: t for t in api.json(f"{PREFIX}/types")["types"]}
    assert types["Rabbit"]["coats"] == ["Short", "Long"]
    assert types["Bird"]["coats"] == []
    assert types["Bird"]["genders"] == ["Male", "Female", "Unknown"]
    assert types["Dog"]["coats"] == ["Hairless", "Short", "Medium", "Long", "Wire", "Curly"]
    assert "Tricolor (Brown, Black, & White)" in types["Dog"]["colors"]


@pytest.mark.parametrize(
    "name", ["dog", "Dog", "DOG", "small-furry", "Small & Furry", "scales-fins-other"]
)
def test_single_type_by_slug_or_name(api: ContractClient, name: str) -> None:
    body = api.json(f"{PREFIX}/types/{name}")
    assert body["type"]["name"] in TYPE_NAMES
    assert body["type"]["_links"]["breeds"]["href"].endswith("/breeds")


@pytest.mark.parametrize(
    ("slug", "at_least"),
    [
        ("dog", 270),
        ("cat", 65),
        ("rabbit", 40),
        ("small-furry", 15),
        ("horse", 30),
        ("bird", 35),
        ("scales-fins-other", 50),
        ("barnyard", 25),
    ],
)
def test_full_breed_lists(api: ContractClient, slug: str, at_least: int) -> None:
    breeds = api.json(f"{PREFIX}/types/{slug}/breeds")["breeds"]
    assert len(breeds) >= at_least
    assert len({b["name"] for b in breeds}) == len(breeds)
    assert {b["_links"]["type"]["href"] for b in breeds} == {f"{PREFIX}/types/{slug}"}


def test_affenpinscher_is_the_first_dog_breed(api: ContractClient) -> None:
    assert api.json(f"{PREFIX}/types/dog/breeds")["breeds"][0]["name"] == "Affenpinscher"


@pytest.mark.parametrize("path", ["/types/dragon", "/types/dragon/breeds"])
def test_unknown_type_is_404(api: ContractClient, path: str) -> None:
    response = api.get(PREFIX + path)
    assert response.status_code == 404
    assert response.json()["type"].endswith("/ERR-404/")
