"""How the hostile corpus (tests/test_hostile.py) reaches Paws Source: a roomy key of a pet
owner, one of their pets, and a valid body for each write."""

from __future__ import annotations

from openpaws.storage.database import Database
from tests.pawssource.conftest import NAME, ROOMY, owned_rows, public_id
from tests.support import setup
from tests.support.hostile import Given, Target


def given(db: Database) -> Given:
    key = setup.create_account_key(db, NAME, person="petowner1", **ROOMY)  # type: ignore[arg-type]
    pet = owned_rows(db, "petowner1")[0]
    create = {"name": "Buster", "species": "canine", "breed": "Beagle", "weight_kg": 12.5}
    return Given(
        headers={"Authorization": f"Bearer {key}"},
        bodies={
            "POST /pets": {**create, "date_of_birth": "2020-01-02", "medical_notes": "None."},
            "PATCH /pets/{pet_id}": {"name": "Rex", "status": "inactive"},
        },
        path_params={"/pets/{pet_id}": {"pet_id": public_id(db, pet["id"])}},
    )


TARGET = Target(given, "application/json", "/components/schemas/Error")
