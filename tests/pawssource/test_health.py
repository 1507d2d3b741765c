"""A pet's medical records and tags: its account's only; the microchip is the pet's own fact,
shown and set as a tag."""

from __future__ import annotations

from typing import Any

import pytest

from tests.pawssource.conftest import PS, Accounts, owned_rows, public_id, row_id
from tests.support import reference

SHOT = {
    "record_type": "vaccination",
    "title": "Rabies booster",
    "date": "2026-01-10",
    "next_due_date": "2027-01-10",
}


def pet_of(fresh: Accounts, username: str = "petowner1") -> str:
    return public_id(fresh.db, owned_rows(fresh.db, username)[0]["id"])


def test_records_are_added_listed_changed_and_deleted(fresh: Accounts) -> None:
    pet = pet_of(fresh)
    made = fresh.owner.post(f"{PS}/pets/{pet}/medical_records", json=SHOT)
    assert made.status_code == 201, made.text
    record = made.json()["data"]
    assert record["id"].startswith("med_") and record["pet_id"] == pet
    assert record["next_due_date"] == "2027-01-10" and record["vet_id"] is None
    allergy = fresh.owner.post(
        f"{PS}/pets/{pet}/medical_records",
        json={"record_type": "allergy", "title": "Chicken", "description": "Itchy skin"},
    ).json()["data"]
    listed = fresh.owner.json(f"{PS}/pets/{pet}/medical_records")["data"]
    assert [r["id"] for r in listed] == [allergy["id"], record["id"]]
    only = fresh.owner.json(f"{PS}/pets/{pet}/medical_records?record_type=allergy")["data"]
    assert [r["id"] for r in only] == [allergy["id"]]
    vet = fresh.owner.json(f"{PS}/vets")["data"][0]["id"]
    changed = fresh.owner.patch(
        f"{PS}/pets/{pet}/medical_records/{record['id']}", json={"vet_id": vet, "title": "Rabies"}
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["data"]["vet_id"] == vet and changed.json()["data"]["title"] == "Rabies"
    gone = fresh.owner.delete(f"{PS}/pets/{pet}/medical_records/{record['id']}")
    assert gone.status_code == 200
    assert fresh.owner.get(f"{PS}/pets/{pet}/medical_records/{record['id']}").status_code == 404


def test_another_accounts_pet_has_no_records_for_you(fresh: Accounts) -> None:
    theirs = pet_of(fresh, "petowner2")
    made = fresh.other.post(f"{PS}/pets/{theirs}/medical_records", json=SHOT).json()["data"]
    assert fresh.owner.get(f"{PS}/pets/{theirs}/medical_records").status_code == 404
    assert fresh.owner.post(f"{PS}/pets/{theirs}/medical_records", json=SHOT).status_code == 404
    mine = pet_of(fresh)
    assert fresh.owner.get(f"{PS}/pets/{mine}/medical_records/{made['id']}").status_code == 404


@pytest.mark.parametrize(
    ("body", "status", "field", "issue"),
    [
        ({"title": "x"}, 400, "record_type", "required"),
        ({**SHOT, "record_type": "haircut"}, 422, "record_type", "must_be_one_of"),
        ({**SHOT, "date": "2999-01-01"}, 422, "date", "must_not_be_in_the_future"),
        ({**SHOT, "vet_id": "vet_nobody"}, 422, "provider", "not_found"),
        ({**SHOT, "title": ""}, 422, "title", "must_not_be_blank"),
    ],
)
def test_bad_records_are_refused(
    fresh: Accounts, body: dict[str, Any], status: int, field: str, issue: str
) -> None:
    response = fresh.owner.post(f"{PS}/pets/{pet_of(fresh)}/medical_records", json=body)
    assert response.status_code == status, response.text
    assert (field, issue) in [(d["field"], d["issue"]) for d in response.json()["error"]["details"]]


def test_the_microchip_is_the_pets_own_fact(fresh: Accounts) -> None:
    pet = fresh.owner.post(f"{PS}/pets", json={"name": "Chip", "species": "canine"}).json()["data"]
    tags = f"{PS}/pets/{pet['id']}/tags"
    assert fresh.owner.json(tags)["data"] == []
    chip = fresh.owner.post(tags, json={"tag_type": "microchip", "identifier": "985112003456789"})
    assert chip.status_code == 201, chip.text
    row = next(r for r in reference.all_animals(fresh.db) if r["id"] == row_id(fresh.db, pet["id"]))
    assert row["microchip_id"] == "985112003456789"
    again = fresh.owner.post(tags, json={"tag_type": "microchip", "identifier": "1"})
    assert again.status_code == 422
    qr = fresh.owner.post(tags, json={"tag_type": "qr", "identifier": "A2B3C4", "issuer": "City"})
    assert qr.status_code == 201
    listed = fresh.owner.json(tags)["data"]
    assert [t["tag_type"] for t in listed] == ["microchip", "qr"]
    taken = fresh.other.post(
        f"{PS}/pets/{pet_of(fresh, 'petowner2')}/tags",
        json={"tag_type": "qr", "identifier": "A2B3C4"},
    )
    assert taken.status_code == 422
    assert taken.json()["error"]["details"][0]["issue"] == "already_registered"
    chip_id = chip.json()["data"]["id"]
    assert fresh.owner.delete(f"{tags}/{chip_id}").status_code == 200
    row = next(r for r in reference.all_animals(fresh.db) if r["id"] == row_id(fresh.db, pet["id"]))
    assert row["microchip_id"] is None
    assert [t["tag_type"] for t in fresh.owner.json(tags)["data"]] == ["qr"]
    assert fresh.owner.delete(f"{tags}/{chip_id}").status_code == 404
