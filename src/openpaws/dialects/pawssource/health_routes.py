"""A pet's medical records and identification tags (sub-resources of the pet)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from openpaws.dialects import inputs
from openpaws.dialects.pawssource import bodies, health_bodies, mappers, params, paths, vocab, wire
from openpaws.dialects.pipeline import Call, Route
from openpaws.domain.health import RecordChange, TagRequest
from openpaws.platform.principals import Scope
from openpaws.services import health
from openpaws.storage.database import Transaction

QUOTA = "requests"
RECORDS = "/pets/{pet_id}/medical_records"
RECORD = f"{RECORDS}/{{record_id}}"
TAGS = "/pets/{pet_id}/tags"
TAG = f"{TAGS}/{{tag_id}}"


def _pet(call: Call) -> int:
    return paths.path_id(call, "pet_id", mappers.PET, "animal")


def _record(call: Call) -> int:
    return paths.path_id(call, "record_id", mappers.RECORD, "medical_record")


class Handlers:
    def list_records(self, call: Call) -> wire.Page[wire.MedicalRecord]:
        ids = paths.ids(call)
        r = inputs.Reader(call.query, "query", vocab.MESSAGES)
        kind = r.get("record_type", inputs.word_in(health_bodies.KINDS, "record type"), None)
        limit = r.get("limit", inputs.integer(1, params.MAX_LIMIT), params.DEFAULT_LIMIT)
        after = r.get("cursor", params.cursor_reader(ids, mappers.RECORD), None)
        r.finish("The request contains invalid parameters.")
        account = call.require_principal().account
        page = health.records(call.reader, account, _pet(call), kind, limit, after)
        shown = [mappers.medical_record(m, ids) for m in page.records]
        last = page.records[-1:]
        return params.page(shown, page.has_more, lambda: (shown[-1].id, last[0].created_at))

    def get_record(self, call: Call) -> wire.One[wire.MedicalRecord]:
        account = call.require_principal().account
        found = health.record(call.reader, account, _pet(call), _record(call))
        return wire.One(mappers.medical_record(found, paths.ids(call)))

    def add_record(
        self, call: Call, tx: Transaction, change: RecordChange
    ) -> wire.One[wire.MedicalRecord]:
        found = health.add_record(tx, call.require_principal().account, _pet(call), change)
        return wire.One(mappers.medical_record(found, paths.ids(call)))

    def change_record(
        self, call: Call, tx: Transaction, change: RecordChange
    ) -> wire.One[wire.MedicalRecord]:
        account = call.require_principal().account
        found = health.change_record(tx, account, _pet(call), _record(call), change)
        return wire.One(mappers.medical_record(found, paths.ids(call)))

    def delete_record(self, call: Call, tx: Transaction, _: None) -> wire.One[wire.Deleted]:
        health.delete_record(tx, call.require_principal().account, _pet(call), _record(call))
        return wire.One(wire.Deleted(call.params["record_id"]))

    def list_tags(self, call: Call) -> wire.Page[wire.Tag]:
        ids, pet = paths.ids(call), call.params["pet_id"]
        found = health.tags(call.reader, call.require_principal().account, _pet(call))
        return wire.Page([mappers.tag(t, pet, ids) for t in found], wire.Meta(None, False))

    def add_tag(self, call: Call, tx: Transaction, request: TagRequest) -> wire.One[wire.Tag]:
        found = health.add_tag(tx, call.require_principal().account, _pet(call), request)
        return wire.One(mappers.tag(found, call.params["pet_id"], paths.ids(call)))

    def remove_tag(self, call: Call, tx: Transaction, _: None) -> wire.One[wire.Deleted]:
        tag = paths.path_id(call, "tag_id", mappers.TAG, "tag")
        health.remove_tag(tx, call.require_principal().account, _pet(call), tag)
        return wire.One(wire.Deleted(call.params["tag_id"]))


def _new_record(call: Call) -> RecordChange:
    return health_bodies.record_change(bodies.json_object(call), creating=True)


def _record_update(call: Call) -> RecordChange:
    return health_bodies.record_change(bodies.json_object(call), creating=False)


def _new_tag(call: Call) -> TagRequest:
    return health_bodies.tag_request(bodies.json_object(call))


def routes() -> Sequence[Route]:
    h = Handlers()
    read, write = Scope.MEDICAL_RECORDS_READ, Scope.MEDICAL_RECORDS_WRITE
    tags_read, tags_write = Scope.ID_TAGS_READ, Scope.ID_TAGS_WRITE
    created: dict[str, Any] = {"quota": QUOTA, "status": 201, "write": True, "idempotent": True}
    changed: dict[str, Any] = {"quota": QUOTA, "write": True}
    return (
        Route("GET", RECORDS, h.list_records, read, quota=QUOTA),
        Route("POST", RECORDS, h.add_record, write, read=_new_record, **created),
        Route("GET", RECORD, h.get_record, read, quota=QUOTA),
        Route("PATCH", RECORD, h.change_record, write, read=_record_update, **changed),
        Route("DELETE", RECORD, h.delete_record, write, **changed),
        Route("GET", TAGS, h.list_tags, tags_read, quota=QUOTA),
        Route("POST", TAGS, h.add_tag, tags_write, read=_new_tag, **created),
        Route("DELETE", TAG, h.remove_tag, tags_write, **changed),
    )
