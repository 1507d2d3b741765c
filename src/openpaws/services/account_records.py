"""An account's shipping addresses and payment references (never card numbers)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from openpaws.domain.accounts import Account
from openpaws.domain.commerce import (
    AddressChange,
    PaymentMethod,
    PaymentMethodChange,
    ShippingAddress,
)
from openpaws.domain.errors import NotFound
from openpaws.storage import account_records
from openpaws.storage.database import Reader, Transaction


def _kept_by(account: Account) -> dict[str, object]:
    """The columns of a new record the account keeps."""
    return {
        "uuid": str(uuid.uuid4()),
        "organization_id": account.organization_id,
        "person_id": account.person_id,
        "created_at": datetime.now(UTC),
    }


def add_address(tx: Transaction, account: Account, change: AddressChange) -> ShippingAddress:
    a = change.address
    record_id = account_records.insert_address(
        tx,
        {
            **_kept_by(account),
            "name": change.name,
            "address1": a.address1,
            "address2": a.address2,
            "city": a.city,
            "state": a.state,
            "postcode": a.postcode,
            "country": a.country,
            "phone": change.phone,
        },
    )
    return address(tx.reader, account, record_id)


def addresses(reader: Reader, account: Account) -> list[ShippingAddress]:
    return account_records.addresses(reader, account)


def address(reader: Reader, account: Account, record_id: int) -> ShippingAddress:
    found = account_records.addresses(reader, account, record_id)
    if not found:
        raise NotFound("Shipping address not found", kind="shipping_address")
    return found[0]


def delete_address(tx: Transaction, account: Account, record_id: int) -> None:
    address(tx.reader, account, record_id)
    account_records.delete_address(tx, record_id, datetime.now(UTC))


def add_payment_method(
    tx: Transaction, account: Account, change: PaymentMethodChange
) -> PaymentMethod:
    record_id = account_records.insert_payment_method(
        tx,
        {
            **_kept_by(account),
            "brand": change.brand,
            "last4": change.last4,
            "exp_month": change.exp_month,
            "exp_year": change.exp_year,
            "label": change.label,
        },
    )
    return payment_method(tx.reader, account, record_id)


def payment_methods(reader: Reader, account: Account) -> list[PaymentMethod]:
    return account_records.payment_methods_of(reader, account)


def payment_method(reader: Reader, account: Account, record_id: int) -> PaymentMethod:
    found = account_records.payment_methods_of(reader, account, record_id)
    if not found:
        raise NotFound("Payment method not found", kind="payment_method")
    return found[0]


def delete_payment_method(tx: Transaction, account: Account, record_id: int) -> None:
    payment_method(tx.reader, account, record_id)
    account_records.delete_payment_method(tx, record_id, datetime.now(UTC))
