"""Bookings with pet-care providers: a clinic's vets and a groomer's staff.

An appointment is requested for a date (and a preferred part of the day), confirmed by its
provider for a start time, then completed, or cancelled by either side. A confirmed
appointment holds whole 30-minute slots of its provider's grid, in the provider's time zone;
one provider never holds one slot twice (the database's unique key on provider and slot).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

import msgspec
from msgspec import UNSET, UnsetType

SLOT = timedelta(minutes=30)
DEFAULT_TIME_ZONE = "America/New_York"


class CareService(StrEnum):
    VETERINARY = "veterinary"
    GROOMING = "grooming"


class AppointmentStatus(StrEnum):
    REQUESTED = "requested"
    CONFIRMED = "confirmed"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


# States an appointment may still change from.
OPEN = (AppointmentStatus.REQUESTED, AppointmentStatus.CONFIRMED)


class OfferingKind(StrEnum):
    APPOINTMENT_TYPE = "appointment_type"
    PACKAGE = "package"
    ADD_ON = "add_on"


class DayPart(StrEnum):
    """A preferred part of the provider's day: [start hour, end hour)."""

    MORNING = "morning"
    AFTERNOON = "afternoon"
    EVENING = "evening"


DAY_PARTS = {DayPart.MORNING: (8, 12), DayPart.AFTERNOON: (12, 17), DayPart.EVENING: (17, 21)}


class Offering(msgspec.Struct, frozen=True, gc=False):
    code: str
    name: str
    kind: str
    tier: int
    price_amount: int
    currency: str
    slots: int


class Provider(msgspec.Struct, frozen=True, gc=False):
    """A person who takes bookings, at the organization they work for."""

    id: int
    slug: str
    name: str
    role: str  # veterinarian or groomer
    specialties: list[str]  # animal type slugs; empty for any
    organization_id: int
    organization_code: str
    organization_name: str
    time_zone: str
    city: str | None
    state: str | None
    postcode: str | None
    latitude: float | None
    longitude: float | None
    hours: dict[str, str | None]


class AddOn(msgspec.Struct, frozen=True, gc=False):
    code: str
    price_amount: int


class Appointment(msgspec.Struct, frozen=True, gc=False):
    id: int
    uuid: str
    service: str
    animal_id: int
    organization_id: int | None  # who booked it: an organization or a person
    person_id: int | None
    provider_organization_id: int
    provider_person_id: int
    provider_slug: str
    appointment_type: str | None
    package_code: str | None
    requested_date: str
    preferred_time_slot: str | None
    scheduled_at: datetime | None
    slots: int
    status: str
    notes: str | None
    price_amount: int | None
    currency: str | None
    report: dict[str, Any] | None
    created_at: datetime
    updated_at: datetime
    confirmed_at: datetime | None
    completed_at: datetime | None
    cancelled_at: datetime | None
    add_ons: list[AddOn] = []


class BookedWith(msgspec.Struct, frozen=True, gc=False):
    """An appointment with its provider, both as they were when an event about it happened
    (the event's snapshot)."""

    appointment: Appointment
    provider: Provider


class BookingRequest(msgspec.Struct, frozen=True):
    service: str
    animal_id: int
    provider_slug: str
    requested_date: str
    appointment_type: str | None = None
    package_code: str | None = None
    add_ons: list[str] = []
    preferred_time_slot: str | None = None
    notes: str | None = None


class BookingChange(msgspec.Struct, kw_only=True):
    requested_date: str | UnsetType = UNSET
    preferred_time_slot: str | UnsetType | None = UNSET
    notes: str | UnsetType | None = UNSET
    package_code: str | UnsetType = UNSET
    add_ons: list[str] | UnsetType = UNSET


class AppointmentPage(msgspec.Struct, frozen=True):
    appointments: list[Appointment]
    has_more: bool


class ProviderFilters(msgspec.Struct, frozen=True):
    role: str
    organization_id: int | None = None
    species: str | None = None  # an animal type slug
    near: tuple[float, float] | None = None  # latitude, longitude
    within_miles: float | None = None


# What every clinic and groomer offers until it sets its own: (code, name, tier, price in
# cents, 30-minute slots).
DEFAULT_OFFERINGS: dict[CareService, tuple[tuple[str, str, str, int, int, int], ...]] = {
    CareService.VETERINARY: (
        (OfferingKind.APPOINTMENT_TYPE, "routine_checkup", "Routine checkup", 0, 6500, 1),
        (OfferingKind.APPOINTMENT_TYPE, "vaccination", "Vaccination", 0, 4500, 1),
        (OfferingKind.APPOINTMENT_TYPE, "consultation", "Consultation", 0, 7500, 1),
        (OfferingKind.APPOINTMENT_TYPE, "follow_up", "Follow-up", 0, 4000, 1),
        (OfferingKind.APPOINTMENT_TYPE, "dental", "Dental cleaning", 0, 22000, 2),
        (OfferingKind.APPOINTMENT_TYPE, "emergency", "Emergency visit", 0, 15000, 2),
        (OfferingKind.APPOINTMENT_TYPE, "surgery", "Surgery", 0, 90000, 4),
    ),
    CareService.GROOMING: (
        (OfferingKind.PACKAGE, "basic_bath", "Basic bath", 1, 3500, 2),
        (OfferingKind.PACKAGE, "full_groom", "Full groom", 2, 6500, 3),
        (OfferingKind.PACKAGE, "deluxe_spa", "Deluxe spa", 3, 9500, 4),
        (OfferingKind.ADD_ON, "nail_trim", "Nail trim", 0, 1200, 0),
        (OfferingKind.ADD_ON, "teeth_brushing", "Teeth brushing", 0, 1000, 0),
        (OfferingKind.ADD_ON, "de_shedding", "De-shedding", 0, 2000, 0),
        (OfferingKind.ADD_ON, "flea_treatment", "Flea treatment", 0, 1800, 0),
        (OfferingKind.ADD_ON, "ear_cleaning", "Ear cleaning", 0, 800, 0),
        (OfferingKind.ADD_ON, "paw_balm", "Paw balm", 0, 600, 0),
    ),
}


