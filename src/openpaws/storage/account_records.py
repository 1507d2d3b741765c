"""Records an account keeps for its orders: shipping addresses and payment references."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import insert, update

from openpaws.domain.accounts import Account, AccountKind
from openpaws.domain.commerce import PaymentMethod, ShippingAddress
from openpaws.domain.entities import Address
from openpaws.storage.database import Reader, Transaction
from openpaws.storage.tables import payment_methods, shipping_addresses
from openpaws.storage.texts import check_row
from openpaws.storage.types import from_micros

_ADDRESS = "address1, address2, city, state, postcode, country"
_ADDRESS_SELECT = (
    f"SELECT id, uuid, organization_id, person_id, name, {_ADDRESS}, phone, created_at "
    "FROM shipping_addresses"
)
_PAYMENT_SELECT = (
    "SELECT id, uuid, organization_id, person_id, brand, last4, exp_month, exp_year, label, "
    "created_at FROM payment_methods"
)


def _owner(account: Account, params: dict[str, Any]) -> str:
    column = "organization_id" if account.kind is AccountKind.ORGANIZATION else "person_id"
    params["account"] = account.id
    return f"{column} = :account AND deleted_at IS NULL"


def _address(row: Sequence[Any]) -> ShippingAddress:
    return ShippingAddress(
        int(row[0]),
        row[1],
        row[2],
        row[3],
        row[4],
        Address(*row[5:11]),
        row[11],
        from_micros(row[12]),
    )


def _payment(row: Sequence[Any]) -> PaymentMethod:
    return PaymentMethod(
        int(row[0]),
        row[1],
        row[2],
        row[3],
        row[4],
        row[5],
        row[6],
        row[7],
        row[8],
        from_micros(row[9]),
    )


def insert_address(tx: Transaction, values: dict[str, Any]) -> int:
    check_row(shipping_addresses, values)
    found = tx.conn.execute(
        insert(shipping_addresses).values(**values).returning(shipping_addresses.c.id)
    )
    return int(found.scalar_one())


def insert_payment_method(tx: Transaction, values: dict[str, Any]) -> int:
    check_row(payment_methods, values)
    found = tx.conn.execute(
        insert(payment_methods).values(**values).returning(payment_methods.c.id)
    )
    return int(found.scalar_one())


def addresses(
    reader: Reader, account: Account, record_id: int | None = None
) -> list[ShippingAddress]:
    """The account's live addresses (or the one with ``record_id``), newest first."""
    params: dict[str, Any] = {}
    where = _owner(account, params)
    if record_id is not None:
        where += " AND id = :id"
        params["id"] = record_id
    rows = reader.all(f"{_ADDRESS_SELECT} WHERE {where} ORDER BY id DESC", params)
    return [_address(row) for row in rows]


def payment_methods_of(
    reader: Reader, account: Account, record_id: int | None = None
) -> list[PaymentMethod]:
    params: dict[str, Any] = {}
    where = _owner(account, params)
    if record_id is not None:
        where += " AND id = :id"
        params["id"] = record_id
    rows = reader.all(f"{_PAYMENT_SELECT} WHERE {where} ORDER BY id DESC", params)
    return [_payment(row) for row in rows]


def delete_address(tx: Transaction, record_id: int, now: datetime) -> None:
    tx.conn.execute(
        update(shipping_addresses)
        .where(shipping_addresses.c.id == record_id)
        .values(deleted_at=now)
    )


def delete_payment_method(tx: Transaction, record_id: int, now: datetime) -> None:
    tx.conn.execute(
        update(payment_methods).where(payment_methods.c.id == record_id).values(deleted_at=now)
    )
