"""Paws Source webhooks: the events it offers, each canonical event in its envelope
(``{"id", "type", "created_at", "data"}``, data in the resource's Paws Source shape as it was
when the event happened) and the ``X-Paws-Signature`` header (hex HMAC-SHA256 of the body)."""

from __future__ import annotations

from typing import Any

import msgspec

from openpaws.dialects.pawssource import mappers, wire
from openpaws.domain.bookings import BookedWith, CareService
from openpaws.domain.entities import AnimalDetails
from openpaws.domain.events import EventType, StoredEvent
from openpaws.domain.public_ids import PublicIds
from openpaws.domain.webhooks import Delivery, Endpoint
from openpaws.platform.webhooks import signing
from openpaws.platform.webhooks.styles import Rendered, WebhookStyle
from openpaws.services import identifiers
from openpaws.storage.database import Reader

ENDPOINT, DELIVERY = "we", "dlv"
GROOMING = CareService.GROOMING.value
VETERINARY = CareService.VETERINARY.value

# The four the seed promises, then extensions an endpoint may opt into (docs/pawssource.md).
EVENTS: dict[str, tuple[str, ...]] = {
    "pet.created": (EventType.ANIMAL_CREATED.value,),
    "appointment.confirmed": (EventType.APPOINTMENT_CONFIRMED.value,),
    "order.shipped": (EventType.ORDER_SHIPPED.value,),
    "grooming.completed": (f"{EventType.APPOINTMENT_COMPLETED.value}/{GROOMING}",),
    "pet.updated": (EventType.ANIMAL_UPDATED.value,),
    "pet.deleted": (EventType.ANIMAL_DELETED.value,),
    "appointment.completed": (f"{EventType.APPOINTMENT_COMPLETED.value}/{VETERINARY}",),
}
PET_EVENTS = {
    EventType.ANIMAL_CREATED.value: "pet.created",
    EventType.ANIMAL_UPDATED.value: "pet.updated",
    EventType.ANIMAL_DELETED.value: "pet.deleted",
}
TEST_EVENT = "webhook.test"


def message_id(event: StoredEvent) -> str:
    """``evt_`` and the event's own id: the body's ``id`` and the ``webhook-id``."""
    return "evt_" + event.uuid.replace("-", "")


def _appointment(kind: str, booked: BookedWith, ids: PublicIds) -> tuple[str, Any]:
    a, provider = booked.appointment, booked.provider
    if a.service == GROOMING:
        name = "grooming.completed" if kind == EventType.APPOINTMENT_COMPLETED else kind
        return name, mappers.grooming(a, provider, ids)
    return kind, mappers.appointment(a, provider, ids)


def _shaped(event: StoredEvent, ids: PublicIds) -> tuple[str, Any]:
    snapshot = event.snapshot()
    if event.type in PET_EVENTS:
        assert isinstance(snapshot, AnimalDetails)
        return PET_EVENTS[event.type], mappers.pet(snapshot.animal, ids, event.created_at.date())
    if event.type == EventType.ORDER_SHIPPED:
        return "order.shipped", mappers.order(snapshot, ids)
    if event.type in (EventType.APPOINTMENT_CONFIRMED, EventType.APPOINTMENT_COMPLETED):
        return _appointment(event.type, snapshot, ids)
    if event.type == EventType.WEBHOOK_TEST:
        return TEST_EVENT, {
            "webhook_endpoint_id": ids.encode(ENDPOINT, int(snapshot["endpoint_id"])),
            "message": "A test event sent by hand. Verify its signature and answer 2xx.",
        }
    raise ValueError(f"Paws Source has no webhook event for {event.type}")


def render(reader: Reader, event: StoredEvent) -> Rendered:
    ids = identifiers.public_ids(reader)
    name, data = _shaped(event, ids)
    body = wire.Event(message_id(event), name, mappers.moment(event.created_at), data)
    return Rendered(name, msgspec.json.encode(body))


def signature_headers(secret: bytes, body: bytes) -> dict[str, str]:
    return {"X-Paws-Signature": signing.hex_signature(secret, body)}


STYLE = WebhookStyle(
    events=EVENTS,
    render=render,
    signature_headers=signature_headers,
    message_id=message_id,
)


def _moment(value: Any) -> str | None:
    return None if value is None else mappers.moment(value)


def endpoint(e: Endpoint, ids: PublicIds, secret: str | None = None) -> wire.WebhookEndpoint:
    return wire.WebhookEndpoint(
        id=ids.encode(ENDPOINT, e.id),
        url=e.url,
        description=e.description,
        enabled_events=e.event_names,
        status=e.status,
        disabled_reason=e.disabled_reason,
        disabled_at=_moment(e.disabled_at),
        failing_since=_moment(e.failing_since),
        created_at=mappers.moment(e.created_at),
        updated_at=mappers.moment(e.updated_at),
        secret=secret,
    )


# The name a delivery not yet attempted will go by, where the canonical type alone says it.
_NAMES = {
    **PET_EVENTS,
    EventType.APPOINTMENT_CONFIRMED.value: "appointment.confirmed",
    EventType.ORDER_SHIPPED.value: "order.shipped",
    EventType.WEBHOOK_TEST.value: TEST_EVENT,
}


def delivery(d: Delivery, endpoint_id: str, ids: PublicIds) -> wire.WebhookDelivery:
    return wire.WebhookDelivery(
        id=ids.encode(DELIVERY, d.id),
        webhook_endpoint_id=endpoint_id,
        event_id="evt_" + d.event_uuid.replace("-", ""),
        event_type=d.event_name or _NAMES.get(d.event_type),
        status=d.status,
        attempts=d.attempts,
        next_attempt_at=_moment(d.next_attempt_at),
        last_status_code=d.last_status_code,
        last_error=d.last_error,
        created_at=mappers.moment(d.created_at),
        finished_at=_moment(d.finished_at),
        attempt_log=[
            wire.WebhookAttempt(
                attempt=a.attempt,
                started_at=mappers.moment(a.started_at),
                status_code=a.status_code,
                latency_ms=a.latency_ms,
                error=a.error,
                response_excerpt=a.response_excerpt,
                next_attempt_at=_moment(a.next_attempt_at),
            )
            for a in d.log
        ],
    )
