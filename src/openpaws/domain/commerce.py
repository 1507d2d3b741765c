"""The catalog and orders: shops' products, accounts' shipping addresses and payment
references, and orders of one shop's products. Entities and the changes callers ask for.

OpenPaws takes no payment: a payment method is a reference the buyer keeps (a brand and the
last four digits), never a card number, and an order charges nothing.
"""

from __future__ import annotations

from datetime import datetime

import msgspec

from openpaws.domain.entities import Address
from openpaws.domain.search import KeysetCursor


class Product(msgspec.Struct, frozen=True, gc=False):
    id: int
    uuid: str
    shop_organization_id: int
    sku: str
    name: str
    brand: str | None
    description: str | None
    category: str
    dietary_preferences: list[str]
    species: list[str]  # animal type slugs; empty for any
    price_amount: int  # minor units
    currency: str
    images: list[str]
    stock: int
    restock_date: str | None
    active: bool
    created_at: datetime
    updated_at: datetime


class ShippingAddress(msgspec.Struct, frozen=True, gc=False):
    id: int
    uuid: str
    organization_id: int | None
    person_id: int | None
    name: str
    address: Address
    phone: str | None
    created_at: datetime


class PaymentMethod(msgspec.Struct, frozen=True, gc=False):
    id: int
    uuid: str
    organization_id: int | None
    person_id: int | None
    brand: str
    last4: str
    exp_month: int
    exp_year: int
    label: str | None
    created_at: datetime


class OrderItem(msgspec.Struct, frozen=True, gc=False):
    product_id: int
    name: str
    sku: str
    quantity: int
    unit_price: int


class Order(msgspec.Struct, frozen=True, gc=False):
    id: int
    uuid: str
    organization_id: int | None  # the buyer: an organization or a person
    person_id: int | None
    shop_organization_id: int
    status: str
    shipping_address_id: int
    payment_method_id: int
    subtotal: int
    shipping: int
    total: int
    currency: str
    notes: str | None
    carrier: str | None
    tracking_number: str | None
    tracking_url: str | None
    shipped_at: datetime | None
    cancelled_at: datetime | None
    created_at: datetime
    updated_at: datetime
    items: list[OrderItem] = []


# -- what callers ask for -------------------------------------------------------------------


class ProductSearch(msgspec.Struct, frozen=True):
    keyword: str | None = None  # a substring of name, brand or description
    category: str | None = None
    dietary_preference: str | None = None
    species: str | None = None  # an animal type slug
    in_stock: bool | None = None
    limit: int = 20
    after: KeysetCursor | None = None


class ProductPage(msgspec.Struct, frozen=True):
    products: list[Product]
    has_more: bool


class OrderLine(msgspec.Struct, frozen=True):
    product_id: int
    quantity: int


class OrderRequest(msgspec.Struct, frozen=True):
    lines: list[OrderLine]
    shipping_address_id: int
    payment_method_id: int
    notes: str | None = None


class AddressChange(msgspec.Struct, frozen=True):
    name: str
    address: Address
    phone: str | None = None


class PaymentMethodChange(msgspec.Struct, frozen=True):
    brand: str
    last4: str
    exp_month: int
    exp_year: int
    label: str | None = None


class Shipment(msgspec.Struct, frozen=True):
    carrier: str
    tracking_number: str
    tracking_url: str | None = None


class OrderPage(msgspec.Struct, frozen=True):
    orders: list[Order]
    has_more: bool
