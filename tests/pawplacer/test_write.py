"""The write API: create and update pets, every field, every kind of bad input."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from sqlalchemy import text

from openpaws.storage.database import Database
from tests.pawplacer.conftest import PP, Shelters, pet_body
from tests.support import setup

PETS = f"{PP}/api/pets"


def count_rows(db: Database, table: str) -> int:
    with db.engine.connect() as conn:
        return int(conn.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar_one())


def create(s: Shelters, **overrides: Any) -> dict[str, Any]:
    response = s.write_a.post(PETS, json=pet_body(**overrides))
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def test_create_answers_the_full_pet(fresh: Shelters) -> None:
    pet = create(fresh)
    assert uuid.UUID(pet["id"])
    assert pet["name"] == "Max" and pet["species"] == "dog" and pet["status"] == "Available"
    assert pet["adoption_fee"] == "250"
    assert pet["good_with"] == ["families", "kids"] and pet["bad_with"] == []
    assert pet["temperaments"] == ["playful", "loyal"]
    assert pet["custom_field_data"] == {"favorite_toy": "Tennis ball"}
    assert pet["color"] == [] and pet["image_urls"] == [] and pet["tags"] == []
    assert pet["description"] == "" and pet["image_url"] is None
    assert fresh.read_a.json(f"{PETS}/{pet['id']}") == pet


def test_every_optional_field_round_trips(fresh: Shelters) -> None:
    vet = next(o for o in _organizations(fresh.db) if o["code"] not in (fresh.a, fresh.b))
    pet = create(
        fresh,
        custom_id="EXT-1001",
        microchip_id="985112003456789",
        image_urls=["https://example.org/max-1.jpg", "https://example.org/max-2.jpg"],
        breed=["Labrador Retriever", "Poodle"],
        color=["Black", "White"],
        weight="32.5 kg",
        coat_length="short",
        intake_date="2026-01-05",
        outcome_date="2026-03-01T10:00:00Z",
        age_birthday="2022-04-01",
        bad_with=["cats", "smallApartments"],
        special_needs=["Daily insulin"],
        description="A gentle giant.",
        status_change_notes="Ready",
        primary_veterinarian_id=vet["uuid"],
        template_id=str(uuid.uuid4()),
        location_found="Main St",
        reason_for_surrender="Moving",
        adoption_fee="99.50",
        age_years="4",
        age_months=7,
        spayed=True,
    )
    assert pet["custom_id"] == "EXT-1001" and pet["microchip_id"] == "985112003456789"
    assert pet["image_urls"] == ["https://example.org/max-1.jpg", "https://example.org/max-2.jpg"]
    assert pet["image_url"] == "https://example.org/max-1.jpg"
    assert pet["breed"] == ["Labrador Retriever", "Poodle"] and pet["color"] == ["Black", "White"]
    assert pet["weight"] == "32.5 kg" and pet["coat_length"] == "short"
    assert pet["intake_date"] == "2026-01-05" and pet["outcome_date"] == "2026-03-01"
    assert pet["age_birthday"] == "2022-04-01"
    assert pet["bad_with"] == ["cats", "smallApartments"]
    assert pet["good_with"] == ["families", "kids"]
    assert pet["special_needs"] == ["Daily insulin"] and pet["description"] == "A gentle giant."
    assert pet["status_change_notes"] == "Ready"
    assert pet["primary_veterinarian"] == vet["name"]
    assert (pet["adoption_fee"], pet["age_years"], pet["age_months"]) == ("99.50", "4", "7")
    assert pet["spayed"] is True


def _organizations(db: Database) -> list[dict[str, Any]]:
    from tests.support import reference

    return list(reference.all_organizations(db).values())


@pytest.mark.parametrize(
    "field", ["name", "species", "age_category", "sex", "size", "status", "health"]
)
def test_required_fields(fresh: Shelters, field: str) -> None:
    before = count_rows(fresh.db, "animals")
    body = pet_body()
    del body[field]
    response = fresh.write_a.post(PETS, json=body)
    assert response.status_code == 400
    assert response.json()["code"] == "validation_failed"
    assert f"{field} - Required" in response.json()["error"]
    assert count_rows(fresh.db, "animals") == before


BAD_VALUES = [
    ("species", "dragon"),
    ("species", 7),
    ("age_category", "baby"),
    ("sex", "m"),
    ("size", "XL"),
    ("health", "fine"),
    ("show_public", "yes"),
    ("spayed", 1),
    ("breed", "Lab"),
    ("breed", ["a", "b", "c"]),
    ("color", [1]),
    ("good_with", ["wolves"]),
    ("bad_with", "cats"),
    ("temperaments", ["grumpy"]),
    ("image_urls", ["not a url"]),
    ("adoption_fee", "free"),
    ("adoption_fee", -5),
    ("adoption_fee", True),
    ("age_years", "four"),
    ("age_years", -1),
    ("age_months", 2.5),
    ("intake_date", "yesterday"),
    ("outcome_date", "2026-02-30"),
    ("age_birthday", 20220401),
    ("weight", "heavy"),
    ("coat_length", "fluffy"),
    ("primary_veterinarian_id", "not-a-uuid"),
    ("template_id", "x"),
    ("custom_status_id", "x"),
    ("name", ""),
    ("name", 5),
    ("description", ["x"]),
    ("custom_field_data", "toy"),
    ("custom_id", 12),
    ("name", "x" * 201),
]


@pytest.mark.parametrize(("field", "value"), BAD_VALUES)
def test_bad_values_name_the_field(fresh: Shelters, field: str, value: Any) -> None:
    before = count_rows(fresh.db, "animals")
    response = fresh.write_a.post(PETS, json=pet_body(**{field: value}))
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["code"] == "validation_failed"
    assert field in {d["field"] for d in body["details"]}
    assert count_rows(fresh.db, "animals") == before


def test_unknown_fields_are_named(fresh: Shelters) -> None:
    response = fresh.write_a.post(PETS, json=pet_body(colour=["Black"], nickname="M"))
    assert response.status_code == 400
    assert "colour" in response.json()["error"] and "nickname" in response.json()["error"]


def test_unknown_custom_field_lists_the_available_ones(fresh: Shelters) -> None:
    response = fresh.write_a.post(PETS, json=pet_body(custom_field_data={"shoe_size": 4}))
    assert response.status_code == 400
    body = response.json()
    assert body["available_fields"] == ["favorite_toy", "energy_level"]
    assert "favorite_toy" in body["error"]


@pytest.mark.parametrize(
    "data",
    [{"favorite_toy": 5}, {"energy_level": "extreme"}, {"energy_level": ["low"]}],
)
def test_custom_field_types_and_options(fresh: Shelters, data: dict[str, Any]) -> None:
    response = fresh.write_a.post(PETS, json=pet_body(custom_field_data=data))
    assert response.status_code == 400
    key = next(iter(data))
    assert f"custom_field_data.{key}" in {d["field"] for d in response.json()["details"]}


def test_required_custom_field(fresh: Shelters) -> None:
    setup.add_field(fresh.db, fresh.a, "pet", "kennel", "Kennel", "number", required=True)
    missing = fresh.write_a.post(PETS, json=pet_body())
    assert missing.status_code == 400
    assert "custom_field_data.kennel - Required" in missing.json()["error"]
    given = fresh.write_a.post(
        PETS, json=pet_body(custom_field_data={"favorite_toy": "Ball", "kennel": "12"})
    )
    assert given.status_code == 201
    assert given.json()["custom_field_data"] == {"favorite_toy": "Ball", "kennel": 12}


@pytest.mark.parametrize(
    ("sent", "label"),
    [("Adopted", "Adopted"), ("pending", "Pending"), ("Moonwalking", "Available")],
)
def test_status_labels_and_fallback(fresh: Shelters, sent: str, label: str) -> None:
    assert create(fresh, status=sent)["status"] == label


def test_custom_status_id(fresh: Shelters) -> None:
    hold = next(s for s in setup.statuses(fresh.db, fresh.a) if s.label == "On Hold")
    pet = create(fresh, custom_status_id=hold.uuid)
    assert pet["status"] == "On Hold"
    other = setup.statuses(fresh.db, fresh.b)[0]
    response = fresh.write_a.post(PETS, json=pet_body(custom_status_id=other.uuid))
    assert response.status_code == 400


def test_duplicate_custom_id_on_create_and_update(fresh: Shelters) -> None:
    create(fresh, custom_id="DUP-1")
    again = fresh.write_a.post(PETS, json=pet_body(custom_id="DUP-1"))
    assert again.status_code == 400 and "custom_id" in again.json()["error"]
    other = create(fresh, custom_id="DUP-2")
    clash = fresh.write_a.patch(f"{PETS}/{other['id']}", json={"custom_id": "DUP-1"})
    assert clash.status_code == 400 and "custom_id" in clash.json()["error"]
    assert fresh.write_b.post(PETS, json=pet_body(custom_id="DUP-1")).status_code == 201


def test_patch_changes_only_sent_fields(fresh: Shelters) -> None:
    pet = (
        create(fresh, custom_id="EXT-7", description="Before", tags=None)
        if False
        else create(fresh, custom_id="EXT-7", description="Before")
    )
    response = fresh.write_a.patch(
        f"{PETS}/{pet['id']}", json={"description": "After", "age_years": "5", "adoption_fee": 10}
    )
    assert response.status_code == 200
    updated = response.json()
    assert updated["description"] == "After"
    assert (updated["age_years"], updated["adoption_fee"]) == ("5", "10")
    unchanged = {
        k: v
        for k, v in pet.items()
        if k not in ("description", "age_years", "adoption_fee", "updated_at")
    }
    assert {k: updated[k] for k in unchanged} == unchanged
    assert updated["updated_at"] > pet["updated_at"]


def test_patch_by_percent_encoded_custom_id(fresh: Shelters) -> None:
    pet = create(fresh, custom_id="DOG/2026 001")
    response = fresh.write_a.patch(f"{PETS}/DOG%2F2026%20001", json={"name": "Maxwell"})
    assert response.status_code == 200
    assert response.json()["id"] == pet["id"] and response.json()["name"] == "Maxwell"


def test_patch_prefers_the_uuid(fresh: Shelters) -> None:
    first = create(fresh)
    second = create(fresh, custom_id=first["id"])
    response = fresh.write_a.patch(f"{PETS}/{first['id']}", json={"name": "First"})
    assert response.json()["id"] == first["id"]
    assert fresh.read_a.json(f"{PETS}/{second['id']}")["name"] == "Max"


def test_patch_needs_a_field(fresh: Shelters) -> None:
    pet = create(fresh)
    response = fresh.write_a.patch(f"{PETS}/{pet['id']}", json={})
    assert response.status_code == 400 and response.json()["code"] == "validation_failed"


def test_patch_can_clear_required_fields_no(fresh: Shelters) -> None:
    pet = create(fresh)
    response = fresh.write_a.patch(f"{PETS}/{pet['id']}", json={"name": ""})
    assert response.status_code == 400


@pytest.mark.parametrize("target", ["missing", "other-org", "deleted"])
def test_patch_unknown_pet(fresh: Shelters, target: str) -> None:
    pet_id = str(uuid.uuid4())
    if target == "other-org":
        pet_id = fresh.write_b.post(PETS, json=pet_body()).json()["id"]
    if target == "deleted":
        pet_id = create(fresh)["id"]
        setup.delete_pet(fresh.db, fresh.a, pet_id)
    response = fresh.write_a.patch(f"{PETS}/{pet_id}", json={"name": "X"})
    assert response.status_code == 404
    assert response.json() == {**response.json(), "code": "pet_not_found", "error": "Pet not found"}


def test_deleted_pet_is_gone_everywhere(fresh: Shelters) -> None:
    pet = create(fresh, custom_id="GONE-1")
    setup.delete_pet(fresh.db, fresh.a, "GONE-1")
    assert fresh.read_a.get(f"{PETS}/{pet['id']}").status_code == 404
    assert pet["id"] not in {p["id"] for p in fresh.read_a.json(f"{PETS}?limit=100")["pets"]}


@pytest.mark.parametrize(
    ("content", "content_type", "code"),
    [
        (b"", "application/json", "bad_request"),
        (b"   ", "application/json", "bad_request"),
        (b"{", "application/json", "malformed_json"),
        (b"name=Max", "application/x-www-form-urlencoded", "unsupported_content_type"),
        (b'{"name": "Max"}', "text/plain", "unsupported_content_type"),
        (b"[1, 2]", "application/json", "validation_failed"),
        (b'"text"', "application/json", "validation_failed"),
    ],
)
def test_body_problems(fresh: Shelters, content: bytes, content_type: str, code: str) -> None:
    before = count_rows(fresh.db, "animals")
    response = fresh.write_a.post(PETS, content=content, headers={"Content-Type": content_type})
    assert response.status_code == 400
    assert response.json()["code"] == code
    assert count_rows(fresh.db, "animals") == before


def test_documented_error_messages(fresh: Shelters) -> None:
    empty = fresh.write_a.post(PETS, content=b"", headers={"Content-Type": "application/json"})
    assert empty.json()["error"] == (
        "Empty request body. To list pets, use GET /api/pets. POST creates new pets."
    )
    wrong = fresh.write_a.post(PETS, content=b"x", headers={"Content-Type": "text/plain"})
    assert (
        wrong.json()["error"]
        == "Unsupported Content-Type. Use application/json for POST /api/pets."
    )
    assert wrong.json()["hint"] == "Set header: Content-Type: application/json"
    bad = fresh.write_a.post(PETS, content=b"{", headers={"Content-Type": "application/json"})
    assert bad.json()["hint"] == "Ensure body is valid JSON and header is application/json"


def test_oversized_body(fresh: Shelters) -> None:
    big = pet_body(description="x" * (1024 * 1024 + 10))
    response = fresh.write_a.post(PETS, json=big)
    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"


def test_read_key_cannot_write(fresh: Shelters) -> None:
    before = count_rows(fresh.db, "animals")
    response = fresh.read_a.post(PETS, json=pet_body())
    assert response.status_code == 403
    assert response.json()["code"] == "insufficient_scope"
    pet = create(fresh)
    assert fresh.read_a.patch(f"{PETS}/{pet['id']}", json={"name": "X"}).status_code == 403
    assert count_rows(fresh.db, "animals") == before + 1


def test_event_is_written_with_the_record(fresh: Shelters) -> None:
    events = count_rows(fresh.db, "outbox_events")
    pet = create(fresh)
    fresh.write_a.patch(f"{PETS}/{pet['id']}", json={"name": "Maximus"})
    fresh.write_a.post(PETS, json=pet_body(species="dragon"))
    with fresh.db.engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT event_type, subject, organization_id, payload FROM outbox_events ORDER BY id"
        ).all()[events:]
    assert [r[0] for r in rows] == ["animal.created", "animal.updated"]
    assert {r[1] for r in rows} == {pet["id"]}
    assert {r[2] for r in rows} == {fresh.org_id(fresh.a)}
    # Each event holds the record as committed, in canonical words.
    created, updated = (json.loads(r[3])["animal"] for r in rows)
    assert (created["name"], updated["name"]) == ("Max", "Maximus")
    assert created["type"] == "dog" and created["age"] == "young"


def test_a_listed_pet_shows_renamed_names(fresh: Shelters) -> None:
    """The list reuses each pet's encoded form only while nothing it shows has changed: a
    renamed veterinarian or status label shows at once, though the pet itself is untouched."""
    vet = next(o for o in _organizations(fresh.db) if o["code"] not in (fresh.a, fresh.b))
    pending = next(s for s in setup.statuses(fresh.db, fresh.a) if s.label == "Pending")
    pet = create(
        fresh, name="Memo", primary_veterinarian_id=vet["uuid"], custom_status_id=pending.uuid
    )

    def listed() -> dict[str, Any]:
        found = fresh.read_a.json(f"{PETS}?search=Memo")["pets"]
        return next(p for p in found if p["id"] == pet["id"])

    first = listed()
    assert (first["primary_veterinarian"], first["status"]) == (vet["name"], "Pending")
    with fresh.db.engine.begin() as conn:
        conn.execute(
            text("UPDATE organizations SET name = 'Renamed Clinic' WHERE uuid = :u"),
            {"u": vet["uuid"]},
        )
        conn.execute(
            text("UPDATE custom_statuses SET label = 'Held Back' WHERE uuid = :u"),
            {"u": pending.uuid},
        )
    again = listed()
    assert (again["primary_veterinarian"], again["status"]) == ("Renamed Clinic", "Held Back")
    assert again["updated_at"] == first["updated_at"]
