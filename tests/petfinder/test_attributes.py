"""Animal attributes are booleans on every animal, as on the real service: a typed client of
the real API breaks on a null there. Only ``declawed`` may be null."""

from __future__ import annotations

from openpaws.storage.database import Database
from tests.petfinder.helpers import animals_url
from tests.support import reference
from tests.support.api import ContractClient

ALWAYS_BOOLEAN = ("spayed_neutered", "house_trained", "special_needs", "shots_current")


def test_attributes_are_booleans_and_unknown_is_false(
    api: ContractClient, seeded_db: Database
) -> None:
    rows = {row["id"]: row for row in reference.all_animals(seeded_db)}
    seen_unknown = 0
    for page in range(1, 6):
        for animal in api.json(animals_url(limit=100, page=page))["animals"]:
            attributes = animal["attributes"]
            for name in ALWAYS_BOOLEAN:
                assert isinstance(attributes[name], bool), (animal["id"], name)
            assert attributes["declawed"] in (True, False, None)
            if rows[animal["id"]]["house_trained"] is None:
                seen_unknown += 1
                assert attributes["house_trained"] is False
    assert seen_unknown, "no animal whose house training is unknown was on the pages read"
