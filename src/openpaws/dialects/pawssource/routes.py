"""The Paws Source routes: each reads its request, calls a use case, maps the answer. Keys,
permissions, limits and idempotency are the pipeline's; the envelope is problems.py's."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime

import msgspec

from openpaws.dialects.pawssource import (
    bodies,
    booking_routes,
    commerce_routes,
    health_routes,
    mappers,
    params,
    webhook_routes,
    wire,
)
from openpaws.dialects.pawssource.bodies import PetBody
from openpaws.dialects.pawssource.vocab import ACTIVE, STATUS_CLASSES
from openpaws.dialects.pipeline import Call, Mounted, Route
from openpaws.domain import ages
from openpaws.domain.accounts import AccountKind
from openpaws.domain.entities import Animal
from openpaws.domain.errors import NotFound
from openpaws.domain.vocab import StatusClass
from openpaws.platform.principals import Scope
from openpaws.services import animal_changes, animals, identifiers
from openpaws.storage.database import Transaction

PETS = "/pets"
PET = "/pets/{pet_id}"
QUOTA = "requests"


def _today() -> date:
    return datetime.now(UTC).date()


def _pet_id(call: Call) -> int:
    found = identifiers.public_ids(call.reader).decode(mappers.PET, call.params["pet_id"])
    if found is None:
        raise NotFound("Pet not found", kind="animal")
    return found


def _one_pet(call: Call, animal: Animal) -> wire.One[wire.Pet]:
    ids = identifiers.public_ids(call.reader)
    return wire.One(mappers.pet(animal, ids, _today()))


class Handlers:
    def __init__(self) -> None:
        self.pets = mappers.PetMemo()

    def list_pets(self, call: Call) -> wire.Page[msgspec.Raw]:
        ids = identifiers.public_ids(call.reader)
        query = params.pet_query(call.query, ids)
        account = call.require_principal().account
        page = animals.account_page(call.reader, account, query.filters, query.limit, query.after)
        today = _today()
        pets = [self.pets.pet(a, ids, today) for a in page.animals]
        last = page.animals[-1:]
        return params.page(
            pets, page.has_more, lambda: (ids.encode(mappers.PET, last[0].id), last[0].created_at)
        )

    def get_pet(self, call: Call) -> wire.One[wire.Pet]:
        account = call.require_principal().account
        return _one_pet(call, animals.account_animal(call.reader, account, _pet_id(call)))

    def create_pet(self, call: Call, tx: Transaction, body: PetBody) -> wire.One[wire.Pet]:
        account = call.require_principal().account
        return _one_pet(call, animal_changes.create_for_account(tx, account, body.change).animal)

    def update_pet(self, call: Call, tx: Transaction, body: PetBody) -> wire.One[wire.Pet]:
        account = call.require_principal().account
        animal_id = _pet_id(call)
        current = animals.account_animal(tx.reader, account, animal_id)
        change = body.change
        if body.status is not None:
            if body.status != ACTIVE:
                change.status = body.status
            elif current.status not in STATUS_CLASSES[ACTIVE]:
                # Back in care: a person's pet is owned again; an organization's takes its
                # default available status (its listing flag untouched).
                owned = account.kind is AccountKind.PERSON
                change.status = StatusClass.OWNED.value if owned else ""
        birth = change.birth_date
        if isinstance(birth, str):
            animal_type = change.type if isinstance(change.type, str) else current.type
            stage = ages.life_stage(animal_type, birth, _today())
            if current.age == "unknown" or stage != "unknown":
                change.age = stage
        details = animal_changes.update_account_animal(tx, account, animal_id, change)
        return _one_pet(call, details.animal)

    def delete_pet(self, call: Call, tx: Transaction, _: None) -> wire.One[wire.Deleted]:
        account = call.require_principal().account
        animal_id = _pet_id(call)
        animal_changes.delete_account_animal(tx, account, animal_id)
        return wire.One(wire.Deleted(call.params["pet_id"]))


def _new_pet(call: Call) -> PetBody:
    return bodies.pet_body(bodies.json_object(call), creating=True)


def _pet_update(call: Call) -> PetBody:
    return bodies.pet_body(bodies.json_object(call), creating=False)


def routes(mounted: Mounted) -> Sequence[Route]:
    h = Handlers()
    read, write = Scope.ANIMALS_READ, Scope.ANIMALS_WRITE
    return (
        Route("GET", PETS, h.list_pets, read, quota=QUOTA),
        Route(
            "POST",
            PETS,
            h.create_pet,
            write,
            quota=QUOTA,
            read=_new_pet,
            status=201,
            write=True,
            idempotent=True,
        ),
        Route("GET", PET, h.get_pet, read, quota=QUOTA),
        Route("PATCH", PET, h.update_pet, write, quota=QUOTA, read=_pet_update, write=True),
        Route("DELETE", PET, h.delete_pet, write, quota=QUOTA, write=True),
        *commerce_routes.routes(),
        *booking_routes.routes(),
        *health_routes.routes(),
        *webhook_routes.routes(),
    )
