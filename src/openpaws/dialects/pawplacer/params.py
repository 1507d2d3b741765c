"""Reading the GET /api/pets query string into a canonical search."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from openpaws.dialects import inputs
from openpaws.dialects.inputs import Invalid, Reader
from openpaws.dialects.pawplacer import vocab
from openpaws.domain.search import AnimalFilters

MAX_LIMIT = 100
DEFAULT_LIMIT = 20
MAX_OFFSET = 10_000_000


@dataclass(frozen=True)
class PetSearch:
    filters: AnimalFilters
    limit: int  # 1 to 100: more is clamped to 100, as PawPlacer does
    offset: int
    status_label: str | None  # a label of the organization's, or a status class name


def _species(value: str) -> str:
    found = vocab.SPECIES_IN.get(value.strip().lower())
    if found is None:
        raise Invalid("not_one_of", allowed=", ".join(sorted(set(vocab.SPECIES_OUT.values()))))
    return found


_LIMIT = inputs.whole_number(1, MAX_LIMIT, clamp=True)
_OFFSET = inputs.whole_number(0, MAX_OFFSET)


def pet_search(query: Mapping[str, str]) -> PetSearch:
    r = Reader(query, "query", vocab.MESSAGES)
    limit = r.get("limit", _LIMIT, DEFAULT_LIMIT)
    offset = r.get("offset", _OFFSET, 0)
    species = r.get("species", _species, None)
    updated_since = r.get("updated_since", inputs.moment, None)
    r.finish()
    filters = AnimalFilters(
        statuses=(),
        types=(species,) if species else (),
        text=query.get("search", "").strip() or None,
        updated_since=updated_since,
    )
    label = query.get("status", "").strip() or None
    return PetSearch(filters, limit, offset, label)
