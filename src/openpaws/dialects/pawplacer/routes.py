"""The PawPlacer read and write routes: each reads its request, calls a use case, maps the
answer. Keys, quotas, idempotency and the response headers are the pipeline's and the
presenter's (problems.py)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from openpaws.dialects.inputs import RequestInvalid
from openpaws.dialects.pawplacer import bodies, mappers, params, problems, vocab, wire
from openpaws.dialects.pipeline import BadRequest, Call, Mounted, Route
from openpaws.domain.changes import AnimalChange, PersonChange
from openpaws.platform.principals import Scope
from openpaws.services import animal_changes, animals, org_settings, people
from openpaws.storage.database import Transaction

PETS = "/api/pets"


def _json_object(call: Call, route: str) -> dict[str, Any]:
    if not call.body.strip():
        raise BadRequest(
            "Empty request body. To list pets, use GET /api/pets. POST creates new pets."
        )
    media = call.headers.get("content-type", "").split(";")[0].strip().lower()
    if media != "application/json":
        raise problems.UnsupportedContentType(
            f"Unsupported Content-Type. Use application/json for {route}."
        )
    payload = call.json()
    if not isinstance(payload, dict):
        raise RequestInvalid.field("body", "body", "Expected a JSON object")
    return payload


def _pet_reference(call: Call) -> str:
    """The pet identifier, percent-decoded once from the raw path (a custom_id may hold a
    '/')."""
    return call.raw_param("pet_path", f"{PETS}/")


class Handlers:
    def __init__(self) -> None:
        self.pets = mappers.PetMemo()

    def list_pets(self, call: Call) -> wire.PetList:
        search = params.pet_search(call.query)
        org_id = call.require_principal().organization_id
        items, total = animals.organization_page(
            call.reader,
            org_id,
            search.filters,
            search.limit,
            search.offset,
            status_label=search.status_label,
        )
        pets = [self.pets.pet(d) for d in items]
        end = search.offset + len(pets)
        return wire.PetList(pets, total, search.limit, search.offset, end < total)

    def get_pet(self, call: Call) -> wire.Pet:
        org_id = call.require_principal().organization_id
        return mappers.pet(animals.listed_details(call.reader, org_id, _pet_reference(call)))

    def pet_custom_fields(self, call: Call) -> wire.PetCustomFields:
        org_id = call.require_principal().organization_id
        found = org_settings.field_definitions(call.reader, org_id, "pet")
        return wire.PetCustomFields([mappers.custom_field(d) for d in found])

    def people_custom_fields(self, call: Call) -> wire.PeopleCustomFields:
        kind = (call.query.get("type") or "adopter").strip()
        if kind not in vocab.PERSON_TYPES:
            allowed = ", ".join(vocab.PERSON_TYPES)
            raise RequestInvalid.field("query", "type", f"Expected one of: {allowed}")
        org_id = call.require_principal().organization_id
        found = org_settings.field_definitions(call.reader, org_id, kind)
        return wire.PeopleCustomFields(kind, [mappers.custom_field(d) for d in found])

    def create_pet(self, call: Call, tx: Transaction, change: AnimalChange) -> wire.Pet:
        org_id = call.require_principal().organization_id
        return mappers.pet(animal_changes.create_animal(tx, org_id, change))

    def update_pet(self, call: Call, tx: Transaction, change: AnimalChange) -> wire.Pet:
        org_id = call.require_principal().organization_id
        details = animal_changes.update_animal(tx, org_id, _pet_reference(call), change)
        return mappers.pet(details)

    def create_person(self, call: Call, tx: Transaction, change: PersonChange) -> wire.Person:
        org_id = call.require_principal().organization_id
        return mappers.person(people.create_person(tx, org_id, change))


# What each write route reads from its request (before its transaction opens).


def _new_pet(call: Call) -> AnimalChange:
    return bodies.pet_change(_json_object(call, "POST /api/pets"), creating=True)


def _pet_update(call: Call) -> AnimalChange:
    payload = _json_object(call, "PATCH /api/pets/{petIdentifier}")
    return bodies.pet_change(payload, creating=False)


def _new_person(call: Call) -> PersonChange:
    payload = _json_object(call, "POST /api/people")
    return bodies.person_change(payload, call.query.get("type"))


def routes(mounted: Mounted) -> Sequence[Route]:
    h = Handlers()
    reads, writes = Scope.ANIMALS_READ, Scope.ANIMALS_WRITE
    pet, fields = f"{PETS}/{{pet_path:path}}", vocab.CUSTOM_FIELDS_QUOTA
    write: dict[str, Any] = {"write": True, "idempotent": True, "quota": vocab.WRITE_QUOTA}
    return (
        Route("GET", PETS, h.list_pets, reads, quota=vocab.LIST_QUOTA),
        Route("GET", f"{PETS}/custom-fields", h.pet_custom_fields, reads, quota=fields),
        Route("GET", pet, h.get_pet, reads, quota=vocab.DETAIL_QUOTA),
        Route("POST", PETS, h.create_pet, writes, read=_new_pet, status=201, **write),
        Route("PATCH", pet, h.update_pet, writes, read=_pet_update, **write),
        Route(
            "POST",
            "/api/people",
            h.create_person,
            Scope.PEOPLE_WRITE,
            read=_new_person,
            status=201,
            **write,
        ),
        Route("GET", "/api/people/custom-fields", h.people_custom_fields, reads, quota=fields),
    )
