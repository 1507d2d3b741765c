"""Paws Source bodies of the catalog and orders -> the changes the use cases take."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from openpaws.dialects import inputs
from openpaws.dialects.inputs import Invalid
from openpaws.dialects.pawssource import mappers
from openpaws.dialects.pawssource.bodies import INVALID, reader
from openpaws.domain.commerce import (
    AddressChange,
    OrderLine,
    OrderRequest,
    PaymentMethodChange,
    Shipment,
)
from openpaws.domain.entities import Address
from openpaws.domain.public_ids import PublicIds
from openpaws.domain.vocab import CardBrand

MAX_ITEMS = 50
MAX_QUANTITY = 1_000
NOTES_LIMIT = 2_000
ADDRESS_FIELDS = ("name", "line1", "line2", "city", "state", "postal_code", "country", "phone")
PAYMENT_FIELDS = ("brand", "last4", "exp_month", "exp_year", "label")
ORDER_FIELDS = ("items", "shipping_address_id", "payment_method_id", "notes")
SHIPMENT_FIELDS = ("carrier", "tracking_number", "tracking_url")
BRANDS = {brand.value: brand.value for brand in CardBrand}


def reference(ids: PublicIds, noun: str) -> Any:
    """A public id of a ``noun`` -> its row number; another text is ``not_found``."""

    def parse(value: Any) -> int:
        found = ids.decode(noun, value) if isinstance(value, str) else None
        if found is None:
            raise Invalid("not_found", noun=mappers.NOUNS.get(noun, noun))
        return found

    return parse


def given(r: inputs.Reader, name: str, parse: Any, default: Any) -> Any:
    """The parsed value of a field that is present (blank or not: a blank required text is a
    problem), else ``default`` (a missing required field was noted already)."""
    found = r.take(name, parse) if name in r else None
    return default if found is None else found


def _country(value: Any) -> str:
    text = inputs.required_text(2, line=True)(value)
    if len(text) != 2 or not text.isascii() or not text.isalpha():
        raise Invalid("not_country")
    return text.upper()


def address_change(payload: dict[str, Any]) -> AddressChange:
    r = reader(payload, ADDRESS_FIELDS, ("name", "line1", "city", "postal_code", "country"))
    line = lambda limit: inputs.required_text(limit, line=True)  # noqa: E731
    optional = lambda limit: inputs.optional_text(limit, line=True)  # noqa: E731
    name = given(r, "name", line(200), "")
    address = Address(
        address1=given(r, "line1", line(200), None),
        address2=r.get("line2", optional(200), None),
        city=given(r, "city", line(100), None),
        state=r.get("state", optional(50), None),
        postcode=given(r, "postal_code", line(20), None),
        country=given(r, "country", _country, None),
    )
    phone = r.get("phone", optional(100), None)
    r.finish(INVALID)
    return AddressChange(name, address, phone)


def _last4(value: Any) -> str:
    if not isinstance(value, str) or len(value) != 4 or not value.isascii() or not value.isdigit():
        raise Invalid("not_last4")
    return value


def payment_method_change(payload: dict[str, Any]) -> PaymentMethodChange:
    r = reader(payload, PAYMENT_FIELDS, ("brand", "last4", "exp_month", "exp_year"))
    brand = given(r, "brand", inputs.choice(BRANDS), "")
    last4 = given(r, "last4", _last4, "")
    month = given(r, "exp_month", inputs.whole_number(1, 12), 0)
    year = given(r, "exp_year", inputs.whole_number(2000, 2100), 0)
    label = r.get("label", inputs.optional_text(100, line=True), None)
    today = datetime.now(UTC).date()
    if month and year and (year, month) < (today.year, today.month):
        r.bad("exp_year", "expired")
    r.finish(INVALID)
    return PaymentMethodChange(brand, last4, month, year, label)


def order_request(payload: dict[str, Any], ids: PublicIds) -> OrderRequest:
    r = reader(payload, ORDER_FIELDS, ("items", "shipping_address_id", "payment_method_id"))
    lines: list[OrderLine] = []
    items = payload.get("items")
    if "items" in payload:
        if not isinstance(items, list) or not items:
            r.bad("items", "not_items", limit=MAX_ITEMS)
        elif len(items) > MAX_ITEMS:
            r.bad("items", "too_many", limit=MAX_ITEMS)
        else:
            lines = _lines(r, items, ids)
    address = r.get("shipping_address_id", reference(ids, mappers.ADDRESS), 0)
    method = r.get("payment_method_id", reference(ids, mappers.PAYMENT_METHOD), 0)
    notes = r.get("notes", inputs.optional_text(NOTES_LIMIT), None)
    r.finish(INVALID)
    return OrderRequest(lines, address, method, notes)


def _lines(r: inputs.Reader, items: list[Any], ids: PublicIds) -> list[OrderLine]:
    lines = []
    product = reference(ids, mappers.PRODUCT)
    quantity = inputs.whole_number(1, MAX_QUANTITY)
    for n, item in enumerate(items):
        at = f"items[{n}]"
        if not isinstance(item, dict):
            r.bad(at, "not_object")
            continue
        line = inputs.Reader(item, "body", r.messages)
        for name in item:
            if name not in ("product_id", "quantity"):
                line.bad(name, "unknown_field")
        for name in ("product_id", "quantity"):
            if name not in item:
                line.bad(name, "missing")
        found = (given(line, "product_id", product, 0), given(line, "quantity", quantity, 0))
        r.problems += [
            type(p)(p.location, f"{at}.{p.name}", p.message, p.kind) for p in line.problems
        ]
        if not line.problems:
            lines.append(OrderLine(*found))
    return lines


def _url(value: Any) -> str | None:
    text = inputs.optional_text(500, line=True)(value)
    if text is not None and urlsplit(text).scheme not in ("http", "https"):
        raise Invalid("not_url")
    return text


def shipment(payload: dict[str, Any]) -> Shipment:
    r = reader(payload, SHIPMENT_FIELDS, ("carrier", "tracking_number"))
    carrier = given(r, "carrier", inputs.required_text(100, line=True), "")
    number = given(r, "tracking_number", inputs.required_text(100, line=True), "")
    url = r.get("tracking_url", _url, None)
    r.finish(INVALID)
    return Shipment(carrier, number, url)
