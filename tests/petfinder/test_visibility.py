"""Only animals an organization lists publicly are seen, in Petfinder's status words."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

from openpaws.storage.database import Database
from tests.petfinder.helpers import PREFIX, animals_url, walk
from tests.support import setup
from tests.support.api import ContractClient
from tests.support.factories import add_animals, add_organizations, animal_row


@pytest.fixture
def world(fresh_db: Database) -> dict[str, Any]:
    orgs = add_organizations(fresh_db, 2)
    org = orgs[0]["id"]
    setup.insert_persons(
        fresh_db,
        [
            {
                "id": 1,
                "uuid": str(uuid.uuid4()),
                "organization_id": None,
                "role": "owner",
                "name": "Pat Owner",
                "additional_emails": [],
                "additional_phones": [],
                "status": "active",
                "tags": [],
                "custom_field_data": {},
                "created_at": datetime.now(UTC),
                "updated_at": datetime.now(UTC),
            }
        ],
    )
    setup.insert_custom_statuses(
        fresh_db,
        [
            {
                "id": 1,
                "uuid": str(uuid.uuid4()),
                "organization_id": org,
                "label": "Medical hold",
                "status_class": "available",
                "is_public": False,
                "is_default": False,
            }
        ],
    )
    rows = {
        "adoptable": animal_row(1, org),
        "hidden": animal_row(2, org, show_public=False),
        "deleted": animal_row(3, org, deleted_at=datetime.now(UTC)),
        "private_status": animal_row(4, org, custom_status_id=1, _custom_status_public=False),
        "pending": animal_row(5, org, status="pending"),
        "hold": animal_row(6, org, status="hold"),
        "owned": animal_row(7, None, owner_person_id=1),
        "adopted": animal_row(8, org, status="adopted"),
        "found": animal_row(9, org, status="found"),
    }
    add_animals(fresh_db, list(rows.values()))
    return {"ids": {name: row["id"] for name, row in rows.items()}, "org": orgs[0]}


@pytest.mark.parametrize(
    ("name", "visible"),
    [
        ("adoptable", True),
        ("adopted", True),
        ("found", True),
        ("hidden", False),
        ("deleted", False),
        ("private_status", False),
        ("pending", False),
        ("hold", False),
        ("owned", False),
    ],
)
def test_get_by_id(
    fresh_api: ContractClient, world: dict[str, Any], name: str, visible: bool
) -> None:
    response = fresh_api.get(f"{PREFIX}/animals/{world['ids'][name]}")
    assert response.status_code == (200 if visible else 404)


def test_lists_by_status(fresh_api: ContractClient, world: dict[str, Any]) -> None:
    ids = world["ids"]

    def listed(**query: str) -> set[int]:
        return {a["id"] for a in walk(fresh_api, animals_url(**query))[0]}

    assert listed() == {ids["adoptable"]}
    assert listed(status="adopted") == {ids["adopted"]}
    assert listed(status="found") == {ids["found"]}
    assert listed(status="adoptable,adopted,found") == {
        ids["adoptable"],
        ids["adopted"],
        ids["found"],
    }
    page = fresh_api.json(f"{PREFIX}/animals/{ids['adopted']}")
    assert page["animal"]["status"] == "adopted"


def test_counts_follow_writes(
    fresh_api: ContractClient, fresh_db: Database, world: dict[str, Any]
) -> None:
    """Totals are cached; a write must show in the very next answer."""
    org = world["org"]["id"]
    before = fresh_api.json(animals_url())["pagination"]["total_count"]
    near = fresh_api.json(animals_url(location=world["org"]["postcode"], sort="distance"))
    recent = fresh_api.json(animals_url(location=world["org"]["postcode"]))
    assert fresh_api.json(animals_url(name="Quixotic"))["pagination"]["total_count"] == 0
    add_animals(fresh_db, [animal_row(100, org), animal_row(101, org, name="Quixotic Rex")])
    assert fresh_api.json(animals_url())["pagination"]["total_count"] == before + 2
    again = fresh_api.json(animals_url(location=world["org"]["postcode"], sort="distance"))
    assert again["pagination"]["total_count"] == near["pagination"]["total_count"] + 2
    again = fresh_api.json(animals_url(location=world["org"]["postcode"]))
    assert again["pagination"]["total_count"] == recent["pagination"]["total_count"] + 2
    named = fresh_api.json(animals_url(name="Quixotic"))
    assert [a["id"] for a in named["animals"]] == [101]


def test_contact_comes_from_the_organization(
    fresh_api: ContractClient, world: dict[str, Any]
) -> None:
    animal = fresh_api.json(f"{PREFIX}/animals/{world['ids']['adoptable']}")["animal"]
    org = world["org"]
    assert animal["organization_id"] == org["code"]
    assert animal["contact"]["email"] == org["email"]
    assert animal["contact"]["address"]["postcode"] == org["postcode"]
    assert animal["published_at"].endswith("+0000")
