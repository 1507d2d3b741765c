"""The PawPlacer read and write routes: each reads its request, calls a use case, maps the
answer. Keys, quotas, idempotency and the response headers are the pipeline's and the
presenter's (problems.py)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import msgspec

from openpaws.dialects.inputs import RequestInvalid
from openpaws.dialects.pawplacer import bodies, mappers, params, problems, vocab, wire
from openpaws.dialects.pipeline import BadRequest, Call, Mounted, Route
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
    try:
        payload = msgspec.json.decode(call.body)
    except msgspec.DecodeError:
        raise problems.MalformedJson("Malformed JSON body") from None
    if not isinstance(payload, dict):
        raise RequestInvalid.field("body", "body", "Expected a JSON object")
    return payload


def _pet_reference(call: Call) -> str:
    """The pet identifier, percent-decoded once from the raw path (a custom_id may hold a
    '/')."""
    return call.raw_param(f"{PETS}/")


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

    def create_pet(self, call: Call, tx: Transaction) -> wire.Pet:
        change = bodies.pet_change(_json_object(call, "POST /api/pets"), creating=True)
        org_id = call.require_principal().organization_id
        return mappers.pet(animal_changes.create_animal(tx, org_id, change))

    def update_pet(self, call: Call, tx: Transaction) -> wire.Pet:
        payload = _json_object(call, "PATCH /api/pets/{petIdentifier}")
        change = bodies.pet_change(payload, creating=False)
        org_id = call.require_principal().organization_id
        details = animal_changes.update_animal(tx, org_id, _pet_reference(call), change)
        return mappers.pet(details)

    def create_person(self, call: Call, tx: Transaction) -> wire.Person:
        payload = _json_object(call, "POST /api/people")
        change = bodies.person_change(payload, call.query.get("type"))
        org_id = call.require_principal().organization_id
        return mappers.person(people.create_person(tx, org_id, change))


def routes(mounted: Mounted) -> Sequence[Route]:
    h = Handlers()
    read, write, people_write = Scope.ANIMALS_READ, Scope.ANIMALS_WRITE, Scope.PEOPLE_WRITE
    fields = vocab.CUSTOM_FIELDS_QUOTA
    writes: dict[str, Any] = {"write": True, "idempotent": True, "quota": vocab.WRITE_QUOTA}
    return (
        Route("GET", PETS, h.list_pets, read, quota=vocab.LIST_QUOTA),
        Route("GET", f"{PETS}/custom-fields", h.pet_custom_fields, read, quota=fields),
        Route("GET", f"{PETS}/{{pet:path}}", h.get_pet, read, quota=vocab.DETAIL_QUOTA),
        Route("POST", PETS, h.create_pet, write, status=201, **writes),
        Route("PATCH", f"{PETS}/{{pet:path}}", h.update_pet, write, **writes),
        Route("POST", "/api/people", h.create_person, people_write, status=201, **writes),
        Route("GET", "/api/people/custom-fields", h.people_custom_fields, read, quota=fields),
    )
