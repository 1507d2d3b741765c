"""Products of shops: the catalog search, one product, and its stock (which never goes
below zero: a decrement that would is not made)."""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import msgspec
from sqlalchemy import text

from openpaws.domain.commerce import Product, ProductPage, ProductSearch
from openpaws.storage.database import Reader, Transaction
from openpaws.storage.sql import (
    after_in_newest_first,
    bind_list,
    first_after,
    like_pattern,
    newest_first,
)
from openpaws.storage.types import from_micros, to_micros

_COLUMNS = (
    "id, uuid, shop_organization_id, sku, name, brand, description, category, "
    "dietary_preferences, species, price_amount, currency, images, stock, restock_date, "
    "active, created_at, updated_at"
)
_SELECT = f"SELECT {_COLUMNS} FROM products p"
_NEWEST_FIRST = newest_first("p")
_words = msgspec.json.Decoder(list[str]).decode


def _product(row: Sequence[Any]) -> Product:
    return Product(
        int(row[0]),
        row[1],
        int(row[2]),
        row[3],
        row[4],
        row[5],
        row[6],
        row[7],
        _words(row[8]),
        _words(row[9]),
        int(row[10]),
        row[11],
        _words(row[12]),
        int(row[13]),
        row[14],
        bool(row[15]),
        from_micros(row[16]),
        from_micros(row[17]),
    )


def _contains_word(column: str, name: str, word: str, params: dict[str, Any]) -> str:
    """A JSON list column holding ``word`` (the vocabularies' words hold no quotes)."""
    params[name] = f'%"{word}"%'
    return f"p.{column} LIKE :{name}"


def _filters(spec: ProductSearch, params: dict[str, Any]) -> list[str]:
    """The conditions of ``spec`` but its keyword and its cursor."""
    where = ["p.active = TRUE"]
    if spec.category:
        where.append("p.category = :category")
        params["category"] = spec.category
    if spec.dietary_preference:
        where.append(_contains_word("dietary_preferences", "diet", spec.dietary_preference, params))
    if spec.species:
        any_species = "p.species = '[]'"
        where.append(
            f"({any_species} OR {_contains_word('species', 'kind', spec.species, params)})"
        )
    if spec.in_stock is not None:
        where.append("p.stock > 0" if spec.in_stock else "p.stock = 0")
    return where


def search(reader: Reader, spec: ProductSearch) -> ProductPage:
    """Active products matching ``spec``, newest first, after ``spec.after``."""
    if spec.keyword:
        return _keyword_search(reader, spec, spec.keyword)
    params: dict[str, Any] = {"limit": spec.limit + 1}
    where = _filters(spec, params)
    if spec.after is not None:
        where.append(after_in_newest_first("p", spec.after, params))
    sql = f"{_SELECT} WHERE {' AND '.join(where)} ORDER BY {_NEWEST_FIRST} LIMIT :limit"
    found = [_product(row) for row in reader.all(sql, params)]
    return ProductPage(found[: spec.limit], len(found) > spec.limit)


def _matching(reader: Reader, keyword: str) -> array[int]:
    """The active products whose text holds ``keyword``, as (created_at, id) pairs newest
    first: found by the trigram index once, then kept until the catalog's text changes (the
    ``products`` counter; stock is not part of it)."""
    params: dict[str, Any] = {}
    sql = (
        f"SELECT p.created_at, p.id FROM products p WHERE p.active = TRUE AND "
        f"{_keyword(reader, keyword, params)} ORDER BY {_NEWEST_FIRST}"
    )

    def compute() -> array[int]:
        return array("q", (value for row in reader.all(sql, params) for value in row))

    key = ("product keyword", keyword.casefold())
    return reader.derived.get_or_compute(reader, "products", key, compute)


def _keyword_search(reader: Reader, spec: ProductSearch, keyword: str) -> ProductPage:
    """The keyword's matches after the cursor, read by id a stretch at a time with the other
    conditions (and the live stock) until the page is full."""
    pairs = _matching(reader, keyword)
    at = (
        0 if spec.after is None else first_after(pairs, to_micros(spec.after.moment), spec.after.id)
    )
    found: list[Product] = []
    stretch = max(4 * (spec.limit + 1), 100)
    while len(found) <= spec.limit and 2 * at < len(pairs):
        ids = list(pairs[2 * at + 1 : 2 * (at + stretch) : 2])
        at += stretch
        params: dict[str, Any] = {}
        where = [*_filters(spec, params), f"p.id IN {bind_list(params, 'id', ids)}"]
        rows = {
            int(row[0]): row for row in reader.all(f"{_SELECT} WHERE {' AND '.join(where)}", params)
        }
        found += [_product(rows[i]) for i in ids if i in rows]
    return ProductPage(found[: spec.limit], len(found) > spec.limit)


def _keyword(reader: Reader, keyword: str, params: dict[str, Any]) -> str:
    """A case-insensitive substring of name, brand or description: the trigram index for 3+
    characters (FTS5 on SQLite, pg_trgm on PostgreSQL)."""
    if reader.is_sqlite and len(keyword) >= 3:
        params["keyword"] = '"' + keyword.replace('"', '""') + '"'
        return "p.id IN (SELECT rowid FROM product_text_fts WHERE product_text_fts MATCH :keyword)"
    params["keyword"] = like_pattern(keyword)
    like = "LIKE" if reader.is_sqlite else "ILIKE"
    columns = ("name", "brand", "description")
    return "(" + " OR ".join(f"p.{c} {like} :keyword ESCAPE '\\'" for c in columns) + ")"


def by_id(reader: Reader, product_id: int) -> Product | None:
    row = reader.one(f"{_SELECT} WHERE p.id = :id", {"id": product_id})
    return None if row is None else _product(row)


def by_ids(reader: Reader, ids: Sequence[int]) -> dict[int, Product]:
    if not ids:
        return {}
    params: dict[str, Any] = {}
    names = []
    for n, product_id in enumerate(ids):
        params[f"id_{n}"] = product_id
        names.append(f":id_{n}")
    rows = reader.all(f"{_SELECT} WHERE p.id IN ({', '.join(names)})", params)
    return {int(row[0]): _product(row) for row in rows}


_TAKE = text(
    "UPDATE products SET stock = stock - :q, updated_at = :now "
    "WHERE id = :id AND stock >= :q AND active = TRUE"
)
_RETURN = text("UPDATE products SET stock = stock + :q, updated_at = :now WHERE id = :id")


def take_stock(tx: Transaction, product_id: int, quantity: int, now: datetime) -> bool:
    """Take ``quantity`` from the product's stock; False (nothing taken) when it holds less.
    One conditional UPDATE: the row's lock (PostgreSQL) or the write lock (SQLite) makes
    concurrent orders take turns, each seeing the stock the last one left."""
    found = tx.conn.execute(_TAKE, {"q": quantity, "now": to_micros(now), "id": product_id})
    return found.rowcount == 1


def return_stock(tx: Transaction, product_id: int, quantity: int, now: datetime) -> None:
    tx.conn.execute(_RETURN, {"q": quantity, "now": to_micros(now), "id": product_id})
