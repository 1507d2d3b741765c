"""POST /api/people: adopters and fosters."""

from __future__ import annotations

from typing import Any

import pytest

from tests.pawplacer.conftest import PP, Shelters
from tests.pawplacer.test_write import count_rows
from tests.support import examples

PEOPLE = f"{PP}/api/people"


def person(**overrides: Any) -> dict[str, Any]:
    return {
        "type": "adopter",
        "name": "Jane Smith",
        "email": "jane@example.com",
        "phone": "555-0100",
        "address": "123 Main St",
        "custom_field_data": {"has_yard": True},
        **overrides,
    }


def test_create_adopter_as_documented(fresh: Shelters) -> None:
    response = fresh.write_a.post(PEOPLE, json=person())
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "pending" and body["tags"] == [] and body["capacity"] is None
    assert (body["type"], body["name"], body["email"]) == (
        "adopter",
        "Jane Smith",
        "jane@example.com",
    )
    assert body["address"] == "123 Main St" and body["custom_field_data"] == {"has_yard": True}
    assert not examples.missing_or_mistyped(examples.load("pawplacer", "person-created.json"), body)


def test_create_foster_with_capacity_and_status(fresh: Shelters) -> None:
    response = fresh.write_a.post(
        f"{PEOPLE}?type=foster",
        json={
            "type": "foster",
            "name": "Sam",
            "capacity": 3,
            "status": "active",
            "status_change_notes": "Trained",
            "custom_field_data": {"experience_years": "2"},
        },
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["capacity"], body["status"], body["status_change_notes"]) == (
        3,
        "active",
        "Trained",
    )
    assert body["custom_field_data"] == {"experience_years": 2}


def test_type_from_the_query(fresh: Shelters) -> None:
    body = {"name": "Query Type"}
    response = fresh.write_a.post(f"{PEOPLE}?type=foster", json=body)
    assert response.status_code == 201 and response.json()["type"] == "foster"


BAD = [
    ({"type": "landlord"}, "type"),
    ({"name": ""}, "name"),
    ({"email": "not-an-email"}, "email"),
    ({"email": "a@b"}, "email"),
    ({"capacity": -1}, "capacity"),
    ({"capacity": 2.5}, "capacity"),
    ({"capacity": "3"}, "capacity"),
    ({"status": "approved"}, "status"),
    ({"custom_field_data": {"has_yard": "yes"}}, "custom_field_data.has_yard"),
    ({"custom_field_data": {"pool": True}}, "custom_field_data"),
    ({"phone": 5550100}, "phone"),
    ({"favourite_colour": "blue"}, "favourite_colour"),
]


@pytest.mark.parametrize(("overrides", "field"), BAD)
def test_bad_input_names_the_field_and_writes_nothing(
    fresh: Shelters, overrides: dict[str, Any], field: str
) -> None:
    before = count_rows(fresh.db, "persons")
    response = fresh.write_a.post(PEOPLE, json=person(**overrides))
    assert response.status_code == 400, response.text
    assert response.json()["code"] == "validation_failed"
    assert field in {d["field"] for d in response.json()["details"]}
    assert count_rows(fresh.db, "persons") == before


def test_missing_type_and_name(fresh: Shelters) -> None:
    response = fresh.write_a.post(PEOPLE, json={"email": "x@example.com"})
    assert response.status_code == 400
    assert {d["field"] for d in response.json()["details"]} >= {"type", "name"}


def test_query_and_body_types_must_agree(fresh: Shelters) -> None:
    response = fresh.write_a.post(f"{PEOPLE}?type=foster", json=person(type="adopter"))
    assert response.status_code == 400


def test_read_key_cannot_create_people(fresh: Shelters) -> None:
    response = fresh.read_a.post(PEOPLE, json=person())
    assert response.status_code == 403 and response.json()["code"] == "insufficient_scope"
