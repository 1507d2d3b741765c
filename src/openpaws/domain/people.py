"""Adopters, fosters and the other people an organization keeps records of."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection

from openpaws.domain import custom_fields
from openpaws.domain.entities import Person
from openpaws.domain.vocab import PersonStatus
from openpaws.storage import org_settings, outbox, person_queries
from openpaws.storage.database import Database


@dataclass
class PersonInput:
    role: str
    name: str
    values: dict[str, Any] = field(default_factory=dict)  # canonical columns
    custom_field_data: dict[str, Any] | None = None


def create_person(
    db: Database, conn: Connection, organization_id: int, data: PersonInput
) -> Person:
    """A new person record of the organization (status pending unless given)."""
    now = datetime.now(UTC)
    definitions = org_settings.field_definitions(db.reader_on(conn), organization_id, data.role)
    row = {
        "uuid": str(uuid.uuid4()),
        "organization_id": organization_id,
        "role": data.role,
        "name": data.name,
        "status": PersonStatus.PENDING.value,
        "additional_emails": [],
        "additional_phones": [],
        "tags": [],
        "created_at": now,
        "updated_at": now,
        **data.values,
        "custom_field_data": custom_fields.validate(definitions, data.custom_field_data or {}),
    }
    person_id = person_queries.insert_person(conn, row)
    outbox.add_event(conn, organization_id, "person.created", {"id": row["uuid"]}, now)
    person = person_queries.by_id(db.reader_on(conn), person_id)
    assert person is not None
    return person
