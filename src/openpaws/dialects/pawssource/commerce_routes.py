"""The catalog, shipping addresses, payment references and orders."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from openpaws.dialects.pawssource import bodies, commerce_bodies, mappers, params, paths, wire
from openpaws.dialects.pipeline import Call, Route
from openpaws.domain.commerce import AddressChange, OrderRequest, PaymentMethodChange, Shipment
from openpaws.platform.principals import Scope
from openpaws.services import account_records, catalog, identifiers, orders
from openpaws.storage.database import Transaction

QUOTA = "requests"


def _product_id(call: Call) -> int:
    return paths.path_id(call, "product_id", mappers.PRODUCT, "product")


def _order_id(call: Call) -> int:
    return paths.path_id(call, "order_id", mappers.ORDER, "order")


class Handlers:
    # -- catalog --
    def list_products(self, call: Call) -> wire.Page[wire.Product]:
        ids = paths.ids(call)
        spec = params.product_search(call.query, ids)
        page = catalog.search_products(call.reader, spec)
        found = [mappers.product(p, ids) for p in page.products]
        last = page.products[-1:]
        return params.page(found, page.has_more, lambda: (found[-1].id, last[0].created_at))

    def get_product(self, call: Call) -> wire.One[wire.Product]:
        return wire.One(
            mappers.product(catalog.product(call.reader, _product_id(call)), paths.ids(call))
        )

    def product_inventory(self, call: Call) -> wire.One[wire.Inventory]:
        found = catalog.product(call.reader, _product_id(call))
        return wire.One(mappers.inventory(found, paths.ids(call)))

    # -- shipping addresses --
    def list_addresses(self, call: Call) -> wire.Page[wire.ShippingAddress]:
        ids = paths.ids(call)
        found = account_records.addresses(call.reader, call.require_principal().account)
        return wire.Page([mappers.shipping_address(a, ids) for a in found], wire.Meta(None, False))

    def add_address(
        self, call: Call, tx: Transaction, change: AddressChange
    ) -> wire.One[wire.ShippingAddress]:
        found = account_records.add_address(tx, call.require_principal().account, change)
        return wire.One(mappers.shipping_address(found, paths.ids(call)))

    def get_address(self, call: Call) -> wire.One[wire.ShippingAddress]:
        record = paths.path_id(call, "address_id", mappers.ADDRESS, "shipping_address")
        found = account_records.address(call.reader, call.require_principal().account, record)
        return wire.One(mappers.shipping_address(found, paths.ids(call)))

    def delete_address(self, call: Call, tx: Transaction, _: None) -> wire.One[wire.Deleted]:
        record = paths.path_id(call, "address_id", mappers.ADDRESS, "shipping_address")
        account_records.delete_address(tx, call.require_principal().account, record)
        return wire.One(wire.Deleted(call.params["address_id"]))

    # -- payment methods --
    def list_payment_methods(self, call: Call) -> wire.Page[wire.PaymentMethod]:
        ids = paths.ids(call)
        found = account_records.payment_methods(call.reader, call.require_principal().account)
        return wire.Page([mappers.payment_method(m, ids) for m in found], wire.Meta(None, False))

    def add_payment_method(
        self, call: Call, tx: Transaction, change: PaymentMethodChange
    ) -> wire.One[wire.PaymentMethod]:
        found = account_records.add_payment_method(tx, call.require_principal().account, change)
        return wire.One(mappers.payment_method(found, paths.ids(call)))

    def get_payment_method(self, call: Call) -> wire.One[wire.PaymentMethod]:
        record = paths.path_id(call, "payment_method_id", mappers.PAYMENT_METHOD, "payment_method")
        account = call.require_principal().account
        found = account_records.payment_method(call.reader, account, record)
        return wire.One(mappers.payment_method(found, paths.ids(call)))

    def delete_payment_method(self, call: Call, tx: Transaction, _: None) -> wire.One[wire.Deleted]:
        record = paths.path_id(call, "payment_method_id", mappers.PAYMENT_METHOD, "payment_method")
        account_records.delete_payment_method(tx, call.require_principal().account, record)
        return wire.One(wire.Deleted(call.params["payment_method_id"]))

    # -- orders --
    def list_orders(self, call: Call) -> wire.Page[wire.Order]:
        ids = paths.ids(call)
        query = params.order_query(call.query, ids)
        account = call.require_principal().account
        page = orders.order_page(call.reader, account, query.status, query.limit, query.after)
        found = [mappers.order(o, ids) for o in page.orders]
        last = page.orders[-1:]
        return params.page(found, page.has_more, lambda: (found[-1].id, last[0].created_at))

    def get_order(self, call: Call) -> wire.One[wire.Order]:
        found = orders.order(call.reader, call.require_principal().account, _order_id(call))
        return wire.One(mappers.order(found, paths.ids(call)))

    def place_order(
        self, call: Call, tx: Transaction, request: OrderRequest
    ) -> wire.One[wire.Order]:
        found = orders.place_order(tx, call.require_principal().account, request)
        return wire.One(mappers.order(found, paths.ids(call)))

    def cancel_order(self, call: Call, tx: Transaction, _: None) -> wire.One[wire.Order]:
        found = orders.cancel_order(tx, call.require_principal().account, _order_id(call))
        return wire.One(mappers.order(found, paths.ids(call)))

    def ship_order(self, call: Call, tx: Transaction, shipment: Shipment) -> wire.One[wire.Order]:
        account = call.require_principal().account
        found = orders.ship_order(tx, account, _order_id(call), shipment)
        return wire.One(mappers.order(found, paths.ids(call)))


def _address(call: Call) -> AddressChange:
    return commerce_bodies.address_change(bodies.json_object(call))


def _payment_method(call: Call) -> PaymentMethodChange:
    return commerce_bodies.payment_method_change(bodies.json_object(call))


def _order(call: Call) -> OrderRequest:
    return commerce_bodies.order_request(
        bodies.json_object(call), identifiers.public_ids(call.reader)
    )


def _shipment(call: Call) -> Shipment:
    return commerce_bodies.shipment(bodies.json_object(call))


def routes() -> Sequence[Route]:
    h = Handlers()
    catalog_read, orders_write = Scope.PRODUCTS_READ, Scope.ORDERS_WRITE
    created: dict[str, Any] = {"quota": QUOTA, "status": 201, "write": True, "idempotent": True}
    write: dict[str, Any] = {"quota": QUOTA, "write": True}
    address, method = "/shipping_addresses/{address_id}", "/payment_methods/{payment_method_id}"
    order = "/orders/{order_id}"
    return (
        Route("GET", "/products", h.list_products, catalog_read, quota=QUOTA),
        Route("GET", "/products/{product_id}", h.get_product, catalog_read, quota=QUOTA),
        Route(
            "GET",
            "/products/{product_id}/inventory",
            h.product_inventory,
            catalog_read,
            quota=QUOTA,
        ),
        Route("GET", "/shipping_addresses", h.list_addresses, orders_write, quota=QUOTA),
        Route("POST", "/shipping_addresses", h.add_address, orders_write, read=_address, **created),
        Route("GET", address, h.get_address, orders_write, quota=QUOTA),
        Route("DELETE", address, h.delete_address, orders_write, **write),
        Route("GET", "/payment_methods", h.list_payment_methods, orders_write, quota=QUOTA),
        Route(
            "POST",
            "/payment_methods",
            h.add_payment_method,
            orders_write,
            read=_payment_method,
            **created,
        ),
        Route("GET", method, h.get_payment_method, orders_write, quota=QUOTA),
        Route("DELETE", method, h.delete_payment_method, orders_write, **write),
        Route("GET", "/orders", h.list_orders, orders_write, quota=QUOTA),
        Route("POST", "/orders", h.place_order, orders_write, read=_order, **created),
        Route("GET", order, h.get_order, orders_write, quota=QUOTA),
        Route(
            "POST",
            f"{order}/cancel",
            h.cancel_order,
            orders_write,
            **{**created, "status": 200},
        ),
        Route(
            "POST",
            f"{order}/ship",
            h.ship_order,
            Scope.ORDERS_FULFIL,
            read=_shipment,
            **{**created, "status": 200},
        ),
    )
