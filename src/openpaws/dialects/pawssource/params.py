"""Query parameters of Paws Source lists, and the cursors that continue them."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

import msgspec

from openpaws.dialects import inputs
from openpaws.dialects.inputs import Invalid
from openpaws.dialects.pawssource import vocab, wire
from openpaws.domain.commerce import ProductSearch
from openpaws.domain.moments import parse_moment
from openpaws.domain.public_ids import PublicIds
from openpaws.domain.search import AccountAnimalFilters, KeysetCursor
from openpaws.domain.vocab import DietaryPreference, OrderStatus, ProductCategory

T = TypeVar("T")
DEFAULT_LIMIT = 20
MAX_LIMIT = 100
MAX_CURSOR = 512  # characters; ours are about a hundred


class _Cursor(msgspec.Struct, forbid_unknown_fields=True):
    id: str
    created_at: str


_decode_cursor = msgspec.json.Decoder(_Cursor).decode
_encode = msgspec.json.Encoder().encode


def cursor(public_id: str, created_at: datetime) -> str:
    """Where the next page starts: base64url (unpadded) of the JSON ``{"id", "created_at"}``
    of the last item shown, its creation time to the microsecond."""
    stamp = created_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    raw = _encode(_Cursor(public_id, stamp))
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def page(items: list[T], has_more: bool, last: Callable[[], tuple[str, datetime]]) -> wire.Page[T]:
    """A list's page: its items and, when another page follows, the cursor of the last item
    (``last`` gives its public id and creation time)."""
    following = cursor(*last()) if has_more else None
    return wire.Page(items, wire.Meta(following, has_more))


def cursor_reader(ids: PublicIds, noun: str) -> Callable[[Any], KeysetCursor]:
    """Reads a cursor of a list of ``noun``s; anything else is ``invalid_cursor``."""

    def parse(value: Any) -> KeysetCursor:
        text = str(value).strip()
        try:
            if len(text) > MAX_CURSOR:
                raise ValueError
            found = _decode_cursor(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
            number = ids.decode(noun, found.id)
            if number is None:
                raise ValueError
            return KeysetCursor(parse_moment(found.created_at), number)
        except (ValueError, binascii.Error, msgspec.DecodeError, OverflowError):
            raise Invalid("invalid_cursor") from None

    return parse


@dataclass(frozen=True)
class PetQuery:
    filters: AccountAnimalFilters
    limit: int
    after: KeysetCursor | None


SPECIES = {word: word for word in vocab.SPECIES_WORDS}
STATUSES = {word: word for word in vocab.STATUS_WORDS}


def pet_query(query: Mapping[str, str], ids: PublicIds) -> PetQuery:
    r = inputs.Reader(query, "query", vocab.MESSAGES)
    species = r.get("species", inputs.word_in(SPECIES, "species"), None)
    status = r.get("status", inputs.word_in(STATUSES, "status"), None)
    limit = r.get("limit", inputs.integer(1, MAX_LIMIT), DEFAULT_LIMIT)
    after = r.get("cursor", cursor_reader(ids, "pet"), None)
    r.finish("The request contains invalid parameters.")
    filters = AccountAnimalFilters(
        kinds=(vocab.species_match(species),) if species else (),
        statuses=vocab.STATUS_CLASSES[status] if status else (),
    )
    return PetQuery(filters, limit, after)


CATEGORIES = {c.value: c.value for c in ProductCategory}
DIETS = {d.value: d.value for d in DietaryPreference}
ORDER_STATUSES = {s.value: s.value for s in OrderStatus}
KEYWORD_LIMIT = 100


def _keyword(value: Any) -> str:
    return inputs.required_text(KEYWORD_LIMIT, line=True)(value)


def product_search(query: Mapping[str, str], ids: PublicIds) -> ProductSearch:
    r = inputs.Reader(query, "query", vocab.MESSAGES)
    species = r.get("species", inputs.word_in(SPECIES, "species"), None)
    search = ProductSearch(
        keyword=r.get("keyword", _keyword, None),
        category=r.get("category", inputs.word_in(CATEGORIES, "category"), None),
        dietary_preference=r.get(
            "dietary_preference", inputs.word_in(DIETS, "dietary preference"), None
        ),
        species=vocab.SPECIES_IN[species][0] if species else None,
        in_stock=r.get("in_stock", inputs.flag, None),
        limit=r.get("limit", inputs.integer(1, MAX_LIMIT), DEFAULT_LIMIT),
        after=r.get("cursor", cursor_reader(ids, "prod"), None),
    )
    r.finish("The request contains invalid parameters.")
    return search


@dataclass(frozen=True)
class OrderQuery:
    status: str | None
    limit: int
    after: KeysetCursor | None


def order_query(query: Mapping[str, str], ids: PublicIds) -> OrderQuery:
    r = inputs.Reader(query, "query", vocab.MESSAGES)
    found = OrderQuery(
        status=r.get("status", inputs.word_in(ORDER_STATUSES, "status"), None),
        limit=r.get("limit", inputs.integer(1, MAX_LIMIT), DEFAULT_LIMIT),
        after=r.get("cursor", cursor_reader(ids, "ord"), None),
    )
    r.finish("The request contains invalid parameters.")
    return found
