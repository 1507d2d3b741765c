"""Planning animal searches: which index walk, cached id list or distance walk answers a page.

Callers give a canonical :class:`AnimalSearch`; this module chooses how to answer it:

- the front pages of a search (the first ``FRONT_PAGES_IDS`` ids, where nearly every visitor
  stays) are a slice of a cached ordered id list, then one statement for those animals;
- searches whose matches no index yields in order (a substring, a radius by date) keep their
  whole ordered id list while it is small (``ID_LIST_LIMIT``), else walk the ordered index
  testing each row;
- distance orders count matches per organization and read only the organizations holding the
  page;
- keyset searches continue after a cursor (a sort moment and an id).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from itertools import groupby
from typing import TypeVar

from openpaws.domain.entities import Animal, AnimalDetails
from openpaws.domain.search import (
    AnimalFilters,
    AnimalPage,
    AnimalSearch,
    AnimalSort,
    KeysetCursor,
)
from openpaws.storage import animal_queries
from openpaws.storage.animal_queries import Where
from openpaws.storage.database import Reader
from openpaws.storage.organization_queries import organizations_near

# The ids of a search's front pages (100 pages of 20) are kept in order until the next write:
# most visitors never go further, and a page is then a slice, not an index walk.
FRONT_PAGES_IDS = 2_000

# Up to this many matches, an unordered search keeps its ordered id list (cheap to sort, small
# to keep); beyond, matches are dense enough to find by walking the ordered index.
ID_LIST_LIMIT = 20_000
T = TypeVar("T")


def search(reader: Reader, spec: AnimalSearch) -> AnimalPage:
    """One page of publicly listed animals matching ``spec``, with the exact total."""
    filters = spec.filters
    distances: dict[int, float] = {}
    if spec.near is not None:
        distances = organizations_near(reader, spec.near)
        allowed = set(distances)
        if filters.organization_ids is not None:
            allowed &= set(filters.organization_ids)
        filters = replace(filters, organization_ids=tuple(sorted(allowed)))
    next_cursor = None
    if spec.keyset or spec.cursor is not None:
        total, animals, next_cursor = _after_cursor(reader, filters, spec)
    elif spec.sort.by_distance:
        total, animals = _by_distance(reader, filters, distances, spec)
    elif spec.sort is not AnimalSort.RANDOM and _unordered_matches(spec):
        total, animals = _unordered_page(
            reader,
            filters,
            spec.sort,
            spec.limit,
            spec.offset,
            animal_queries.by_ids,
            animal_queries.page,
        )
    else:
        total, animals = _ordered_page(reader, filters, spec)
    by_animal = {
        a.id: distances[a.organization.id]
        for a in animals
        if a.organization is not None and a.organization.id in distances
    }
    return AnimalPage(animals, total, by_animal, next_cursor)


def _ordered_page(
    reader: Reader, filters: AnimalFilters, spec: AnimalSearch
) -> tuple[int, list[Animal]]:
    where = animal_queries.where(reader, filters)
    total = animal_queries.count(reader, where)
    end = spec.offset + spec.limit
    if spec.offset >= total:
        return total, []
    if end <= FRONT_PAGES_IDS and spec.sort is not AnimalSort.RANDOM:
        front = animal_queries.ordered_ids(reader, where, spec.sort, FRONT_PAGES_IDS)
        return total, animal_queries.by_ids(reader, front[spec.offset : end])
    return total, animal_queries.page(reader, where, spec.sort, spec.limit, spec.offset)


def _after_cursor(
    reader: Reader, filters: AnimalFilters, spec: AnimalSearch
) -> tuple[int, list[Animal], KeysetCursor | None]:
    """A keyset page: ``limit`` animals after the cursor, and the cursor of the next page
    when more follow. One more row than asked for tells whether more follow."""
    where = animal_queries.where(reader, filters)
    total = animal_queries.count(reader, where)
    after = where if spec.cursor is None else animal_queries.after(where, spec.sort, spec.cursor)
    found = animal_queries.page(reader, after, spec.sort, spec.limit + 1, 0)
    animals = found[: spec.limit]
    next_cursor = None
    if len(found) > spec.limit:
        last = animals[-1]
        next_cursor = KeysetCursor(spec.sort.moment_of(last), last.id)
    return total, animals, next_cursor


def _unordered_page(
    reader: Reader,
    filters: AnimalFilters,
    sort: AnimalSort,
    limit: int,
    offset: int,
    for_ids: Callable[[Reader, Sequence[int]], list[T]],
    walk: Callable[[Reader, Where, AnimalSort, int, int], list[T]],
) -> tuple[int, list[T]]:
    """A page of a search that no index yields in order (a substring, a radius by date).

    Sparse matches: the ordered id list is computed once (until the next write) and sliced.
    Dense matches: the ordered index is walked, testing each row, which finds a page quickly.
    """
    where = animal_queries.where(reader, filters)
    total = animal_queries.count(reader, where)
    if offset >= total:
        return total, []
    if total <= ID_LIST_LIMIT:
        ids = animal_queries.ordered_ids(reader, where, sort)
        return len(ids), for_ids(reader, ids[offset : offset + limit])
    row_by_row = animal_queries.where(reader, filters, text_index=False)
    return total, walk(reader, row_by_row, sort, limit, offset)


def _unordered_matches(spec: AnimalSearch) -> bool:
    """Searches whose matches no index yields in date order: each would sort every match."""
    return bool(spec.filters.name or spec.filters.text or spec.near)


def _by_distance(
    reader: Reader, filters: AnimalFilters, distances: dict[int, float], spec: AnimalSearch
) -> tuple[int, list[Animal]]:
    """Pages in distance order without sorting every candidate animal.

    An animal's distance is its organization's, so the matching animals are counted per
    organization, the organizations walked in distance order, and only those that hold the
    requested page are read. Organizations at the same distance form one group, read in id
    order, so ties between animals are broken by id.
    """
    counts = animal_queries.count_by_organization(reader, animal_queries.where(reader, filters))
    total = sum(counts.values())
    descending = spec.sort is AnimalSort.DISTANCE_DESC
    ordered = sorted(counts, key=lambda org: distances[org], reverse=descending)
    start, end = spec.offset, spec.offset + spec.limit
    position = 0
    animals: list[Animal] = []
    for _, group in groupby(ordered, key=lambda org: distances[org]):
        org_ids = tuple(sorted(group))
        size = sum(counts[org] for org in org_ids)
        if position + size > start and position < end:
            skip = max(0, start - position)
            take = min(end, position + size) - position - skip
            where = animal_queries.where(reader, replace(filters, organization_ids=org_ids))
            order = animal_queries.ID_DESC if descending else animal_queries.ID_ASC
            animals += animal_queries.page(reader, where, order, take, skip)
        position += size
        if position >= end:
            break
    return total, animals


def organization_page(
    reader: Reader, organization_id: int, filters: AnimalFilters, limit: int, offset: int
) -> tuple[list[AnimalDetails], int]:
    """The organization's listed animals, newest record first, with the exact total."""
    filters = replace(filters, organization_ids=(organization_id,))
    sort = AnimalSort.CREATED_DESC
    if filters.text:  # substring matches are not in date order in any index
        total, items = _unordered_page(
            reader,
            filters,
            sort,
            limit,
            offset,
            animal_queries.details_by_ids,
            animal_queries.details_page,
        )
        return items, total
    where = animal_queries.where(reader, filters)
    total = animal_queries.count(reader, where)
    items = []
    if offset < total:
        items = animal_queries.details_page(reader, where, sort, limit, offset)
    return items, total
