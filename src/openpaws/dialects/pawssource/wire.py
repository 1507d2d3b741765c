"""Paws Source's wire shapes: every object as the seed shows it, in ``{"data": ...}``."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

import msgspec

T = TypeVar("T")


class Pet(msgspec.Struct, gc=False):
    id: str
    name: str
    species: str
    breed: str | None
    age_years: int | None
    weight_kg: float | None
    status: str
    created_at: str
    date_of_birth: str | None
    medical_notes: str | None
    updated_at: str


class Meta(msgspec.Struct, gc=False):
    next_cursor: str | None
    has_more: bool


class Page(msgspec.Struct, Generic[T], gc=False):
    data: list[T]
    meta: Meta


class One(msgspec.Struct, Generic[T], gc=False):
    data: T


class Deleted(msgspec.Struct, gc=False):
    id: str
    deleted: bool = True


class Detail(msgspec.Struct, gc=False):
    field: str
    issue: str
    message: str


class ErrorInfo(msgspec.Struct, gc=False):
    code: str
    message: str
    details: list[Detail]


class Error(msgspec.Struct, gc=False):
    error: ErrorInfo


class Money(msgspec.Struct, gc=False):
    amount: int  # minor units (cents)
    currency: str


class Product(msgspec.Struct, gc=False):
    id: str
    name: str
    brand: str | None
    description: str | None
    category: str
    dietary_preferences: list[str]
    species: list[str]
    price: Money
    images: list[str]
    sku: str
    in_stock: bool


class Inventory(msgspec.Struct, gc=False):
    product_id: str
    available_quantity: int
    in_stock: bool
    restock_date: str | None


class ShippingAddress(msgspec.Struct, gc=False):
    id: str
    name: str
    line1: str | None
    line2: str | None
    city: str | None
    state: str | None
    postal_code: str | None
    country: str | None
    phone: str | None
    created_at: str


class PaymentMethod(msgspec.Struct, gc=False):
    id: str
    brand: str
    last4: str
    exp_month: int
    exp_year: int
    label: str | None
    created_at: str


class OrderItem(msgspec.Struct, gc=False):
    product_id: str
    name: str
    sku: str
    quantity: int
    unit_price: Money


class Tracking(msgspec.Struct, gc=False):
    carrier: str | None
    tracking_number: str | None
    tracking_url: str | None
    shipped_at: str | None


class Order(msgspec.Struct, gc=False):
    id: str
    status: str
    items: list[OrderItem]
    subtotal: Money
    shipping: Money
    total: Money
    shipping_address_id: str
    payment_method_id: str
    notes: str | None
    tracking: Tracking | None
    created_at: str
    updated_at: str


class Place(msgspec.Struct, gc=False):
    code: str
    name: str
    city: str | None
    state: str | None
    postal_code: str | None
    time_zone: str


class Service(msgspec.Struct, gc=False):
    code: str
    name: str
    duration_minutes: int
    price: Money


class Provider(msgspec.Struct, gc=False):
    id: str
    name: str
    species: list[str]  # empty: any
    organization: Place
    services: list[Service]  # appointment types (vets) or packages (groomers)
    add_ons: list[Service]  # groomers' add-ons; [] for vets


class Availability(msgspec.Struct, gc=False):
    provider_id: str
    date: str
    time_zone: str
    slots: list[str]  # start times, with the provider's UTC offset


class Appointment(msgspec.Struct, gc=False):
    id: str
    pet_id: str
    vet_id: str
    appointment_type: str
    requested_date: str
    preferred_time_slot: str | None
    notes: str | None
    status: str
    scheduled_at: str | None
    duration_minutes: int
    price: Money | None
    clinic: Place
    created_at: str
    updated_at: str


class GroomingAppointment(msgspec.Struct, gc=False):
    id: str
    pet_id: str
    groomer_id: str
    package: str
    add_ons: list[str]
    requested_date: str
    preferred_time_slot: str | None
    notes: str | None
    status: str
    scheduled_at: str | None
    duration_minutes: int
    price: Money | None
    groomer: Place
    report: dict[str, Any] | None
    created_at: str
    updated_at: str


class MedicalRecord(msgspec.Struct, gc=False):
    id: str
    pet_id: str
    record_type: str
    title: str
    description: str | None
    date: str | None
    vet_id: str | None
    next_due_date: str | None
    created_at: str
    updated_at: str


class Tag(msgspec.Struct, gc=False):
    id: str
    pet_id: str
    tag_type: str
    identifier: str
    issuer: str | None
    registered_at: str | None
    active: bool
    created_at: str


class WebhookEndpoint(msgspec.Struct, gc=False, omit_defaults=True):
    id: str
    url: str
    description: str | None
    enabled_events: list[str]
    status: str
    disabled_reason: str | None
    disabled_at: str | None
    failing_since: str | None
    created_at: str
    updated_at: str
    secret: str | None = None  # shown once: on creation and rotation


class WebhookAttempt(msgspec.Struct, gc=False):
    attempt: int
    started_at: str
    status_code: int | None
    latency_ms: int
    error: str | None
    response_excerpt: str | None
    next_attempt_at: str | None


class WebhookDelivery(msgspec.Struct, gc=False):
    id: str
    webhook_endpoint_id: str
    event_id: str
    event_type: str | None
    status: str
    attempts: int
    next_attempt_at: str | None
    last_status_code: int | None
    last_error: str | None
    created_at: str
    finished_at: str | None
    attempt_log: list[WebhookAttempt]


class Event(msgspec.Struct, gc=False):
    """A webhook's body."""

    id: str
    type: str
    created_at: str
    data: Any
