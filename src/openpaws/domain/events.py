"""Canonical events: what changed, whose it is, and the record as committed.

Every change writes its event in its own transaction (the outbox). An event names the
account(s) it belongs to and carries a snapshot of the canonical entity as committed, so a
dialect can name and shape it when it delivers it, without reading the row again.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

import msgspec

from openpaws.domain.bookings import Appointment, BookedWith, Provider
from openpaws.domain.commerce import Order
from openpaws.domain.entities import AnimalDetails, Person


class EventType(StrEnum):
    ANIMAL_CREATED = "animal.created"
    ANIMAL_UPDATED = "animal.updated"
    ANIMAL_DELETED = "animal.deleted"
    PERSON_CREATED = "person.created"
    ORDER_SHIPPED = "order.shipped"
    APPOINTMENT_CONFIRMED = "appointment.confirmed"
    APPOINTMENT_COMPLETED = "appointment.completed"
    # Sent by hand to one webhook endpoint, to check that it receives and verifies.
    WEBHOOK_TEST = "webhook.test"


class Event(msgspec.Struct, frozen=True, kw_only=True):
    type: EventType
    subject: str  # the UUID of the record it is about
    organization_id: int | None  # the organization account it belongs to, if any
    person_id: int | None  # the person account it belongs to, if any
    snapshot: AnimalDetails | Person | Order | BookedWith
    occurred_at: datetime
    # The organization that provides or sells what the event is about (a clinic, groomer or
    # shop), when it is not ``organization_id``: the event is its too.
    provider_organization_id: int | None = None

    @property
    def organization_ids(self) -> tuple[int, ...]:
        """Every organization account the event belongs to."""
        found = (self.organization_id, self.provider_organization_id)
        return tuple(dict.fromkeys(o for o in found if o is not None))


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


def order_event(kind: EventType, order: Order, at: datetime) -> Event:
    """An order's event belongs to its buyer's account and to the shop that sells it (the
    shop is its ``organization_id`` when the buyer is a person)."""
    return Event(
        type=kind,
        subject=order.uuid,
        organization_id=order.organization_id or order.shop_organization_id,
        person_id=order.person_id,
        snapshot=order,
        occurred_at=at,
        provider_organization_id=order.shop_organization_id,
    )


def appointment_event(
    kind: EventType, appointment: Appointment, provider: Provider, at: datetime
) -> Event:
    """An appointment's event belongs to whoever booked it and to its provider's organization
    (its ``organization_id`` when a person booked it); the snapshot keeps the provider as they
    were then."""
    return Event(
        type=kind,
        subject=appointment.uuid,
        organization_id=appointment.organization_id or appointment.provider_organization_id,
        person_id=appointment.person_id,
        snapshot=BookedWith(appointment, provider),
        occurred_at=at,
        provider_organization_id=appointment.provider_organization_id,
    )


def topics(event: Event) -> tuple[str, ...]:
    """What a webhook subscription may name to receive ``event``: its type, and for an
    appointment also ``<type>/<service>`` (``appointment.completed/grooming``), so a dialect
    can offer one kind of appointment's events under a name of their own."""
    if isinstance(event.snapshot, BookedWith):
        service = event.snapshot.appointment.service
        return (event.type.value, f"{event.type.value}/{service}")
    return (event.type.value,)


_SNAPSHOTS: dict[EventType, type[Any]] = {
    EventType.ANIMAL_CREATED: AnimalDetails,
    EventType.ANIMAL_UPDATED: AnimalDetails,
    EventType.ANIMAL_DELETED: AnimalDetails,
    EventType.PERSON_CREATED: Person,
    EventType.ORDER_SHIPPED: Order,
    EventType.APPOINTMENT_CONFIRMED: BookedWith,
    EventType.APPOINTMENT_COMPLETED: BookedWith,
}


class StoredEvent(msgspec.Struct, frozen=True, kw_only=True):
    """An event as the outbox keeps it: its snapshot as stored (JSON values)."""

    id: int  # the outbox row
    uuid: str
    type: str
    subject: str | None
    payload: Any
    created_at: datetime

    def snapshot(self) -> Any:
        """The committed record as its canonical struct (the payload as stored for events
        without one, such as webhook.test)."""
        kind = _SNAPSHOTS.get(EventType(self.type)) if self.type in _KNOWN else None
        return self.payload if kind is None else msgspec.convert(self.payload, kind, strict=False)


_KNOWN = frozenset(t.value for t in EventType)
