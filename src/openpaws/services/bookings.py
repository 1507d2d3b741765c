"""Booking vets and groomers: request, reschedule, cancel (the booker); confirm for a start
time and complete (the provider). Confirming holds the appointment's slots, one provider never
holding a slot twice; each confirmation and completion writes its event."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

from msgspec import UNSET

from openpaws.domain import bookings as rules
from openpaws.domain.accounts import Account, AccountKind
from openpaws.domain.bookings import (
    AddOn,
    Appointment,
    AppointmentPage,
    AppointmentStatus,
    BookingChange,
    BookingRequest,
    CareService,
    Offering,
    OfferingKind,
    Provider,
    ProviderFilters,
)
from openpaws.domain.errors import InvalidInput, NotFound
from openpaws.domain.events import EventType, appointment_event
from openpaws.domain.search import KeysetCursor
from openpaws.storage import animal_queries, bookings, outbox
from openpaws.storage.database import Reader, Transaction

ROLES = {CareService.VETERINARY: "veterinarian", CareService.GROOMING: "groomer"}


def _problem(name: str, message: str, kind: str) -> InvalidInput:
    return InvalidInput.field("body", name, message, kind=kind)


def _not_found() -> NotFound:
    return NotFound("Appointment not found", kind="appointment")


# -- providers -------------------------------------------------------------------------------


def providers(
    reader: Reader, filters: ProviderFilters, limit: int, after_id: int | None
) -> list[Provider]:
    return bookings.providers(reader, filters, limit, after_id)


def provider(reader: Reader, slug: str, service: CareService) -> Provider:
    found = bookings.provider_by_slug(reader, slug, ROLES[service])
    if found is None:
        raise NotFound("Provider not found", kind="provider")
    return found


def today_of(found: Provider) -> date:
    """Today in the provider's time zone."""
    return rules.today_in(found.time_zone, datetime.now(UTC))


def provider_of(reader: Reader, found: Appointment) -> Provider:
    """The provider an appointment is with."""
    provider_found = bookings.provider_by_id(reader, found.provider_person_id)
    assert provider_found is not None
    return provider_found


def offerings(reader: Reader, found: Provider, service: CareService) -> list[Offering]:
    """What the provider's organization offers: its own list, else the defaults."""
    own = bookings.offerings(reader, found.organization_id, service.value)
    return own or rules.default_offerings(service)


def open_slots(reader: Reader, found: Provider, day: date) -> list[datetime]:
    """The provider's free slots on ``day`` (in its time zone)."""
    tz = rules.zone(found.time_zone)
    start = datetime.combine(day, datetime.min.time(), tz)
    held = bookings.held_slots(reader, found.id, start, start + timedelta(days=1))
    return rules.open_slots(found, day, held, datetime.now(UTC))


# -- the booker ------------------------------------------------------------------------------


def _offering(choices: list[Offering], kind: OfferingKind, code: str, field: str) -> Offering:
    found = next((o for o in choices if o.kind == kind and o.code == code), None)
    if found is None:
        allowed = ", ".join(o.code for o in choices if o.kind == kind) or "none"
        raise _problem(field, f"Offered here: {allowed}", "not_offered")
    return found


def _priced(
    choices: list[Offering], service: CareService, main: str, add_ons: list[str], field: str
) -> tuple[Offering, list[AddOn]]:
    kind = (
        OfferingKind.APPOINTMENT_TYPE if service is CareService.VETERINARY else OfferingKind.PACKAGE
    )
    chosen = _offering(choices, kind, main, field)
    extras = [_offering(choices, OfferingKind.ADD_ON, code, "add_ons") for code in add_ons]
    return chosen, [AddOn(e.code, e.price_amount) for e in extras]


def _check_date(found: Provider, requested: str) -> None:
    if requested < rules.today_in(found.time_zone, datetime.now(UTC)).isoformat():
        raise _problem("requested_date", "Must be today or later", "past_date")


