"""Vets and groomers, and the appointments booked with them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from openpaws.dialects import inputs
from openpaws.dialects.pawssource import bodies, booking_bodies, mappers, params, vocab, wire
from openpaws.dialects.pipeline import Call, Route
from openpaws.domain import geo
from openpaws.domain.bookings import (
    Appointment,
    BookingChange,
    BookingRequest,
    CareService,
    Provider,
    ProviderFilters,
)
from openpaws.domain.errors import NotFound
from openpaws.platform.principals import Scope
from openpaws.services import bookings, identifiers, organizations
from openpaws.storage.database import Reader, Transaction

QUOTA = "requests"
MAX_PROVIDERS = 100


@dataclass(frozen=True)
class Kind:
    """What differs between booking a vet and booking a groomer."""

    service: CareService
    prefix: str  # of provider ids: vet, groomer
    noun: str  # of appointment ids: apt, grm
    providers: str  # the directory path: /vets, /groomers
    organization: str  # the directory's filter by organization code: clinic, salon
    appointments: str  # /appointments, /grooming/appointments
    scope: Scope  # booking, rescheduling, cancelling
    request: Callable[[dict[str, Any], Any], BookingRequest]
    show: Callable[..., Any]  # mappers.appointment or mappers.grooming


VET = Kind(
    CareService.VETERINARY,
    "vet",
    mappers.APPOINTMENT,
    "/vets",
    "clinic",
    "/appointments",
    Scope.APPOINTMENTS_WRITE,
    booking_bodies.appointment_request,
    mappers.appointment,
)
GROOMER = Kind(
    CareService.GROOMING,
    "groomer",
    mappers.GROOMING,
    "/groomers",
    "salon",
    "/grooming/appointments",
    Scope.GROOMING_WRITE,
    booking_bodies.grooming_request,
    mappers.grooming,
)


def _provider(reader: Reader, kind: Kind, text: str) -> Provider:
    slug = text.removeprefix(kind.prefix + "_") if text.startswith(kind.prefix + "_") else ""
    return bookings.provider(reader, slug, kind.service) if slug else _missing("provider")


def _missing(what: str) -> Any:
    raise NotFound("Not found", kind=what)


class Handlers:
    def __init__(self, kind: Kind) -> None:
        self.kind = kind

    # -- the directory --

    def list_providers(self, call: Call) -> wire.Page[wire.Provider]:
        kind, reader = self.kind, call.reader
        r = inputs.Reader(call.query, "query", vocab.MESSAGES)
        clinic = r.get(kind.organization, inputs.one_line(16), None)
        species = r.get("species", inputs.word_in(params.SPECIES, "species"), None)
        near = r.get("location", inputs.one_line(100), None)
        miles = r.get("distance", inputs.integer(1, 500), 50)
        r.finish("The request contains invalid parameters.")
        filters = ProviderFilters(
            role=bookings.ROLES[kind.service],
            organization_id=organizations.organization_id(reader, clinic) if clinic else None,
            species=vocab.SPECIES_IN[species][0] if species else None,
        )
        found = bookings.providers(reader, filters, MAX_PROVIDERS, None)
        if near:
            try:
                point = geo.resolve(near)
            except geo.UnknownLocation:
                raise inputs.RequestInvalid.field(
                    "query", "location", "Unknown ZIP code, city or coordinates", kind="not_found"
                ) from None
            found = [p for p in found if _within(p, point, miles)]
        shown = [mappers.provider(p, bookings.offerings(reader, p, kind.service)) for p in found]
        return wire.Page(shown, wire.Meta(None, False))

    def get_provider(self, call: Call) -> wire.One[wire.Provider]:
        found = _provider(call.reader, self.kind, call.params["provider_id"])
        offered = bookings.offerings(call.reader, found, self.kind.service)
        return wire.One(mappers.provider(found, offered))

    def availability(self, call: Call) -> wire.One[wire.Availability]:
        found = _provider(call.reader, self.kind, call.params["provider_id"])
        r = inputs.Reader(call.query, "query", vocab.MESSAGES)
        day = r.get("date", inputs.calendar_date, None)
        r.finish("The request contains invalid parameters.")
        when = date.fromisoformat(day) if day else bookings.today_of(found)
        slots = bookings.open_slots(call.reader, found, when)
        return wire.One(mappers.availability(found, when.isoformat(), slots))

    # -- appointments --

    def _shown(self, reader: Reader, found: Appointment) -> Any:
        provider = bookings.provider_of(reader, found)
        return self.kind.show(found, provider, identifiers.public_ids(reader))

    def _id(self, call: Call) -> int:
        ids = identifiers.public_ids(call.reader)
        found = ids.decode(self.kind.noun, call.params["appointment_id"])
        return found if found is not None else _missing("appointment")

    def list_appointments(self, call: Call) -> wire.Page[Any]:
        reader, kind = call.reader, self.kind
        ids = identifiers.public_ids(reader)
        r = inputs.Reader(call.query, "query", vocab.MESSAGES)
        pet = r.get("pet_id", lambda v: ids.decode(mappers.PET, v) or _invalid("not_found"), None)
        provider = r.get(f"{kind.prefix}_id", inputs.one_line(80), None)
        conditions: dict[str, object] = {
            "animal_id": pet,
            "status": r.get("status", inputs.word_in(STATUSES, "status"), None),
            "from": r.get("from", inputs.calendar_date, None),
            "to": r.get("to", inputs.calendar_date, None),
        }
        limit = r.get("limit", inputs.integer(1, params.MAX_LIMIT), params.DEFAULT_LIMIT)
        after = r.get("cursor", params.cursor_reader(ids, kind.noun), None)
        r.finish("The request contains invalid parameters.")
        if provider:
            conditions["provider_person_id"] = _provider(reader, kind, provider).id
        account = call.require_principal().account
        page = bookings.appointment_page(reader, account, kind.service, conditions, limit, after)
        shown = [self._shown(reader, a) for a in page.appointments]
        last = page.appointments[-1:]
        return params.page(shown, page.has_more, lambda: (shown[-1].id, last[0].created_at))

    def get_appointment(self, call: Call) -> wire.One[Any]:
        account = call.require_principal().account
        found = bookings.appointment(call.reader, account, self._id(call), self.kind.service)
        return wire.One(self._shown(call.reader, found))

    def book(self, call: Call, tx: Transaction, request: BookingRequest) -> wire.One[Any]:
        found = bookings.book(tx, call.require_principal().account, request)
        return wire.One(self._shown(tx.reader, found))

    def change(self, call: Call, tx: Transaction, asked: BookingChange) -> wire.One[Any]:
        account = call.require_principal().account
        found = bookings.change(tx, account, self._id(call), self.kind.service, asked)
        return wire.One(self._shown(tx.reader, found))

    def cancel(self, call: Call, tx: Transaction, _: None) -> wire.One[Any]:
        account = call.require_principal().account
        found = bookings.cancel(tx, account, self._id(call), self.kind.service)
        return wire.One(self._shown(tx.reader, found))

    def confirm(self, call: Call, tx: Transaction, start: Any) -> wire.One[Any]:
        account = call.require_principal().account
        found = bookings.confirm(tx, account, self._id(call), self.kind.service, start)
        return wire.One(self._shown(tx.reader, found))

    def complete(self, call: Call, tx: Transaction, report: Any) -> wire.One[Any]:
        account = call.require_principal().account
        found = bookings.complete(tx, account, self._id(call), self.kind.service, report)
        return wire.One(self._shown(tx.reader, found))


STATUSES = {s: s for s in ("requested", "confirmed", "completed", "cancelled")}


def _invalid(kind: str) -> Any:
    raise inputs.Invalid(kind, noun="pet")


def _within(p: Provider, point: geo.Point, miles: int) -> bool:
    if p.latitude is None or p.longitude is None:
        return False
    return geo.haversine_miles(point, geo.Point(p.latitude, p.longitude)) <= miles


def routes_of(kind: Kind) -> Sequence[Route]:
    h = Handlers(kind)
    grooming = kind.service is CareService.GROOMING
    manage = Scope.APPOINTMENTS_MANAGE
    created: dict[str, Any] = {"quota": QUOTA, "status": 201, "write": True, "idempotent": True}
    done: dict[str, Any] = {**created, "status": 200}
    one = f"{kind.appointments}/{{appointment_id}}"
    provider = f"{kind.providers}/{{provider_id}}"

    def new(call: Call) -> BookingRequest:
        return kind.request(bodies.json_object(call), identifiers.public_ids(call.reader))

    def changed(call: Call) -> BookingChange:
        return booking_bodies.booking_change(bodies.json_object(call), grooming=grooming)

    def confirmed(call: Call) -> Any:
        return booking_bodies.confirmation(bodies.json_object(call))

    def completed(call: Call) -> Any:
        payload = bodies.json_object(call) if call.body.strip() or grooming else {}
        return booking_bodies.completion(payload, grooming=grooming)

    return (
        Route("GET", kind.providers, h.list_providers, Scope.ORGANIZATIONS_READ, quota=QUOTA),
        Route("GET", provider, h.get_provider, Scope.ORGANIZATIONS_READ, quota=QUOTA),
        Route(
            "GET", f"{provider}/availability", h.availability, Scope.ORGANIZATIONS_READ, quota=QUOTA
        ),
        Route("GET", kind.appointments, h.list_appointments, kind.scope, quota=QUOTA),
        Route("POST", kind.appointments, h.book, kind.scope, read=new, **created),
        Route("GET", one, h.get_appointment, kind.scope, quota=QUOTA),
        Route("PATCH", one, h.change, kind.scope, read=changed, quota=QUOTA, write=True),
        Route("POST", f"{one}/cancel", h.cancel, kind.scope, **done),
        Route("POST", f"{one}/confirm", h.confirm, manage, read=confirmed, **done),
        Route("POST", f"{one}/complete", h.complete, manage, read=completed, **done),
    )


def routes() -> Sequence[Route]:
    return (*routes_of(VET), *routes_of(GROOMER))
