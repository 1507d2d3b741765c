"""Paws Source bodies of vet and grooming appointments -> the changes the use cases take."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from openpaws.dialects import inputs
from openpaws.dialects.inputs import Invalid
from openpaws.dialects.pawssource import mappers
from openpaws.dialects.pawssource.bodies import INVALID, reader
from openpaws.dialects.pawssource.commerce_bodies import given, reference
from openpaws.domain.bookings import (
    DEFAULT_OFFERINGS,
    BookingChange,
    BookingRequest,
    CareService,
    DayPart,
    OfferingKind,
)
from openpaws.domain.public_ids import PublicIds

NOTES_LIMIT = 2_000
NONE: list[str] = []
MAX_ADD_ONS = 10
DAY_PARTS = {part.value: part.value for part in DayPart}
CODES = {service: {code for _, code, *_ in DEFAULT_OFFERINGS[service]} for service in CareService}
VET_TYPES = {
    code: code
    for kind, code, *_ in DEFAULT_OFFERINGS[CareService.VETERINARY]
    if kind == OfferingKind.APPOINTMENT_TYPE
}
REPORT_TEXTS = {"summary": 2_000, "coat_condition": 200, "skin_condition": 200, "behavior": 200}
REPORT_FIELDS = (*REPORT_TEXTS, "services_performed", "recommendations", "photos")


def provider_slug(prefix: str) -> Any:
    """``<prefix>_<slug>`` -> the slug; another text is ``not_found``."""

    def parse(value: Any) -> str:
        if not isinstance(value, str) or not value.startswith(prefix + "_") or len(value) > 80:
            raise Invalid("not_found", noun=prefix)
        return value.removeprefix(prefix + "_")

    return parse


def _code(value: Any) -> str:
    return inputs.required_text(32, line=True)(value)


def _add_ons(value: Any) -> list[str]:
    found = inputs.text_list(MAX_ADD_ONS, 32)(value)
    return list(dict.fromkeys(found))


def _when(r: inputs.Reader, ids: PublicIds) -> dict[str, Any]:
    return {
        "animal_id": given(r, "pet_id", reference(ids, mappers.PET), 0),
        "requested_date": given(r, "requested_date", inputs.calendar_date, ""),
        "preferred_time_slot": r.get("preferred_time_slot", inputs.choice(DAY_PARTS), None),
        "notes": r.get("notes", inputs.optional_text(NOTES_LIMIT), None),
    }


def appointment_request(payload: dict[str, Any], ids: PublicIds) -> BookingRequest:
    """The seed's body: pet_id, vet_id, appointment_type, requested_date,
    preferred_time_slot, notes."""
    fields = ("pet_id", "vet_id", "appointment_type", "requested_date", "preferred_time_slot")
    r = reader(payload, (*fields, "notes"), fields[:4])
    slug = given(r, "vet_id", provider_slug("vet"), "")
    kind = given(r, "appointment_type", inputs.choice(VET_TYPES), "")
    when = _when(r, ids)
    r.finish(INVALID)
    return BookingRequest(
        service=CareService.VETERINARY.value,
        provider_slug=slug,
        appointment_type=kind,
        **when,
    )


def grooming_request(payload: dict[str, Any], ids: PublicIds) -> BookingRequest:
    required = ("pet_id", "groomer_id", "package", "requested_date")
    r = reader(payload, (*required, "add_ons", "preferred_time_slot", "notes"), required)
    slug = given(r, "groomer_id", provider_slug("groomer"), "")
    package = given(r, "package", _code, "")
    add_ons = r.get("add_ons", _add_ons, NONE)
    when = _when(r, ids)
    r.finish(INVALID)
    return BookingRequest(
        service=CareService.GROOMING.value,
        provider_slug=slug,
        package_code=package,
        add_ons=add_ons,
        **when,
    )


def booking_change(payload: dict[str, Any], *, grooming: bool) -> BookingChange:
    """Reschedule (date, part of the day), notes; grooming also package and add-ons."""
    allowed = ("requested_date", "preferred_time_slot", "notes")
    r = reader(payload, (*allowed, "package", "add_ons") if grooming else allowed)
    change = BookingChange()
    if "requested_date" in r:
        change.requested_date = given(r, "requested_date", inputs.calendar_date, "")
    if "preferred_time_slot" in r:
        value = payload["preferred_time_slot"]
        change.preferred_time_slot = (
            None if value is None else r.take("preferred_time_slot", inputs.choice(DAY_PARTS))
        )
    if "notes" in r:
        change.notes = r.take("notes", inputs.optional_text(NOTES_LIMIT))
    if "package" in r:
        change.package_code = given(r, "package", _code, "")
    if "add_ons" in r:
        change.add_ons = r.get("add_ons", _add_ons, NONE)
    r.finish(INVALID)
    return change


def _start(value: Any) -> datetime:
    """An ISO date-time; without an offset, the provider's wall-clock time."""
    if not isinstance(value, str):
        raise Invalid("not_moment")
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise Invalid("not_moment") from None


def confirmation(payload: dict[str, Any]) -> datetime:
    r = reader(payload, ("scheduled_at",), ("scheduled_at",))
    start = given(r, "scheduled_at", _start, None)
    r.finish(INVALID)
    assert start is not None
    return start


def _urls(value: Any) -> list[str]:
    found = inputs.text_list(10, 500)(value)
    if any(not u.startswith(("http://", "https://")) for u in found):
        raise Invalid("not_url")
    return found


def completion(payload: dict[str, Any], *, grooming: bool) -> dict[str, Any] | None:
    """A grooming report (required for grooming; vets send none)."""
    if not grooming:
        reader(payload, ()).finish(INVALID)
        return None
    r = reader(payload, ("report",), ("report",))
    report: dict[str, Any] | None = None
    if "report" in payload:
        found = r.take("report", inputs.json_object)
        if found is not None:
            report = _report(r, found)
    r.finish(INVALID)
    return report


def _report(r: inputs.Reader, found: dict[str, Any]) -> dict[str, Any]:
    inner = reader(found, REPORT_FIELDS, ("summary",))
    report: dict[str, Any] = {}
    for name, limit in REPORT_TEXTS.items():
        parse = inputs.required_text(limit) if name == "summary" else inputs.optional_text(limit)
        report[name] = given(inner, name, parse, None)
    report["recommendations"] = inner.get("recommendations", inputs.optional_text(2_000), None)
    report["services_performed"] = inner.get("services_performed", inputs.text_list(20, 100), NONE)
    report["photos"] = inner.get("photos", _urls, NONE)
    r.problems += [
        type(p)(p.location, f"report.{p.name}", p.message, p.kind) for p in inner.problems
    ]
    return report
