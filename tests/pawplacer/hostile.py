"""How the hostile corpus (tests/test_hostile.py) reaches PawPlacer: a write key of a shelter
with limits raised, one of its pets, and a valid body for each write."""

from __future__ import annotations

from openpaws.storage.database import Database
from tests.pawplacer.conftest import listing_codes, pet_body, raise_limits
from tests.support import reference, setup
from tests.support.hostile import Given, Target


def given(db: Database) -> Given:
    code = listing_codes(db)[0]
    raise_limits(db, code)
    org_id = setup.organization_id(db, code)
    pet = next(row for row in reference.all_animals(db) if row["organization_id"] == org_id)
    create = {k: v for k, v in pet_body().items() if k != "custom_field_data"}
    update = {"name": "Rex", "adoption_fee": 100, "breed": ["Beagle"], "description": "Calm."}
    person = {"type": "adopter", "name": "Jane Smith", "email": "jane@example.com"}
    return Given(
        headers={"X-Api-Key": setup.create_key(db, code, "write")},
        bodies={
            "POST /api/pets": create,
            "PATCH /api/pets/{petId}": update,
            "POST /api/people": person,
        },
        path_params={"/api/pets/{petId}": {"petId": pet["uuid"]}},
    )


TARGET = Target(given, "application/json", "/components/schemas/Error")
