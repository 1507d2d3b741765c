"""Pets of an account through Paws Source: listed, read, created, changed and deleted, each
account seeing its own only, every answer checked against the contract."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from openpaws.storage.tables import outbox_events
from tests.pawssource.conftest import PS, Accounts, owned_rows, public_id, row_id
from tests.support import reference

BUSTER = {
    "name": "Buster",
    "species": "canine",
    "breed": "Golden Retriever",
    "date_of_birth": "2019-05-04",
    "medical_notes": "Allergic to chicken.",
}


def test_an_owner_lists_their_own_pets_only(seeded: Accounts) -> None:
    body = seeded.owner.json(f"{PS}/pets")
    expected = owned_rows(seeded.db, "petowner1")
    assert expected, "the demo gives every owner a pet"
    assert {p["id"] for p in body["data"]} == {public_id(seeded.db, r["id"]) for r in expected}
    assert body["meta"] == {"next_cursor": None, "has_more": False}
    assert all(p["status"] == "active" for p in body["data"])


def test_another_accounts_pet_is_not_found(seeded: Accounts) -> None:
    theirs = owned_rows(seeded.db, "petowner2")[0]
    response = seeded.owner.get(f"{PS}/pets/{public_id(seeded.db, theirs['id'])}")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    mine = seeded.other.get(f"{PS}/pets/{public_id(seeded.db, theirs['id'])}")
    assert mine.status_code == 200 and mine.json()["data"]["name"] == theirs["name"]


@pytest.mark.parametrize("pet_id", ["pet_zzzzzzzz", "pet_1", "dog_8x2k9m4p", "12", "pet_00000000"])
def test_ids_that_name_no_pet_are_not_found(seeded: Accounts, pet_id: str) -> None:
    response = seeded.owner.get(f"{PS}/pets/{pet_id}")
    assert response.status_code == 404


def test_a_shelter_lists_its_animals_listed_or_not(seeded: Accounts) -> None:
    code_of = {o["code"]: i for i, o in reference.all_organizations(seeded.db).items()}
    mine = [
        r
        for r in reference.all_animals(seeded.db)
        if r["organization_id"] == code_of[seeded.shelter] and r["deleted_at"] is None
    ]
    newest = sorted(mine, key=lambda r: (r["created_at"], r["id"]), reverse=True)[:20]
    body = seeded.shelter_client.json(f"{PS}/pets")
    assert [p["id"] for p in body["data"]] == [public_id(seeded.db, r["id"]) for r in newest]
    assert body["meta"]["has_more"] is (len(mine) > 20)


def test_create_then_read_the_same_pet(fresh: Accounts) -> None:
    created = fresh.owner.post(f"{PS}/pets", json=BUSTER)
    assert created.status_code == 201, created.text
    pet = created.json()["data"]
    assert pet["name"] == "Buster" and pet["species"] == "canine"
    assert pet["breed"] == "Golden Retriever" and pet["status"] == "active"
    assert pet["date_of_birth"] == "2019-05-04" and pet["medical_notes"] == "Allergic to chicken."
    born = datetime(2019, 5, 4, tzinfo=UTC).date()
    today = datetime.now(UTC).date()
    assert pet["age_years"] == today.year - born.year - ((today.month, today.day) < (5, 4))
    assert fresh.owner.json(f"{PS}/pets/{pet['id']}")["data"] == pet
    assert fresh.owner.json(f"{PS}/pets?limit=1")["data"][0]["id"] == pet["id"]
    row = next(r for r in reference.all_animals(fresh.db) if r["id"] == row_id(fresh.db, pet["id"]))
    assert row["status"] == "owned" and row["public_status"] is None
    assert row["organization_id"] is None and row["age"] == "adult"


def test_a_created_pet_is_an_event_of_its_account(fresh: Accounts) -> None:
    pet = fresh.owner.post(f"{PS}/pets", json=BUSTER).json()["data"]
    row = next(r for r in reference.all_animals(fresh.db) if r["id"] == row_id(fresh.db, pet["id"]))
    with fresh.db.engine.connect() as conn:
        events = conn.execute(
            select(outbox_events).where(outbox_events.c.subject == row["uuid"])
        ).all()
    assert [e.event_type for e in events] == ["animal.created"]
    assert events[0].person_id == row["owner_person_id"] and events[0].organization_id is None


def test_ids_are_not_sequential_to_the_eye_and_never_change(fresh: Accounts) -> None:
    first = fresh.owner.post(f"{PS}/pets", json=BUSTER).json()["data"]["id"]
    second = fresh.owner.post(f"{PS}/pets", json=BUSTER).json()["data"]["id"]
    assert row_id(fresh.db, second) == row_id(fresh.db, first) + 1
    assert sum(a != b for a, b in zip(first[4:], second[4:], strict=True)) >= 4
    again = fresh.owner.json(f"{PS}/pets/{first}")["data"]["id"]
    assert again == first


def test_update_changes_only_what_is_sent(fresh: Accounts) -> None:
    pet = fresh.owner.post(f"{PS}/pets", json=BUSTER).json()["data"]
    changed = fresh.owner.patch(
        f"{PS}/pets/{pet['id']}", json={"weight_kg": 32.5, "breed": None, "status": "deceased"}
    )
    assert changed.status_code == 200, changed.text
    after = changed.json()["data"]
    assert after["weight_kg"] == 32.5 and after["breed"] is None
    assert after["status"] == "deceased" and after["name"] == "Buster"
    listed = fresh.owner.json(f"{PS}/pets?status=deceased")["data"]
    assert [p["id"] for p in listed] == [pet["id"]]
    back = fresh.owner.patch(f"{PS}/pets/{pet['id']}", json={"status": "active"})
    assert back.json()["data"]["status"] == "active"


def test_delete_hides_the_pet_for_good(fresh: Accounts) -> None:
    pet = fresh.owner.post(f"{PS}/pets", json=BUSTER).json()["data"]
    deleted = fresh.owner.delete(f"{PS}/pets/{pet['id']}")
    assert deleted.status_code == 200
    assert deleted.json() == {"data": {"id": pet["id"], "deleted": True}}
    assert fresh.owner.get(f"{PS}/pets/{pet['id']}").status_code == 404
    assert fresh.owner.delete(f"{PS}/pets/{pet['id']}").status_code == 404
    listed = fresh.owner.json(f"{PS}/pets?limit=100")["data"]
    assert pet["id"] not in {p["id"] for p in listed}


def test_another_accounts_pet_cannot_be_changed_or_deleted(fresh: Accounts) -> None:
    theirs = fresh.other.post(f"{PS}/pets", json=BUSTER).json()["data"]
    before = reference.all_animals(fresh.db)
    assert fresh.owner.patch(f"{PS}/pets/{theirs['id']}", json={"name": "X"}).status_code == 404
    assert fresh.owner.delete(f"{PS}/pets/{theirs['id']}").status_code == 404
    assert reference.all_animals(fresh.db) == before


@pytest.mark.parametrize(
    ("species", "stored_type"),
    [
        ("feline", "cat"),
        ("avian", "bird"),
        ("piscine", "scales-fins-other"),
        ("reptile", "scales-fins-other"),
        ("livestock", "barnyard"),
    ],
)
def test_species_words_round_trip_and_filter(
    fresh: Accounts, species: str, stored_type: str
) -> None:
    pet = fresh.owner.post(f"{PS}/pets", json={"name": "Nemo", "species": species}).json()["data"]
    assert pet["species"] == species
    row = next(r for r in reference.all_animals(fresh.db) if r["id"] == row_id(fresh.db, pet["id"]))
    assert row["type"] == stored_type
    found = fresh.owner.json(f"{PS}/pets?species={species}&limit=100")["data"]
    assert pet["id"] in {p["id"] for p in found}
    assert {p["species"] for p in found} == {species}


def test_a_shelters_pet_is_the_record_the_other_apis_show(fresh: Accounts) -> None:
    pet = fresh.shelter_client.post(f"{PS}/pets", json=BUSTER).json()["data"]
    row = next(r for r in reference.all_animals(fresh.db) if r["id"] == row_id(fresh.db, pet["id"]))
    assert row["organization_id"] is not None and row["status"] == "available"
    assert row["show_public"] is False  # created here, not published here
    with fresh.db.engine.connect() as conn:
        event = conn.execute(
            select(outbox_events).where(outbox_events.c.subject == row["uuid"])
        ).one()
    assert event.organization_id == row["organization_id"]


def walk(client: Any, url: str) -> list[str]:
    seen: list[str] = []
    cursor = None
    while True:
        page = client.json(url + (f"&cursor={cursor}" if cursor else ""))
        seen += [p["id"] for p in page["data"]]
        if not page["meta"]["has_more"]:
            assert page["meta"]["next_cursor"] is None
            return seen
        cursor = page["meta"]["next_cursor"]


def test_cursor_walk_sees_each_pet_once_under_concurrent_changes(fresh: Accounts) -> None:
    ids = [fresh.owner.post(f"{PS}/pets", json=BUSTER).json()["data"]["id"] for _ in range(25)]
    everything = walk(fresh.owner, f"{PS}/pets?limit=100")
    seen: list[str] = []
    cursor = None
    deleted: set[str] = set()
    while True:
        page = fresh.owner.json(f"{PS}/pets?limit=4" + (f"&cursor={cursor}" if cursor else ""))
        seen += [p["id"] for p in page["data"]]
        # Between pages: a new pet (newer than the walk, so not in it) and one deleted ahead.
        fresh.owner.post(f"{PS}/pets", json=BUSTER)
        ahead = [i for i in ids if i not in seen and i not in deleted]
        if ahead:
            fresh.owner.delete(f"{PS}/pets/{ahead[-1]}")
            deleted.add(ahead[-1])
        if not page["meta"]["has_more"]:
            break
        cursor = page["meta"]["next_cursor"]
    assert len(seen) == len(set(seen))
    assert seen == [i for i in everything if i not in deleted]


def test_the_cursor_is_base64_json_of_the_last_id(fresh: Accounts) -> None:
    import base64
    import json

    for _ in range(3):
        fresh.owner.post(f"{PS}/pets", json=BUSTER)
    page = fresh.owner.json(f"{PS}/pets?limit=2")
    cursor = page["meta"]["next_cursor"]
    decoded = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    assert decoded["id"] == page["data"][-1]["id"]
    assert set(decoded) == {"id", "created_at"}


TOMORROW = (datetime.now(UTC) + timedelta(days=2)).date().isoformat()


@pytest.mark.parametrize(
    ("body", "status", "field", "issue"),
    [
        ({"species": "canine"}, 400, "name", "required"),
        ({"name": "Rex"}, 400, "species", "required"),
        ({**BUSTER, "date_of_birth": "12/05/2019"}, 422, "date_of_birth", "must_be_valid_iso_date"),
        ({**BUSTER, "date_of_birth": TOMORROW}, 422, "date_of_birth", "must_not_be_in_the_future"),
        ({**BUSTER, "species": "dog"}, 422, "species", "must_be_one_of"),
        ({**BUSTER, "name": "   "}, 422, "name", "must_not_be_blank"),
        ({**BUSTER, "name": 7}, 422, "name", "must_be_string"),
        ({**BUSTER, "name": "x" * 201}, 422, "name", "too_long"),
        ({**BUSTER, "weight_kg": "heavy"}, 422, "weight_kg", "must_be_number"),
        ({**BUSTER, "weight_kg": 0}, 422, "weight_kg", "out_of_range"),
        ({**BUSTER, "colour": "red"}, 422, "colour", "unknown_field"),
    ],
)
def test_bad_bodies_are_refused_in_the_envelope_and_change_nothing(
    fresh: Accounts, body: dict[str, Any], status: int, field: str, issue: str
) -> None:
    before = reference.all_animals(fresh.db)
    response = fresh.owner.post(f"{PS}/pets", json=body)
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == ("invalid_request" if status == 400 else "validation_failed")
    assert {"field": field, "issue": issue} in [
        {"field": d["field"], "issue": d["issue"]} for d in error["details"]
    ]
    assert reference.all_animals(fresh.db) == before


def test_the_seeds_date_error_is_worded_as_the_seed_words_it(fresh: Accounts) -> None:
    response = fresh.owner.post(f"{PS}/pets", json={**BUSTER, "date_of_birth": "soon"})
    assert response.json() == {
        "error": {
            "code": "validation_failed",
            "message": "The request contains invalid parameters.",
            "details": [
                {
                    "field": "date_of_birth",
                    "issue": "must_be_valid_iso_date",
                    "message": "Invalid date format provided.",
                }
            ],
        }
    }


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b'{"name": ', "application/json"),
        (b"[1, 2]", "application/json"),
        (b"", "application/json"),
        (b'{"name": "Rex", "species": "canine"}', "text/plain"),
    ],
)
def test_unreadable_bodies_are_400(fresh: Accounts, content: bytes, content_type: str) -> None:
    response = fresh.owner.post(
        f"{PS}/pets", content=content, headers={"Content-Type": content_type}
    )
    assert response.status_code == 400, response.text
    assert response.json()["error"]["code"] == "invalid_request"


@pytest.mark.parametrize(
    ("query", "field", "issue"),
    [
        ("limit=0", "limit", "out_of_range"),
        ("limit=101", "limit", "out_of_range"),
        ("limit=ten", "limit", "must_be_integer"),
        ("species=dragon", "species", "must_be_one_of"),
        ("status=adopted", "status", "must_be_one_of"),
        ("cursor=not-a-cursor", "cursor", "invalid_cursor"),
        ("cursor=eyJpZCI6InBldF84eDJrOW00cCJ9", "cursor", "invalid_cursor"),
    ],
)
def test_bad_list_parameters_are_422(seeded: Accounts, query: str, field: str, issue: str) -> None:
    response = seeded.owner.get(f"{PS}/pets?{query}")
    assert response.status_code == 422, response.text
    details = response.json()["error"]["details"]
    assert [(d["field"], d["issue"]) for d in details] == [(field, issue)]
