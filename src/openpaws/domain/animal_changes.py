"""Creating, changing and deleting an organization's animals."""

from __future__ import annotations

import uuid as uuid_module
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection

from openpaws.domain import custom_fields, listing, taxonomy
from openpaws.domain.entities import AnimalDetails, CustomStatus
from openpaws.domain.errors import InvalidInput, NotFound
from openpaws.domain.org_settings import CLASS_LABELS
from openpaws.domain.vocab import StatusClass
from openpaws.storage import animal_queries, animal_writes, org_settings, outbox
from openpaws.storage.database import Database

REQUIRED = ("name", "type", "age", "sex", "size", "health")


@dataclass
class AnimalChange:
    """What a caller sets, in canonical terms; only what is present is applied."""

    values: dict[str, Any] = field(default_factory=dict)  # canonical columns
    status: str | None = None  # an organization's status label or name
    custom_status_uuid: str | None = None
    custom_field_data: dict[str, Any] | None = None
    veterinarian_uuid: str | None = None
    # Compatibility words; children, dogs and cats are kept as three-state columns.
    good_with: list[str] | None = None
    bad_with: list[str] | None = None


COMPANION_COLUMNS = {
    "children": "good_with_children",
    "dogs": "good_with_dogs",
    "cats": "good_with_cats",
}


def _compatibility(row: dict[str, Any], change: AnimalChange) -> None:
    """Replace the good-with and bad-with words that the change sends, leaving the other list."""
    for words, flag, others in (
        (change.good_with, True, "good_with_other"),
        (change.bad_with, False, "bad_with_other"),
    ):
        if words is None:
            continue
        for word, column in COMPANION_COLUMNS.items():
            if word in words:
                row[column] = flag
            elif row.get(column) is flag:
                row[column] = None
        row[others] = [w for w in words if w not in COMPANION_COLUMNS]


class PetNotFound(NotFound):
    code = "pet_not_found"


def _new_animal(organization_id: int, now: datetime) -> dict[str, Any]:
    return {
        "uuid": str(uuid_module.uuid4()),
        "organization_id": organization_id,
        "breed_mixed": False,
        "breed_unknown": True,
        "special_needs": [],
        "good_with_other": [],
        "bad_with_other": [],
        "temperaments": [],
        "tags": [],
        "photos": [],
        "videos": [],
        "custom_field_data": {},
        "show_public": False,
        "created_at": now,
        "published_at": now,
    }


def _resolve_status(
    statuses: list[CustomStatus], change: AnimalChange
) -> tuple[str, int | None, bool | None]:
    """(status class, custom status id, custom status public flag) the change asks for.

    A custom status id wins; else the label, or a status class name, in any case; a label that
    does not exist falls back to the organization's default available status.
    """
    if change.custom_status_uuid is not None:
        found = next((s for s in statuses if s.uuid == change.custom_status_uuid), None)
        if found is None:
            raise InvalidInput.field("body", "custom_status_id", "Unknown custom status")
        return found.status_class, found.id, found.is_public
    wanted = (change.status or "").strip().casefold()
    found = next((s for s in statuses if s.label.casefold() == wanted), None)
    found = found or next((s for s in statuses if s.status_class == wanted), None)
    if found is None:
        found = next((s for s in statuses if s.is_default), None) or next(
            (s for s in statuses if s.status_class == StatusClass.AVAILABLE), None
        )
    if found is None:
        return StatusClass.AVAILABLE.value, None, None
    return found.status_class, found.id, found.is_public


def _species(values: dict[str, Any]) -> str:
    animal_type = taxonomy.type_by_slug(values["type"])
    breed = animal_type.breed(values["breed_primary"]) if values.get("breed_primary") else None
    return breed.species if breed else animal_type.name


