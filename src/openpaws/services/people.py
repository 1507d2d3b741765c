"""Adopters, fosters and the other people an organization keeps records of."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from msgspec import UNSET

from openpaws.domain import custom_fields
from openpaws.domain.changes import PersonChange, PersonFields, given
from openpaws.domain.entities import Person
from openpaws.domain.errors import NotFound
from openpaws.domain.events import EventType, person_event
from openpaws.domain.vocab import PersonStatus
from openpaws.storage import org_settings, outbox, person_queries
from openpaws.storage.database import Reader, Transaction


def create_person(tx: Transaction, organization_id: int, change: PersonChange) -> Person:
    """A new person record of the organization (status pending unless given), and its
    ``person.created`` event."""
    now = datetime.now(UTC)
    definitions = org_settings.field_definitions(tx.reader, organization_id, change.role)
    data = {} if change.custom_field_data is UNSET else change.custom_field_data
    values = {
        "uuid": str(uuid.uuid4()),
        "organization_id": organization_id,
        "status": PersonStatus.PENDING.value,
        "additional_emails": [],
        "additional_phones": [],
        "tags": [],
        "created_at": now,
        "updated_at": now,
        **given(change),
    }
    values["custom_field_data"] = custom_fields.validate(definitions, data)
    person_id = person_queries.insert_person(tx, PersonFields(**values))
    person = person_queries.by_id(tx.reader, person_id)
    assert person is not None
    outbox.add_event(tx, person_event(EventType.PERSON_CREATED, person, now))
    return person


def person_id(reader: Reader, reference: str) -> int:
    """The id of the platform user with this username or UUID."""
    found = person_queries.id_for_reference(reader, reference)
    if found is None:
        raise NotFound(f"Person {reference} not found", kind="person")
    return found
