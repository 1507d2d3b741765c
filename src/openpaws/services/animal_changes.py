"""Creating, changing and deleting an organization's animals, inside the caller's transaction."""

from __future__ import annotations

import uuid as uuid_module
from datetime import UTC, datetime
from typing import Any

from msgspec import UNSET

from openpaws.domain import custom_fields, listing, statuses, taxonomy
from openpaws.domain.accounts import Account, AccountKind
from openpaws.domain.changes import PLAIN_ANIMAL_FIELDS, AnimalChange, AnimalFields
from openpaws.domain.entities import AnimalDetails
from openpaws.domain.errors import InvalidInput, NotFound
from openpaws.domain.events import EventType, animal_event
from openpaws.domain.vocab import StatusClass
from openpaws.storage import animal_queries, animal_writes, org_settings, outbox
from openpaws.storage.database import Transaction

# What every animal must have.
REQUIRED = ("name", "type", "age", "sex", "size", "health")

# The statuses of a person's own pet.
OWNED_CLASSES = (StatusClass.OWNED, StatusClass.INACTIVE, StatusClass.DECEASED)

COMPANIONS = {
    "children": "good_with_children",
    "dogs": "good_with_dogs",
    "cats": "good_with_cats",
}


def _not_found() -> NotFound:
    return NotFound("Animal not found", kind="animal")


