"""Paws Source bodies of medical records and tags -> the changes the use cases take."""

from __future__ import annotations

from typing import Any

from openpaws.dialects import inputs
from openpaws.dialects.pawssource.bodies import INVALID, past_date, reader
from openpaws.dialects.pawssource.booking_bodies import provider_slug
from openpaws.dialects.pawssource.commerce_bodies import given
from openpaws.domain.health import RecordChange, RecordKind, TagRequest, TagType

RECORD_FIELDS = ("record_type", "title", "description", "date", "vet_id", "next_due_date")
TAG_FIELDS = ("tag_type", "identifier", "issuer", "registered_at")
KINDS = {k.value: k.value for k in RecordKind}
TAG_TYPES = {t.value: t.value for t in TagType}


def _nullable(r: inputs.Reader, payload: dict[str, Any], name: str, parse: Any) -> Any:
    return None if payload[name] is None else r.take(name, parse)


def record_change(payload: dict[str, Any], *, creating: bool) -> RecordChange:
    r = reader(payload, RECORD_FIELDS, ("record_type", "title") if creating else ())
    change = RecordChange()
    if "record_type" in r:
        change.kind = given(r, "record_type", inputs.choice(KINDS), "")
    if "title" in r:
        change.title = given(r, "title", inputs.required_text(200, line=True), "")
    if "description" in r:
        change.description = r.take("description", inputs.optional_text(10_000))
    if "date" in r:
        change.occurred_on = _nullable(r, payload, "date", past_date)
    if "next_due_date" in r:
        change.next_due_on = _nullable(r, payload, "next_due_date", inputs.calendar_date)
    if "vet_id" in r:
        change.provider_slug = _nullable(r, payload, "vet_id", provider_slug("vet"))
    r.finish(INVALID)
    return change


def tag_request(payload: dict[str, Any]) -> TagRequest:
    r = reader(payload, TAG_FIELDS, ("tag_type", "identifier"))
    kind = given(r, "tag_type", inputs.choice(TAG_TYPES), "")
    code = given(r, "identifier", inputs.required_text(64, line=True), "")
    issuer = r.get("issuer", inputs.optional_text(200, line=True), None)
    registered = r.get("registered_at", past_date, None)
    r.finish(INVALID)
    return TagRequest(kind, code, issuer, registered)
