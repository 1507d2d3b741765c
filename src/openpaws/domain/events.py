"""Canonical events: what changed, whose it is, and the record as committed.

Every change writes its event in its own transaction (the outbox). An event names the
account(s) it belongs to and carries a snapshot of the canonical entity as committed, so a
dialect can name and shape it when it delivers it, without reading the row again.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import msgspec

from openpaws.domain.bookings import Appointment
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


class Event(msgspec.Struct, frozen=True, kw_only=True):
    type: EventType
    subject: str  # the UUID of the record it is about
    organization_id: int | None  # the organization account it belongs to, if any
    person_id: int | None  # the person account it belongs to, if any
    snapshot: AnimalDetails | Person | Order | Appointment
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


def order_event(kind: EventType, order: Order, at: datetime) -> Event:
    """An order's event belongs to its buyer's account; the shop sells it (its
    ``organization_id`` when the buyer is a person)."""
    return Event(
        type=kind,
        subject=order.uuid,
        organization_id=order.organization_id or order.shop_organization_id,
        person_id=order.person_id,
        snapshot=order,
        occurred_at=at,
    )


def appointment_event(kind: EventType, appointment: Appointment, at: datetime) -> Event:
    """An appointment's event belongs to whoever booked it; its provider is the organization
    when a person booked it."""
    return Event(
        type=kind,
        subject=appointment.uuid,
        organization_id=appointment.organization_id or appointment.provider_organization_id,
        person_id=appointment.person_id,
        snapshot=appointment,
        occurred_at=at,
    )
