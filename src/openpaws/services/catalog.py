"""The catalog: active products of every shop, searched and read one by one."""

from __future__ import annotations

from openpaws.domain.commerce import Product, ProductPage, ProductSearch
from openpaws.domain.errors import NotFound
from openpaws.storage import products
from openpaws.storage.database import Reader


def search_products(reader: Reader, spec: ProductSearch) -> ProductPage:
    return products.search(reader, spec)


def product(reader: Reader, product_id: int) -> Product:
    found = products.by_id(reader, product_id)
    if found is None or not found.active:
        raise NotFound("Product not found", kind="product")
    return found
