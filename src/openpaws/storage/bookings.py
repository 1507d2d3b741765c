"""Providers, their offerings, appointments and the slots confirmed ones hold."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import msgspec
from sqlalchemy import delete, insert, update
from sqlalchemy.exc import IntegrityError

from openpaws.domain.accounts import Account, AccountKind
from openpaws.domain.bookings import (
    AddOn,
    Appointment,
    AppointmentPage,
    Offering,
    Provider,
    ProviderFilters,
    time_zone_of,
)
from openpaws.domain.search import KeysetCursor
from openpaws.storage.database import Reader, Transaction
from openpaws.storage.sql import after_in_newest_first, bind_list, newest_first
from openpaws.storage.tables import appointment_add_ons, appointment_slots, appointments
from openpaws.storage.texts import check_row
from openpaws.storage.types import from_micros, to_micros

_words = msgspec.json.Decoder(list[str]).decode
_hours = msgspec.json.Decoder(dict[str, str | None]).decode
_report = msgspec.json.Decoder(dict[str, Any]).decode

_PROVIDER_SELECT = (
    "SELECT p.id, p.slug, p.name, p.role, p.specialties, o.id, o.code, o.name, o.time_zone, "
    "o.city, o.state, o.postcode, o.latitude, o.longitude, o.hours "
    "FROM persons p JOIN organizations o ON o.id = p.organization_id"
)


def _provider(row: Sequence[Any]) -> Provider:
    return Provider(
        id=int(row[0]),
        slug=row[1],
        name=row[2],
        role=row[3],
        specialties=_words(row[4]) if row[4] else [],
        organization_id=int(row[5]),
        organization_code=row[6],
        organization_name=row[7],
        time_zone=time_zone_of(row[8], row[10]),
        city=row[9],
        state=row[10],
        postcode=row[11],
        latitude=row[12],
        longitude=row[13],
        hours=_hours(row[14]),
    )


def providers(
    reader: Reader, filters: ProviderFilters, limit: int, after_id: int | None
) -> list[Provider]:
    """Staff of a role who take bookings, by id."""
    params: dict[str, Any] = {"role": filters.role, "limit": limit}
    where = ["p.role = :role", "p.slug IS NOT NULL"]
    if filters.organization_id is not None:
        where.append("o.id = :org")
        params["org"] = filters.organization_id
    if filters.species is not None:
        where.append("(p.specialties IS NULL OR p.specialties = '[]' OR p.specialties LIKE :kind)")
        params["kind"] = f'%"{filters.species}"%'
    if after_id is not None:
        where.append("p.id > :after")
        params["after"] = after_id
    sql = f"{_PROVIDER_SELECT} WHERE {' AND '.join(where)} ORDER BY p.id LIMIT :limit"
    return [_provider(row) for row in reader.all(sql, params)]


def provider_by_slug(reader: Reader, slug: str, role: str) -> Provider | None:
    row = reader.one(
        f"{_PROVIDER_SELECT} WHERE p.slug = :slug AND p.role = :role", {"slug": slug, "role": role}
    )
    return None if row is None else _provider(row)


def provider_by_id(reader: Reader, person_id: int) -> Provider | None:
    row = reader.one(f"{_PROVIDER_SELECT} WHERE p.id = :id", {"id": person_id})
    return None if row is None else _provider(row)


def offerings(reader: Reader, organization_id: int, service: str) -> list[Offering]:
    rows = reader.all(
        "SELECT code, name, kind, tier, price_amount, currency, slots FROM service_offerings "
        "WHERE organization_id = :org AND service = :service AND active = TRUE "
        "ORDER BY kind, tier, code",
        {"org": organization_id, "service": service},
    )
    return [Offering(*row) for row in rows]


# -- appointments ----------------------------------------------------------------------------

_COLUMNS = (
    "a.id, a.uuid, a.service, a.animal_id, a.organization_id, a.person_id, "
    "a.provider_organization_id, a.provider_person_id, p.slug, a.appointment_type, "
    "a.package_code, a.requested_date, a.preferred_time_slot, a.scheduled_at, a.slots, "
    "a.status, a.notes, a.price_amount, a.currency, a.report, a.created_at, a.updated_at, "
    "a.confirmed_at, a.completed_at, a.cancelled_at"
)
_FROM = "FROM appointments a JOIN persons p ON p.id = a.provider_person_id"
_MOMENTS = (13, 20, 21, 22, 23, 24)


def _appointments(reader: Reader, rows: Sequence[Sequence[Any]]) -> list[Appointment]:
    if not rows:
        return []
    params: dict[str, Any] = {}
    ids = bind_list(params, "a", [int(row[0]) for row in rows])
    add_ons: dict[int, list[AddOn]] = {}
    for found in reader.all(
        f"SELECT appointment_id, code, price_amount FROM appointment_add_ons "
        f"WHERE appointment_id IN {ids} ORDER BY id",
        params,
    ):
        add_ons.setdefault(int(found[0]), []).append(AddOn(found[1], int(found[2])))
    result = []
    for row in rows:
        values = list(row)
        for at in _MOMENTS:
            values[at] = None if values[at] is None else from_micros(values[at])
        values[19] = None if values[19] is None else _report(values[19])
        found = add_ons.get(int(row[0]), [])
        result.append(Appointment(*values, add_ons=found))  # type: ignore[misc]  # positional
    return result


def _visible(account: Account, params: dict[str, Any]) -> str:
    """Appointments the account booked, and (an organization) those it provides."""
    params["account"] = account.id
    if account.kind is AccountKind.PERSON:
        return "a.person_id = :account"
    return "(a.organization_id = :account OR a.provider_organization_id = :account)"


def appointment_of(
    reader: Reader, account: Account, appointment_id: int, service: str
) -> Appointment | None:
    params: dict[str, Any] = {"id": appointment_id, "service": service}
    where = f"a.id = :id AND a.service = :service AND {_visible(account, params)}"
    found = _appointments(reader, reader.all(f"SELECT {_COLUMNS} {_FROM} WHERE {where}", params))
    return found[0] if found else None


def page(
    reader: Reader,
    account: Account,
    service: str,
    conditions: dict[str, Any],
    limit: int,
    after: KeysetCursor | None,
) -> AppointmentPage:
    """The account's appointments of ``service``, newest first; ``conditions`` are column
    equalities (status, animal_id, provider_person_id) and ``from``/``to`` requested dates."""
    params: dict[str, Any] = {"service": service, "limit": limit + 1}
    where = ["a.service = :service", _visible(account, params)]
    for column in ("status", "animal_id", "provider_person_id"):
        if conditions.get(column) is not None:
            where.append(f"a.{column} = :{column}")
            params[column] = conditions[column]
    if conditions.get("from"):
        where.append("a.requested_date >= :from_date")
        params["from_date"] = conditions["from"]
    if conditions.get("to"):
        where.append("a.requested_date <= :to_date")
        params["to_date"] = conditions["to"]
    if after is not None:
        where.append(after_in_newest_first("a", after, params))
    sql = (
        f"SELECT {_COLUMNS} {_FROM} WHERE {' AND '.join(where)} "
        f"ORDER BY {newest_first('a')} LIMIT :limit"
    )
    found = _appointments(reader, reader.all(sql, params))
    return AppointmentPage(found[:limit], len(found) > limit)


def insert_appointment(tx: Transaction, values: dict[str, Any]) -> int:
    check_row(appointments, values)
    found = tx.conn.execute(insert(appointments).values(**values).returning(appointments.c.id))
    return int(found.scalar_one())


def update_appointment(tx: Transaction, appointment_id: int, values: dict[str, Any]) -> None:
    check_row(appointments, values)
    tx.conn.execute(
        update(appointments).where(appointments.c.id == appointment_id).values(**values)
    )


def replace_add_ons(tx: Transaction, appointment_id: int, add_ons: Sequence[AddOn]) -> None:
    tx.conn.execute(
        delete(appointment_add_ons).where(appointment_add_ons.c.appointment_id == appointment_id)
    )
    if add_ons:
        tx.conn.execute(
            insert(appointment_add_ons),
            [
                {"appointment_id": appointment_id, "code": a.code, "price_amount": a.price_amount}
                for a in add_ons
            ],
        )


def hold_slots(
    tx: Transaction, appointment_id: int, provider_person_id: int, starts: Sequence[datetime]
) -> bool:
    """Hold the slots for the appointment; False (the transaction is then spoilt: roll it
    back) when the provider holds one already."""
    rows = [
        {"appointment_id": appointment_id, "provider_person_id": provider_person_id, "starts_at": s}
        for s in starts
    ]
    try:
        tx.conn.execute(insert(appointment_slots), rows)
    except IntegrityError:
        return False
    return True


def release_slots(tx: Transaction, appointment_id: int) -> None:
    tx.conn.execute(
        delete(appointment_slots).where(appointment_slots.c.appointment_id == appointment_id)
    )


def held_slots(
    reader: Reader, provider_person_id: int, start: datetime, end: datetime
) -> set[datetime]:
    rows = reader.all(
        "SELECT starts_at FROM appointment_slots WHERE provider_person_id = :p "
        "AND starts_at >= :start AND starts_at < :end",
        {"p": provider_person_id, "start": to_micros(start), "end": to_micros(end)},
    )
    return {from_micros(row[0]) for row in rows}