def book(tx: Transaction, account: Account, request: BookingRequest) -> Appointment:
    """A requested appointment of one of the account's own pets."""
    service = CareService(request.service)
    reader = tx.reader
    if animal_queries.account_animal(reader, account, request.animal_id) is None:
        raise _problem("animal_id", "No such pet", "not_found")
    found = bookings.provider_by_slug(reader, request.provider_slug, ROLES[service])
    if found is None:
        raise _problem("provider", "No such provider", "not_found")
    _check_date(found, request.requested_date)
    main = request.appointment_type or request.package_code or ""
    chosen, add_ons = _priced(
        offerings(reader, found, service), service, main, request.add_ons, "offering"
    )
    now = datetime.now(UTC)
    appointment_id = bookings.insert_appointment(
        tx,
        {
            "uuid": str(uuid.uuid4()),
            "service": service.value,
            "animal_id": request.animal_id,
            "organization_id": account.organization_id,
            "person_id": account.person_id,
            "provider_organization_id": found.organization_id,
            "provider_person_id": found.id,
            "appointment_type": request.appointment_type,
            "package_code": request.package_code,
            "requested_date": request.requested_date,
            "preferred_time_slot": request.preferred_time_slot,
            "slots": chosen.slots,
            "status": AppointmentStatus.REQUESTED.value,
            "notes": request.notes,
            "price_amount": chosen.price_amount + sum(a.price_amount for a in add_ons),
            "currency": chosen.currency,
            "created_at": now,
            "updated_at": now,
        },
    )
    bookings.replace_add_ons(tx, appointment_id, add_ons)
    return _appointment(reader, account, appointment_id, service)


def _appointment(
    reader: Reader, account: Account, appointment_id: int, service: CareService
) -> Appointment:
    found = bookings.appointment_of(reader, account, appointment_id, service.value)
    if found is None:
        raise _not_found()
    return found


def appointment(
    reader: Reader, account: Account, appointment_id: int, service: CareService
) -> Appointment:
    """An appointment the account booked or (an organization) provides."""
    return _appointment(reader, account, appointment_id, service)


def appointment_page(
    reader: Reader,
    account: Account,
    service: CareService,
    conditions: dict[str, object],
    limit: int,
    after: KeysetCursor | None,
) -> AppointmentPage:
    return bookings.page(reader, account, service.value, conditions, limit, after)


def _open(found: Appointment, action: str) -> None:
    if found.status not in rules.OPEN:
        raise _problem(
            "status", f"A {found.status} appointment cannot be {action}", "invalid_state"
        )


def _booked_by(found: Appointment, account: Account) -> bool:
    return (found.organization_id, found.person_id) == (account.organization_id, account.person_id)


def change(
    tx: Transaction,
    account: Account,
    appointment_id: int,
    service: CareService,
    asked: BookingChange,
) -> Appointment:
    """Reschedule (a new date or part of the day: a confirmed appointment is requested again,
    its slots released), change notes, or (grooming) change the package and add-ons, the
    price recalculated; after confirmation a package may only be upgraded."""
    reader = tx.reader
    found = _appointment(reader, account, appointment_id, service)
    if not _booked_by(found, account):
        raise _not_found()  # its provider confirms, completes or cancels it
    _open(found, "changed")
    provider_found = bookings.provider_by_id(reader, found.provider_person_id)
    assert provider_found is not None
    now = datetime.now(UTC)
    values: dict[str, object] = {"updated_at": now}
    if asked.notes is not UNSET:
        values["notes"] = asked.notes
    moved = asked.requested_date is not UNSET or asked.preferred_time_slot is not UNSET
    if asked.requested_date is not UNSET:
        _check_date(provider_found, asked.requested_date)
        values["requested_date"] = asked.requested_date
    if asked.preferred_time_slot is not UNSET:
        values["preferred_time_slot"] = asked.preferred_time_slot
    if asked.package_code is not UNSET or asked.add_ons is not UNSET:
        package = found.package_code if asked.package_code is UNSET else asked.package_code
        extras = [a.code for a in found.add_ons] if asked.add_ons is UNSET else asked.add_ons
        choices = offerings(reader, provider_found, service)
        chosen, add_ons = _priced(choices, service, package or "", extras, "package")
        current = next((o for o in choices if o.code == found.package_code), None)
        confirmed = found.status == AppointmentStatus.CONFIRMED
        if confirmed and not moved and current is not None and chosen.tier < current.tier:
            raise _problem(
                "package", "A confirmed appointment may only be upgraded", "not_an_upgrade"
            )
        values |= {
            "package_code": chosen.code,
            "slots": chosen.slots,
            "price_amount": chosen.price_amount + sum(a.price_amount for a in add_ons),
        }
        bookings.replace_add_ons(tx, appointment_id, add_ons)
        if confirmed and not moved and chosen.slots != found.slots:
            assert found.scheduled_at is not None
            _hold(tx, found, provider_found, found.scheduled_at, chosen.slots)
    if moved and found.status == AppointmentStatus.CONFIRMED:
        bookings.release_slots(tx, appointment_id)
        values |= {"status": AppointmentStatus.REQUESTED.value, "scheduled_at": None}
    bookings.update_appointment(tx, appointment_id, values)
    return _appointment(reader, account, appointment_id, service)


