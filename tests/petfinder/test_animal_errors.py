"""Malformed parameters: 400 ERR-00002 naming the parameter, never a 500."""

from __future__ import annotations

import pytest

from tests.petfinder.helpers import animals_url
from tests.support.api import ContractClient

CASES = [
    ({"limit": "0"}, "limit"),
    ({"limit": "101"}, "limit"),
    ({"limit": "ten"}, "limit"),
    ({"page": "-1"}, "page"),
    ({"page": "0"}, "page"),
    ({"page": "1.5"}, "page"),
    ({"distance": "50"}, "distance"),
    ({"location": "10001", "distance": "501"}, "distance"),
    ({"location": "10001", "distance": "-1"}, "distance"),
    ({"location": "10001", "distance": "far"}, "distance"),
    ({"location": "00000"}, "location"),
    ({"location": "Atlantis, ZZ"}, "location"),
    ({"location": "91.5,10"}, "location"),
    ({"location": "nowhere at all"}, "location"),
    ({"type": "test"}, "type"),
    ({"type": "dragon"}, "type"),
    ({"breed": "Unicorn"}, "breed"),
    ({"type": "cat", "breed": "Akita"}, "breed"),
    ({"size": "huge"}, "size"),
    ({"gender": "robot"}, "gender"),
    ({"age": "ancient"}, "age"),
    ({"coat": "feathers"}, "coat"),
    ({"color": "Plaid"}, "color"),
    ({"status": "lost"}, "status"),
    ({"good_with_children": "yes"}, "good_with_children"),
    ({"good_with_dogs": "2"}, "good_with_dogs"),
    ({"good_with_cats": "maybe"}, "good_with_cats"),
    ({"house_trained": "y"}, "house_trained"),
    ({"declawed": "nope"}, "declawed"),
    ({"special_needs": "t"}, "special_needs"),
    ({"before": "yesterday"}, "before"),
    ({"after": "2019-13-45"}, "after"),
    ({"sort": "name"}, "sort"),
    ({"sort": "distance"}, "sort"),
    ({"sort": "-distance"}, "sort"),
]


@pytest.mark.parametrize(("query", "param"), CASES)
def test_bad_parameter_is_named(api: ContractClient, query: dict[str, str], param: str) -> None:
    response = api.get(animals_url(**query))
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["type"] == "https://www.petfinder.com/developers/v2/docs/errors/ERR-00002/"
    assert problem["title"] == "Invalid Request"
    assert problem["status"] == 400
    assert param in {p["path"] for p in problem["invalid-params"]}
    assert all(p["in"] == "query" and p["message"] for p in problem["invalid-params"])


def test_every_bad_parameter_is_reported_at_once(api: ContractClient) -> None:
    response = api.get(animals_url(limit="0", page="-1", type="test"))
    assert response.status_code == 400
    assert {p["path"] for p in response.json()["invalid-params"]} == {"limit", "page", "type"}


def test_the_documented_example_message(api: ContractClient) -> None:
    problem = api.get(animals_url(type="test")).json()
    assert problem["invalid-params"] == [
        {"in": "query", "path": "type", "message": "test is not a valid animal type."}
    ]


@pytest.mark.parametrize("animal_id", ["0", "999999999", "abc", "12abc", "99999999999999999999999"])
def test_unknown_animal_is_404(api: ContractClient, animal_id: str) -> None:
    response = api.get(f"/petfinder/v2/animals/{animal_id}")
    assert response.status_code == 404
    assert response.json()["type"].endswith("/ERR-404/")


@pytest.mark.parametrize("animal_id", ["%C2%B2", "%D9%A3", "1%C2%B2"])
def test_an_id_in_other_digits_is_a_400_naming_it(api: ContractClient, animal_id: str) -> None:
    response = api.get(f"/petfinder/v2/animals/{animal_id}")
    assert response.status_code == 400
    assert response.json()["invalid-params"][0]["path"] == "id"


def test_unknown_path_under_the_prefix_is_a_problem(api: ContractClient) -> None:
    response = api.client.get(
        "/petfinder/v2/nothing-here", headers={"Authorization": f"Bearer {api.token}"}
    )
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["type"].endswith("/ERR-404/")


def test_page_past_the_end_is_empty(api: ContractClient) -> None:
    page = api.json(animals_url(page="100000", type="dog"))
    assert page["animals"] == []
    assert page["pagination"]["current_page"] == 100000
    assert "next" not in page["pagination"]["_links"]
