"""Canonical records as Paws Source shows them (pure: the id codec and the day are given)."""

from __future__ import annotations

from datetime import date, datetime

import msgspec

from openpaws.dialects.encoded import EncodedMemo
from openpaws.dialects.pawssource import vocab, wire
from openpaws.domain import ages
from openpaws.domain.bookings import Appointment, Offering, Provider, zone
from openpaws.domain.commerce import Order, PaymentMethod, Product, ShippingAddress
from openpaws.domain.entities import Animal
from openpaws.domain.health import IdTag, MedicalRecord
from openpaws.domain.public_ids import PublicIds

PET = "pet"
# Kilograms in one of each unit a weight may be kept in (a bare number is taken as pounds,
# as the listing APIs write it).
KILOGRAMS = {"kg": 1.0, "lb": 0.45359237, "g": 0.001, "oz": 0.028349523125, None: 0.45359237}


def moment(value: datetime) -> str:
    """``YYYY-MM-DDTHH:MM:SSZ``, in UTC, whole seconds."""
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


class PetMemo:
    """The encoded form of recently shown pets, reused while the animal is unchanged (its id
    and ``updated_at``; every write sets it) on the same day (``age_years`` counts days)."""

    def __init__(self) -> None:
        self._forms = EncodedMemo()

    def pet(self, a: Animal, ids: PublicIds, today: date) -> msgspec.Raw:
        return self._forms.get((a.id, a.updated_at, today), lambda: pet(a, ids, today))


def breed(animal: Animal) -> str | None:
    """The primary breed, ``primary / secondary``, ``primary Mix``, ``Mixed``, or null."""
    primary, secondary = animal.breed_primary, animal.breed_secondary
    if primary and secondary:
        return f"{primary} / {secondary}"
    if primary:
        return f"{primary} Mix" if animal.breed_mixed else primary
    return "Mixed" if animal.breed_mixed else None


def weight_kg(animal: Animal) -> float | None:
    if animal.weight_value is None:
        return None
    factor = KILOGRAMS.get(animal.weight_unit, KILOGRAMS[None])
    return round(animal.weight_value * factor, 1)


def age_years(animal: Animal, today: date) -> int | None:
    if animal.birth_date:
        return ages.whole_years(animal.birth_date, today)
    return animal.age_years


def pet(a: Animal, ids: PublicIds, today: date) -> wire.Pet:
    return wire.Pet(
        id=ids.encode(PET, a.id),
        name=a.name,
        species=vocab.species_word(a.type, a.species),
        breed=breed(a),
        age_years=age_years(a, today),
        weight_kg=weight_kg(a),
        status=vocab.STATUS_OUT[a.status],  # type: ignore[index]
        created_at=moment(a.created_at),
        date_of_birth=a.birth_date,
        medical_notes=a.medical_notes,
        updated_at=moment(a.updated_at),
    )


# -- the catalog and orders -----------------------------------------------------------------

PRODUCT, ADDRESS, PAYMENT_METHOD, ORDER = "prod", "addr", "pm", "ord"
NOUNS = {
    PET: "pet",
    PRODUCT: "product",
    ADDRESS: "shipping address",
    PAYMENT_METHOD: "payment method",
    ORDER: "order",
}


def money(amount: int, currency: str) -> wire.Money:
    return wire.Money(amount, currency)


def product(p: Product, ids: PublicIds) -> wire.Product:
    return wire.Product(
        id=ids.encode(PRODUCT, p.id),
        name=p.name,
        brand=p.brand,
        description=p.description,
        category=p.category,
        dietary_preferences=p.dietary_preferences,
        species=[vocab.SPECIES_OF_TYPE[t] for t in p.species],
        price=money(p.price_amount, p.currency),
        images=p.images,
        sku=p.sku,
        in_stock=p.stock > 0,
    )


def inventory(p: Product, ids: PublicIds) -> wire.Inventory:
    return wire.Inventory(ids.encode(PRODUCT, p.id), p.stock, p.stock > 0, p.restock_date)


def shipping_address(a: ShippingAddress, ids: PublicIds) -> wire.ShippingAddress:
    where = a.address
    return wire.ShippingAddress(
        id=ids.encode(ADDRESS, a.id),
        name=a.name,
        line1=where.address1,
        line2=where.address2,
        city=where.city,
        state=where.state,
        postal_code=where.postcode,
        country=where.country,
        phone=a.phone,
        created_at=moment(a.created_at),
    )


def payment_method(m: PaymentMethod, ids: PublicIds) -> wire.PaymentMethod:
    return wire.PaymentMethod(
        id=ids.encode(PAYMENT_METHOD, m.id),
        brand=m.brand,
        last4=m.last4,
        exp_month=m.exp_month,
        exp_year=m.exp_year,
        label=m.label,
        created_at=moment(m.created_at),
    )