def _apply(
    db: Database,
    conn: Connection,
    organization_id: int,
    current: dict[str, Any],
    change: AnimalChange,
    now: datetime,
) -> dict[str, Any]:
    """The animal's columns after ``change``, checked against the organization's settings."""
    reader = db.reader_on(conn)
    row = {**current, **change.values, "updated_at": now}
    custom_status_public: bool | None = None
    if change.status is not None or change.custom_status_uuid is not None:
        statuses = org_settings.statuses(reader, organization_id)
        status, custom_status_id, custom_status_public = _resolve_status(statuses, change)
        if (status, custom_status_id) != (current.get("status"), current.get("custom_status_id")):
            row["status_changed_at"] = now
        row["status"], row["custom_status_id"] = status, custom_status_id
    elif row.get("custom_status_id") is not None:
        statuses = org_settings.statuses(reader, organization_id)
        custom_status_public = next(
            (s.is_public for s in statuses if s.id == row["custom_status_id"]), None
        )
    _compatibility(row, change)
    if change.custom_field_data is not None:
        definitions = org_settings.field_definitions(reader, organization_id, "pet")
        row["custom_field_data"] = custom_fields.validate(
            definitions, change.custom_field_data, existing=current.get("custom_field_data")
        )
    if change.veterinarian_uuid is not None:
        vet = animal_writes.organization_id_by_uuid(conn, change.veterinarian_uuid)
        if vet is None:
            raise InvalidInput.field("body", "primary_veterinarian_id", "Unknown veterinarian")
        row["primary_veterinarian_id"] = vet
    custom_id = change.values.get("organization_animal_id")
    if custom_id and animal_writes.organization_animal_id_taken(
        conn, organization_id, custom_id, current.get("id")
    ):
        raise InvalidInput.field("body", "custom_id", f"custom_id {custom_id} is already in use")
    if "type" in change.values or "breed_primary" in change.values:
        row["species"] = _species(row)
    row["public_status"] = listing.public_status(
        organization_id=organization_id,
        show_public=row["show_public"],
        deleted=row.get("deleted_at") is not None,
        status=row["status"],
        custom_status_public=custom_status_public,
    )
    return row


def create_animal(
    db: Database, conn: Connection, organization_id: int, change: AnimalChange
) -> AnimalDetails:
    """A new animal listed by the organization, and its ``pet.created`` event."""
    missing = [name for name in REQUIRED if change.values.get(name) in (None, "")]
    if missing:
        raise InvalidInput.field("body", missing[0], "Required")
    now = datetime.now(UTC)
    if change.status is None and change.custom_status_uuid is None:
        change.status = ""
    if change.custom_field_data is None:
        change.custom_field_data = {}
    row = _apply(db, conn, organization_id, _new_animal(organization_id, now), change, now)
    animal_id = animal_writes.insert_animal(conn, row)
    outbox.add_event(conn, organization_id, "pet.created", {"id": row["uuid"]}, now)
    return _details(db, conn, animal_id)


def update_animal(
    db: Database, conn: Connection, organization_id: int, identifier: str, change: AnimalChange
) -> AnimalDetails:
    """Change the sent fields of an organization's animal (by UUID, else its own id)."""
    animal_id = animal_writes.find_in_organization(conn, organization_id, identifier)
    if animal_id is None:
        raise PetNotFound("Pet not found")
    for name in REQUIRED:
        if name in change.values and change.values[name] in (None, ""):
            raise InvalidInput.field("body", name, "Required")
    now = datetime.now(UTC)
    current = animal_writes.current_values(conn, animal_id)
    row = _apply(db, conn, organization_id, current, change, now)
    changed = {k: v for k, v in row.items() if current.get(k) != v}
    animal_writes.update_animal(conn, animal_id, changed)
    outbox.add_event(conn, organization_id, "pet.updated", {"id": row["uuid"]}, now)
    return _details(db, conn, animal_id)


def delete_animal(db: Database, organization_id: int, identifier: str) -> None:
    """Soft-delete: the animal disappears from every API and never comes back."""
    now = datetime.now(UTC)
    with db.transaction() as conn:
        animal_id = animal_writes.find_in_organization(conn, organization_id, identifier)
        if animal_id is None:
            raise PetNotFound("Pet not found")
        animal_writes.update_animal(
            conn, animal_id, {"deleted_at": now, "updated_at": now, "public_status": None}
        )
        uuid = animal_writes.current_values(conn, animal_id)["uuid"]
        outbox.add_event(conn, organization_id, "pet.deleted", {"id": uuid}, now)


def _details(db: Database, conn: Connection, animal_id: int) -> AnimalDetails:
    details = animal_queries.details_by_id(db.reader_on(conn), animal_id)
    assert details is not None
    return details


def listed_details(db: Database, organization_id: int, animal_uuid: str) -> AnimalDetails:
    """A publicly listed animal of the organization, with its resolved names."""
    with db.read() as reader:
        details = animal_queries.details_by_uuid(reader, animal_uuid.lower())
    animal = details.animal if details else None
    if (
        details is None
        or animal is None
        or animal.organization is None
        or animal.organization.id != organization_id
        or animal.public_status is None
    ):
        raise PetNotFound("Pet not found")
    return details


def status_label(details: AnimalDetails) -> str:
    """The label an organization shows for the animal's status."""
    return details.status_label or CLASS_LABELS[StatusClass(details.animal.status)]