def default_offerings(service: CareService) -> list[Offering]:
    return [
        Offering(code, name, str(kind), tier, price, "USD", slots)
        for kind, code, name, tier, price, slots in DEFAULT_OFFERINGS[service]
    ]


# -- time ------------------------------------------------------------------------------------


def zone(name: str | None) -> ZoneInfo:
    return ZoneInfo(name or DEFAULT_TIME_ZONE)


# The time zone of most of each state's people (the operator sets another where it differs).
STATE_ZONES = {
    **dict.fromkeys(
        [
            "CT",
            "DE",
            "DC",
            "FL",
            "GA",
            "IN",
            "KY",
            "ME",
            "MD",
            "MA",
            "MI",
            "NH",
            "NJ",
            "NY",
            "NC",
            "OH",
            "PA",
            "RI",
            "SC",
            "VT",
            "VA",
            "WV",
        ],
        "America/New_York",
    ),
    **dict.fromkeys(
        [
            "AL",
            "AR",
            "IL",
            "IA",
            "KS",
            "LA",
            "MN",
            "MS",
            "MO",
            "NE",
            "ND",
            "OK",
            "SD",
            "TN",
            "TX",
            "WI",
        ],
        "America/Chicago",
    ),
    **dict.fromkeys(["CO", "MT", "NM", "UT", "WY", "ID"], "America/Denver"),
    "AZ": "America/Phoenix",
    **dict.fromkeys(["CA", "NV", "OR", "WA"], "America/Los_Angeles"),
    "AK": "America/Anchorage",
    "HI": "Pacific/Honolulu",
    "PR": "America/Puerto_Rico",
}


def time_zone_of(kept: str | None, state: str | None) -> str:
    """An organization's time zone: the one kept, else its state's, else the default."""
    return kept or STATE_ZONES.get((state or "").upper(), DEFAULT_TIME_ZONE)


def today_in(time_zone: str | None, now: datetime) -> date:
    return now.astimezone(zone(time_zone)).date()


_HOURS = re.compile(
    r"^\s*(\d{1,2}):(\d{2})\s*([AP]M)\s*-\s*(\d{1,2}):(\d{2})\s*([AP]M)\s*$", re.IGNORECASE
)


def _clock(hour: str, minute: str, half: str) -> time:
    h = int(hour) % 12 + (12 if half.upper() == "PM" else 0)
    return time(h, int(minute))


def opening(hours: dict[str, str | None], day: date) -> tuple[time, time] | None:
    """When the organization is open on ``day`` (its hours, e.g. "9:00 AM - 5:00 PM"); None
    when it is closed. Hours it wrote otherwise count as open all day."""
    text = hours.get(day.strftime("%A").lower())
    if text is None:
        return None
    found = _HOURS.match(text)
    if found is None:
        return time(0, 0), time(23, 59)
    return _clock(*found.group(1, 2, 3)), _clock(*found.group(4, 5, 6))


def on_grid(moment: datetime) -> bool:
    return moment.second == 0 and moment.microsecond == 0 and moment.minute in (0, 30)


def slot_starts(start: datetime, slots: int) -> list[datetime]:
    return [start + SLOT * n for n in range(slots)]


def within_opening(provider: Provider, start: datetime, slots: int) -> bool:
    """Whether ``slots`` slots from ``start`` (aware) fit the provider's opening hours of that
    day, in its time zone."""
    local = start.astimezone(zone(provider.time_zone))
    hours = opening(provider.hours, local.date())
    if hours is None:
        return False
    end = local + SLOT * slots
    return hours[0] <= local.time() and (end.date() == local.date() and end.time() <= hours[1])


def open_slots(provider: Provider, day: date, held: set[datetime], now: datetime) -> list[datetime]:
    """The provider's free 30-minute slots on ``day`` (aware, in its time zone), after now."""
    hours = opening(provider.hours, day)
    if hours is None:
        return []
    tz = zone(provider.time_zone)
    found = []
    moment = datetime.combine(day, hours[0], tz)
    moment += timedelta(minutes=(-moment.minute) % 30)
    close = datetime.combine(day, hours[1], tz)
    while moment + SLOT <= close:
        if moment > now and moment not in held:
            found.append(moment)
        moment += SLOT
    return found


def known_zone(name: str) -> bool:
    return name in available_timezones()