def order(o: Order, ids: PublicIds) -> wire.Order:
    tracking = None
    if o.shipped_at is not None:
        tracking = wire.Tracking(o.carrier, o.tracking_number, o.tracking_url, moment(o.shipped_at))
    return wire.Order(
        id=ids.encode(ORDER, o.id),
        status=o.status,
        items=[
            wire.OrderItem(
                ids.encode(PRODUCT, i.product_id),
                i.name,
                i.sku,
                i.quantity,
                money(i.unit_price, o.currency),
            )
            for i in o.items
        ],
        subtotal=money(o.subtotal, o.currency),
        shipping=money(o.shipping, o.currency),
        total=money(o.total, o.currency),
        shipping_address_id=ids.encode(ADDRESS, o.shipping_address_id),
        payment_method_id=ids.encode(PAYMENT_METHOD, o.payment_method_id),
        notes=o.notes,
        tracking=tracking,
        created_at=moment(o.created_at),
        updated_at=moment(o.updated_at),
    )


# -- vets, groomers and their appointments --------------------------------------------------

APPOINTMENT, GROOMING = "apt", "grm"
PROVIDER_PREFIXES = {"veterinarian": "vet", "groomer": "groomer"}
SLOT_MINUTES = 30


def provider_id(p: Provider) -> str:
    return f"{PROVIDER_PREFIXES[p.role]}_{p.slug}"


def place(p: Provider) -> wire.Place:
    return wire.Place(
        p.organization_code, p.organization_name, p.city, p.state, p.postcode, p.time_zone
    )


def service(o: Offering) -> wire.Service:
    return wire.Service(o.code, o.name, o.slots * SLOT_MINUTES, money(o.price_amount, o.currency))


def provider(p: Provider, offered: list[Offering]) -> wire.Provider:
    main = [o for o in offered if o.kind != "add_on"]
    extras = [o for o in offered if o.kind == "add_on"]
    return wire.Provider(
        id=provider_id(p),
        name=p.name,
        species=[vocab.SPECIES_OF_TYPE[t] for t in p.specialties],
        organization=place(p),
        services=[service(o) for o in main],
        add_ons=[service(o) for o in extras],
    )


def local_moment(value: datetime, time_zone: str) -> str:
    """An instant as the provider's wall-clock time with its UTC offset."""
    return value.astimezone(zone(time_zone)).isoformat(timespec="seconds")


def availability(p: Provider, day: str, slots: list[datetime]) -> wire.Availability:
    return wire.Availability(
        provider_id(p), day, p.time_zone, [local_moment(s, p.time_zone) for s in slots]
    )


def _price(a: Appointment) -> wire.Money | None:
    return None if a.price_amount is None else money(a.price_amount, a.currency or "USD")


def appointment(a: Appointment, p: Provider, ids: PublicIds) -> wire.Appointment:
    return wire.Appointment(
        id=ids.encode(APPOINTMENT, a.id),
        pet_id=ids.encode(PET, a.animal_id),
        vet_id=provider_id(p),
        appointment_type=a.appointment_type or "",
        requested_date=a.requested_date,
        preferred_time_slot=a.preferred_time_slot,
        notes=a.notes,
        status=a.status,
        scheduled_at=None if a.scheduled_at is None else local_moment(a.scheduled_at, p.time_zone),
        duration_minutes=a.slots * SLOT_MINUTES,
        price=_price(a),
        clinic=place(p),
        created_at=moment(a.created_at),
        updated_at=moment(a.updated_at),
    )


def grooming(a: Appointment, p: Provider, ids: PublicIds) -> wire.GroomingAppointment:
    return wire.GroomingAppointment(
        id=ids.encode(GROOMING, a.id),
        pet_id=ids.encode(PET, a.animal_id),
        groomer_id=provider_id(p),
        package=a.package_code or "",
        add_ons=[x.code for x in a.add_ons],
        requested_date=a.requested_date,
        preferred_time_slot=a.preferred_time_slot,
        notes=a.notes,
        status=a.status,
        scheduled_at=None if a.scheduled_at is None else local_moment(a.scheduled_at, p.time_zone),
        duration_minutes=a.slots * SLOT_MINUTES,
        price=_price(a),
        groomer=place(p),
        report=a.report,
        created_at=moment(a.created_at),
        updated_at=moment(a.updated_at),
    )


# -- medical records and tags ---------------------------------------------------------------

RECORD, TAG = "med", "tag"


def medical_record(r: MedicalRecord, ids: PublicIds) -> wire.MedicalRecord:
    return wire.MedicalRecord(
        id=ids.encode(RECORD, r.id),
        pet_id=ids.encode(PET, r.animal_id),
        record_type=r.kind,
        title=r.title,
        description=r.description,
        date=r.occurred_on,
        vet_id=None if r.provider_slug is None else f"vet_{r.provider_slug}",
        next_due_date=r.next_due_on,
        created_at=moment(r.created_at),
        updated_at=moment(r.updated_at),
    )


def tag(t: IdTag, pet_id: str, ids: PublicIds) -> wire.Tag:
    return wire.Tag(
        id=ids.encode(TAG, t.id),
        pet_id=pet_id,
        tag_type=t.tag_type,
        identifier=t.code,
        issuer=t.issuer,
        registered_at=t.registered_on,
        active=t.active,
        created_at=moment(t.created_at),
    )