def _new_animal(account: Account, now: datetime) -> dict[str, Any]:
    return {
        "uuid": str(uuid_module.uuid4()),
        "organization_id": account.organization_id,
        "owner_person_id": account.person_id,
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


def _check_required(change: AnimalChange, *, creating: bool) -> None:
    for name in REQUIRED:
        value = getattr(change, name)
        if (creating and value is UNSET) or value in (None, ""):
            raise InvalidInput.field("body", name, "Required")


def _compatibility(row: dict[str, Any], change: AnimalChange) -> None:
    """Replace the good-with and bad-with words that the change sends, leaving the other list."""
    for words, flag, others in (
        (change.good_with, True, "good_with_other"),
        (change.bad_with, False, "bad_with_other"),
    ):
        if words is UNSET:
            continue
        for word, field in COMPANIONS.items():
            if word in words:
                row[field] = flag
            elif row.get(field) is flag:
                row[field] = None
        row[others] = [w for w in words if w not in COMPANIONS]


def _described(row: dict[str, Any], change: AnimalChange) -> None:
    """Breeds, colors and weight as the stored facts that hold them."""
    if change.breeds is not UNSET:
        breeds = change.breeds
        row["breed_primary"] = breeds[0] if breeds else None
        row["breed_secondary"] = breeds[1] if len(breeds) > 1 else None
        row["breed_mixed"] = len(breeds) > 1
        row["breed_unknown"] = not breeds
    if change.colors is not UNSET:
        padded = [*change.colors, None, None, None]
        row["color_primary"], row["color_secondary"], row["color_tertiary"] = padded[:3]
    if change.weight is not UNSET:
        weight = change.weight
        row["weight_value"] = None if weight is None else weight.value
        row["weight_unit"] = None if weight is None else weight.unit
    if change.type is not UNSET or change.breeds is not UNSET or change.species is not UNSET:
        row["species"] = _species(row, None if change.species is UNSET else change.species)


def _species(row: dict[str, Any], named: str | None) -> str:
    """The primary breed's species; without a known breed, the species the change named,
    else the type's name."""
    animal_type = taxonomy.type_by_slug(row["type"])
    breed = animal_type.breed(row["breed_primary"]) if row.get("breed_primary") else None
    return breed.species if breed else (named or animal_type.name)


def _owned_status(row: dict[str, Any], change: AnimalChange, now: datetime) -> None:
    """The status of a person's own pet: owned, inactive or deceased (no custom statuses)."""
    if change.custom_status is not UNSET:
        raise InvalidInput.field("body", "custom_status", "A person's pet has no custom status")
    if change.status is UNSET:
        return
    wanted = change.status or StatusClass.OWNED
    if wanted not in OWNED_CLASSES:
        allowed = ", ".join(OWNED_CLASSES)
        raise InvalidInput.field("body", "status", f"A person's pet is one of: {allowed}")
    if wanted != row.get("status"):
        row["status_changed_at"] = now
    row["status"], row["custom_status_id"] = wanted, None


def _apply(
    tx: Transaction,
    organization_id: int | None,
    current: dict[str, Any],
    change: AnimalChange,
    now: datetime,
) -> dict[str, Any]:
    """The animal's fields after ``change``, checked against the organization's settings (an
    organization's animal) or the rules of a person's own pet (``organization_id`` None)."""
    row = {**current, "updated_at": now}
    for name in PLAIN_ANIMAL_FIELDS:
        value = getattr(change, name)
        if value is not UNSET:
            row[name] = value
    custom_status_public = None
    if organization_id is None:
        _owned_status(row, change, now)
        if change.custom_field_data not in (UNSET, {}):
            raise InvalidInput.field("body", "custom_field_data", "Only organizations have these")
        if change.organization_animal_id not in (UNSET, None):
            raise InvalidInput.field("body", "organization_animal_id", "Only organizations")
    elif change.status is not UNSET or change.custom_status is not UNSET:
        resolved = statuses.resolve(
            org_settings.statuses(tx.reader, organization_id),
            label=None if change.status is UNSET else change.status,
            custom_status_uuid=None if change.custom_status is UNSET else change.custom_status,
        )
        status = (resolved.status_class, resolved.custom_status_id)
        if status != (current.get("status"), current.get("custom_status_id")):
            row["status_changed_at"] = now
        row["status"], row["custom_status_id"] = status
        custom_status_public = resolved.is_public
    elif row.get("custom_status_id") is not None:
        known = org_settings.statuses(tx.reader, organization_id)
        custom_status_public = statuses.public_flag(known, row["custom_status_id"])
    _compatibility(row, change)
    _described(row, change)
    if change.custom_field_data is not UNSET and organization_id is not None:
        definitions = org_settings.field_definitions(
            tx.reader, organization_id, custom_fields.ANIMAL_FIELDS
        )
        row["custom_field_data"] = custom_fields.validate(
            definitions, change.custom_field_data, existing=current.get("custom_field_data")
        )
    if change.veterinarian is not UNSET:
        vet = animal_writes.organization_id_by_uuid(tx, change.veterinarian)
        if vet is None:
            raise InvalidInput.field("body", "veterinarian", "Unknown veterinarian")
        row["primary_veterinarian_id"] = vet
    own_id = change.organization_animal_id
    if (
        own_id
        and organization_id is not None
        and animal_writes.organization_animal_id_taken(
            tx, organization_id, own_id, current.get("id")
        )
    ):
        raise InvalidInput.field("body", "organization_animal_id", f"{own_id} is already in use")
    row["public_status"] = listing.public_status(
        organization_id=organization_id,
        show_public=row["show_public"],
        deleted=row.get("deleted_at") is not None,
        status=row["status"],
        custom_status_public=custom_status_public,
        age=row["age"],
        size=row["size"],
    )
    return row


def create_animal(tx: Transaction, organization_id: int, change: AnimalChange) -> AnimalDetails:
    """A new animal listed by the organization, and its ``animal.created`` event.

    Without a status it takes the organization's default available status.
    """
    _check_required(change, creating=True)
    now = datetime.now(UTC)
    if change.status is UNSET and change.custom_status is UNSET:
        change.status = ""
    if change.custom_field_data is UNSET:
        change.custom_field_data = {}
    account = Account(AccountKind.ORGANIZATION, organization_id)
    row = _apply(tx, organization_id, _new_animal(account, now), change, now)
    return _insert(tx, row, now)


def create_owned_animal(tx: Transaction, person_id: int, change: AnimalChange) -> AnimalDetails:
    """A person's own pet (never listed), and its ``animal.created`` event. Without a status
    it is owned."""
    _check_required(change, creating=True)
    now = datetime.now(UTC)
    if change.status is UNSET:
        change.status = StatusClass.OWNED.value
    row = _apply(tx, None, _new_animal(Account(AccountKind.PERSON, person_id), now), change, now)
    return _insert(tx, row, now)


def create_for_account(tx: Transaction, account: Account, change: AnimalChange) -> AnimalDetails:
    """A new animal of an organization (as :func:`create_animal`) or a person's own pet."""
    if account.kind is AccountKind.ORGANIZATION:
        return create_animal(tx, account.id, change)
    return create_owned_animal(tx, account.id, change)


def _insert(tx: Transaction, row: dict[str, Any], now: datetime) -> AnimalDetails:
    animal_id = animal_writes.insert_animal(tx, AnimalFields(**row))
    details = _details(tx, animal_id)
    outbox.add_event(tx, animal_event(EventType.ANIMAL_CREATED, details, now))
    return details


def update_animal(
    tx: Transaction, organization_id: int, reference: str, change: AnimalChange
) -> AnimalDetails:
    """Change the sent fields of an organization's animal (by UUID, else its own id)."""
    animal_id = animal_writes.live_in_organization(tx, organization_id, reference)
    if animal_id is None:
        raise _not_found()
    return _update(tx, organization_id, animal_id, change)


def update_account_animal(
    tx: Transaction, account: Account, animal_id: int, change: AnimalChange
) -> AnimalDetails:
    """Change the sent fields of one of the account's own animals (by row id)."""
    if animal_queries.account_animal(tx.reader, account, animal_id) is None:
        raise _not_found()
    return _update(tx, account.organization_id, animal_id, change)


def _update(
    tx: Transaction, organization_id: int | None, animal_id: int, change: AnimalChange
) -> AnimalDetails:
    _check_required(change, creating=False)
    now = datetime.now(UTC)
    current = _current(tx, animal_id)
    row = _apply(tx, organization_id, current, change, now)
    changed = {k: v for k, v in row.items() if current.get(k) != v}
    animal_writes.update_animal(tx, animal_id, AnimalFields(**changed))
    details = _details(tx, animal_id)
    outbox.add_event(tx, animal_event(EventType.ANIMAL_UPDATED, details, now))
    return details


def delete_animal(tx: Transaction, organization_id: int, reference: str) -> None:
    """Soft-delete: the animal disappears from every API and never comes back."""
    now = datetime.now(UTC)
    animal_id = animal_writes.live_in_organization(tx, organization_id, reference)
    if animal_id is None:
        raise _not_found()
    _delete(tx, animal_id, now)


def delete_account_animal(tx: Transaction, account: Account, animal_id: int) -> None:
    """Soft-delete one of the account's own animals (by row id)."""
    if animal_queries.account_animal(tx.reader, account, animal_id) is None:
        raise _not_found()
    _delete(tx, animal_id, datetime.now(UTC))


def _delete(tx: Transaction, animal_id: int, now: datetime) -> None:
    animal_writes.update_animal(
        tx, animal_id, AnimalFields(deleted_at=now, updated_at=now, public_status=None)
    )
    outbox.add_event(tx, animal_event(EventType.ANIMAL_DELETED, _details(tx, animal_id), now))


def _current(tx: Transaction, animal_id: int) -> dict[str, Any]:
    details = _details(tx, animal_id)
    return {"id": animal_id, **animal_writes.fields_of(details.animal)}


def _details(tx: Transaction, animal_id: int) -> AnimalDetails:
    details = animal_queries.details_by_id(tx.reader, animal_id)
    assert details is not None
    return details
