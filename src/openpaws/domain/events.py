"""Canonical events: what changed, whose it is, and the record as committed.

Every change writes its event in its own transaction (the outbox). An event names the
account(s) it belongs to and carries a snapshot of the canonical entity as committed, so a
dialect can name and shape it when it delivers it, without reading the row again.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import msgspec

from openpaws.domain.entities import AnimalDetails, Person


class EventType(StrEnum):
    ANIMAL_CREATED = "animal.created"
    ANIMAL_UPDATED = "animal.updated"
    ANIMAL_DELETED = "animal.deleted"
    PERSON_CREATED = "person.created"


class Event(msgspec.Struct, frozen=True, kw_only=True):
    type: EventType
    subject: str  # the UUID of the record it is about
    organization_id: int | None  # the organization account it belongs to, if any
    person_id: int | None  # the person account it belongs to, if any
    snapshot: AnimalDetails | Person
    occurred_at: datetime


def animal_event(kind: EventType, details: AnimalDetails, at: datetime) -> Event:
    animal = details.animal
    return Event(
        type=kind,
        subject=animal.uuid,
        organization_id=animal.organization.id if animal.organization else None,
        person_id=animal.owner_person_id,
        snapshot=details,
        occurred_at=at,
    )


def person_event(kind: EventType, person: Person, at: datetime) -> Event:
    return Event(
        type=kind,
        subject=person.uuid,
        organization_id=person.organization_id,
        person_id=None if person.organization_id is not None else person.id,
        snapshot=person,
        occurred_at=at,
    )
