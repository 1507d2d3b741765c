"""A pet's medical records and identification tags, read and written through the account
that keeps the pet. The microchip is the animal's own fact, shown and set as a tag."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from msgspec import UNSET

from openpaws.domain.accounts import Account
from openpaws.domain.changes import AnimalChange
from openpaws.domain.errors import InvalidInput, NotFound
from openpaws.domain.health import (
    MICROCHIP_ID_OFFSET,
    IdTag,
    MedicalRecord,
    RecordChange,
    RecordPage,
    TagRequest,
    TagType,
)
from openpaws.domain.search import KeysetCursor
from openpaws.services import animal_changes
from openpaws.storage import animal_queries, bookings, health
from openpaws.storage.database import Reader, Transaction


def _pet(reader: Reader, account: Account, animal_id: int) -> int:
    found = animal_queries.account_animal(reader, account, animal_id)
    if found is None:
        raise NotFound("Animal not found", kind="animal")
    return found.id


def _record_not_found() -> NotFound:
    return NotFound("Medical record not found", kind="medical_record")


def records(
    reader: Reader,
    account: Account,
    animal_id: int,
    kind: str | None,
    limit: int,
    after: KeysetCursor | None,
) -> RecordPage:
    return health.records(reader, _pet(reader, account, animal_id), kind, limit, after)


def record(reader: Reader, account: Account, animal_id: int, record_id: int) -> MedicalRecord:
    found = health.record(reader, _pet(reader, account, animal_id), record_id)
    if found is None:
        raise _record_not_found()
    return found


def _vet(reader: Reader, slug: str | None) -> int | None:
    if slug is None:
        return None
    found = bookings.provider_by_slug(reader, slug, "veterinarian")
    if found is None:
        raise InvalidInput.field("body", "provider", "No such vet", kind="not_found")
    return found.id


def _values(reader: Reader, change: RecordChange) -> dict[str, object]:
    values: dict[str, object] = {}
    for name in ("kind", "title", "description", "occurred_on", "next_due_on"):
        value = getattr(change, name)
        if value is not UNSET:
            values[name] = value
    if change.provider_slug is not UNSET:
        values["provider_person_id"] = _vet(reader, change.provider_slug)
    return values


def add_record(
    tx: Transaction, account: Account, animal_id: int, change: RecordChange
) -> MedicalRecord:
    animal = _pet(tx.reader, account, animal_id)
    now = datetime.now(UTC)
    values = {
        "uuid": str(uuid.uuid4()),
        "animal_id": animal,
        **_values(tx.reader, change),
        "created_at": now,
        "updated_at": now,
    }
    return record(tx.reader, account, animal_id, health.insert_record(tx, values))


def change_record(
    tx: Transaction, account: Account, animal_id: int, record_id: int, change: RecordChange
) -> MedicalRecord:
    record(tx.reader, account, animal_id, record_id)
    values = {**_values(tx.reader, change), "updated_at": datetime.now(UTC)}
    health.update_record(tx, record_id, values)
    return record(tx.reader, account, animal_id, record_id)


def delete_record(tx: Transaction, account: Account, animal_id: int, record_id: int) -> None:
    record(tx.reader, account, animal_id, record_id)
    health.delete_record(tx, record_id)


# -- tags ------------------------------------------------------------------------------------


def tags(reader: Reader, account: Account, animal_id: int) -> list[IdTag]:
    """The pet's tags: its microchip first, where it has one."""
    animal = animal_queries.account_animal(reader, account, animal_id)
    if animal is None:
        raise NotFound("Animal not found", kind="animal")
    chip = []
    if animal.microchip_id:
        chip = [
            IdTag(
                id=MICROCHIP_ID_OFFSET + animal.id,
                animal_id=animal.id,
                tag_type=TagType.MICROCHIP.value,
                code=animal.microchip_id,
                issuer=None,
                registered_on=None,
                active=True,
                created_at=animal.created_at,
            )
        ]
    return chip + health.tags(reader, animal.id)


def add_tag(tx: Transaction, account: Account, animal_id: int, request: TagRequest) -> IdTag:
    animal = _pet(tx.reader, account, animal_id)
    now = datetime.now(UTC)
    if request.tag_type == TagType.MICROCHIP:
        current = animal_queries.account_animal(tx.reader, account, animal)
        assert current is not None
        if current.microchip_id:
            raise InvalidInput.field(
                "body", "tag_type", "The pet has a microchip already", kind="already_chipped"
            )
        animal_changes.update_account_animal(
            tx, account, animal, AnimalChange(microchip_id=request.code)
        )
        return tags(tx.reader, account, animal)[0]
    tag_id = health.insert_tag(
        tx,
        {
            "uuid": str(uuid.uuid4()),
            "animal_id": animal,
            "tag_type": request.tag_type,
            "code": request.code,
            "issuer": request.issuer,
            "registered_on": request.registered_on,
            "active": True,
            "created_at": now,
        },
    )
    if tag_id is None:
        raise InvalidInput.field("body", "identifier", "This tag is registered", kind="taken")
    return next(t for t in health.tags(tx.reader, animal) if t.id == tag_id)


def remove_tag(tx: Transaction, account: Account, animal_id: int, tag_id: int) -> None:
    animal = _pet(tx.reader, account, animal_id)
    if tag_id == MICROCHIP_ID_OFFSET + animal:
        current = animal_queries.account_animal(tx.reader, account, animal)
        if current is None or not current.microchip_id:
            raise NotFound("Tag not found", kind="tag")
        animal_changes.update_account_animal(tx, account, animal, AnimalChange(microchip_id=None))
        return
    if not health.delete_tag(tx, animal, tag_id):
        raise NotFound("Tag not found", kind="tag")