def cancel(
    tx: Transaction, account: Account, appointment_id: int, service: CareService
) -> Appointment:
    """Cancel an open appointment (its booker or its provider); its slots are released."""
    found = _appointment(tx.reader, account, appointment_id, service)
    _open(found, "cancelled")
    now = datetime.now(UTC)
    bookings.release_slots(tx, appointment_id)
    bookings.update_appointment(
        tx,
        appointment_id,
        {"status": AppointmentStatus.CANCELLED.value, "cancelled_at": now, "updated_at": now},
    )
    return _appointment(tx.reader, account, appointment_id, service)


# -- the provider ----------------------------------------------------------------------------


def _provided(
    tx: Transaction, account: Account, appointment_id: int, service: CareService
) -> Appointment:
    found = bookings.appointment_of(tx.reader, account, appointment_id, service.value)
    if (
        found is None
        or account.kind is not AccountKind.ORGANIZATION
        or found.provider_organization_id != account.id
    ):
        raise _not_found()
    return found


def _hold(
    tx: Transaction, found: Appointment, provider_found: Provider, start: datetime, slots: int
) -> None:
    bookings.release_slots(tx, found.id)
    if not rules.within_opening(provider_found, start, slots):
        raise _problem("scheduled_at", "Outside the opening hours", "outside_opening_hours")
    starts = rules.slot_starts(start, slots)
    if not bookings.hold_slots(tx, found.id, provider_found.id, starts):
        raise _problem("scheduled_at", "The provider is booked then", "slot_unavailable")


def confirm(
    tx: Transaction,
    account: Account,
    appointment_id: int,
    service: CareService,
    start: datetime,
) -> Appointment:
    """The provider confirms a requested appointment for ``start`` (aware, on its 30-minute
    grid, in the future, within its opening hours, its slots free): ``appointment.confirmed``."""
    found = _provided(tx, account, appointment_id, service)
    if found.status != AppointmentStatus.REQUESTED:
        raise _problem(
            "status", f"A {found.status} appointment cannot be confirmed", "invalid_state"
        )
    provider_found = bookings.provider_by_id(tx.reader, found.provider_person_id)
    assert provider_found is not None
    if start.tzinfo is None:  # a wall-clock time of the provider's
        start = start.replace(tzinfo=rules.zone(provider_found.time_zone))
    local = start.astimezone(rules.zone(provider_found.time_zone))
    if not rules.on_grid(local):
        raise _problem("scheduled_at", "Must start on the hour or half past", "not_on_grid")
    now = datetime.now(UTC)
    if start <= now:
        raise _problem("scheduled_at", "Must be in the future", "past_date")
    _hold(tx, found, provider_found, start, found.slots)
    bookings.update_appointment(
        tx,
        appointment_id,
        {
            "status": AppointmentStatus.CONFIRMED.value,
            "scheduled_at": start.astimezone(UTC),
            "confirmed_at": now,
            "updated_at": now,
        },
    )
    confirmed = _appointment(tx.reader, account, appointment_id, service)
    outbox.add_event(
        tx, appointment_event(EventType.APPOINTMENT_CONFIRMED, confirmed, provider_found, now)
    )
    return confirmed


def complete(
    tx: Transaction,
    account: Account,
    appointment_id: int,
    service: CareService,
    report: dict[str, object] | None,
) -> Appointment:
    """The provider completes a confirmed appointment (grooming: with its report):
    ``appointment.completed``."""
    found = _provided(tx, account, appointment_id, service)
    if found.status != AppointmentStatus.CONFIRMED:
        raise _problem(
            "status", f"A {found.status} appointment cannot be completed", "invalid_state"
        )
    now = datetime.now(UTC)
    bookings.update_appointment(
        tx,
        appointment_id,
        {
            "status": AppointmentStatus.COMPLETED.value,
            "report": report,
            "completed_at": now,
            "updated_at": now,
        },
    )
    done = _appointment(tx.reader, account, appointment_id, service)
    provider_found = bookings.provider_by_id(tx.reader, done.provider_person_id)
    assert provider_found is not None
    outbox.add_event(
        tx, appointment_event(EventType.APPOINTMENT_COMPLETED, done, provider_found, now)
    )
    return done
