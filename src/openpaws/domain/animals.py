"""Use cases over animals."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from itertools import groupby
from typing import TypeVar

from openpaws.domain.entities import Animal, AnimalDetails
from openpaws.domain.errors import NotFound
from openpaws.domain.nearby import organizations_near
from openpaws.domain.search import AnimalFilters, AnimalPage, AnimalSearch, AnimalSort
from openpaws.storage import animal_queries
from openpaws.storage.database import Database, Reader


def search_animals(db: Database, search: AnimalSearch) -> AnimalPage:
    """One page of publicly listed animals matching ``search``, with the exact total."""
    with db.read() as reader:
        filters = search.filters
        distances: dict[int, float] = {}
        if search.near is not None:
            distances = organizations_near(reader, search.near)
            allowed = set(distances)
            if filters.organization_ids is not None:
                allowed &= set(filters.organization_ids)
            filters = replace(filters, organization_ids=tuple(sorted(allowed)))
        if search.sort in (AnimalSort.NEAREST, AnimalSort.FARTHEST):
            total, animals = _by_distance(reader, filters, distances, search)
        elif search.sort is not AnimalSort.RANDOM and _unordered_matches(search):
            total, animals = unordered_page(
                reader,
                filters,
                search.sort.value,
                search.limit,
                search.offset,
                animal_queries.by_ids,
                animal_queries.page,
            )
        else:
            where = animal_queries.where(reader, filters)
            total = animal_queries.count(reader, where)
            animals = []
            end = search.offset + search.limit
            if search.offset >= total:
                pass
            elif end <= FRONT_PAGES_IDS and search.sort is not AnimalSort.RANDOM:
                front = animal_queries.ordered_ids(
                    reader, where, search.sort.value, FRONT_PAGES_IDS
                )
                animals = animal_queries.by_ids(reader, front[search.offset : end])
            else:
                animals = animal_queries.page(
                    reader, where, search.sort.value, search.limit, search.offset
                )
    by_animal = {
        a.id: distances[a.organization.id]
        for a in animals
        if a.organization is not None and a.organization.id in distances
    }
    return AnimalPage(animals, total, by_animal)


# The ids of a search's front pages (100 pages of 20) are kept in order until the next write:
# most visitors never go further, and a page is then a slice, not an index walk.
FRONT_PAGES_IDS = 2_000

# Up to this many matches, an unordered search keeps its ordered id list (cheap to sort, small
# to keep); beyond, matches are dense enough to find by walking the ordered index.
ID_LIST_LIMIT = 20_000
T = TypeVar("T")


def unordered_page(
    reader: Reader,
    filters: AnimalFilters,
    ordering: str,
    limit: int,
    offset: int,
    for_ids: Callable[[Reader, Sequence[int]], list[T]],
    walk: Callable[[Reader, animal_queries.Where, str, int, int], list[T]],
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
        ids = animal_queries.ordered_ids(reader, where, ordering)
        return len(ids), for_ids(reader, ids[offset : offset + limit])
    row_by_row = animal_queries.where(reader, filters, text_index=False)
    return total, walk(reader, row_by_row, ordering, limit, offset)


def _unordered_matches(search: AnimalSearch) -> bool:
    """Searches whose matches no index yields in date order: each would sort every match."""
    return bool(search.filters.name or search.filters.text or search.near)


def _by_distance(
    reader: Reader, filters: AnimalFilters, distances: dict[int, float], search: AnimalSearch
) -> tuple[int, list[Animal]]:
    """Pages in distance order without sorting every candidate animal.

    An animal's distance is its organization's, so the matching animals are counted per
    organization, the organizations walked in distance order, and only those that hold the
    requested page are read. Organizations at the same distance form one group, read in id
    order, so ties between animals are broken by id.
    """
    counts = animal_queries.count_by_organization(reader, animal_queries.where(reader, filters))
    total = sum(counts.values())
    descending = search.sort is AnimalSort.FARTHEST
    ordered = sorted(counts, key=lambda org: distances[org], reverse=descending)
    start, end = search.offset, search.offset + search.limit
    position = 0
    animals: list[Animal] = []
    for _, group in groupby(ordered, key=lambda org: distances[org]):
        org_ids = tuple(sorted(group))
        size = sum(counts[org] for org in org_ids)
        if position + size > start and position < end:
            skip = max(0, start - position)
            take = min(end, position + size) - position - skip
            where = animal_queries.where(reader, replace(filters, organization_ids=org_ids))
            animals += animal_queries.page(reader, where, "-id" if descending else "id", take, skip)
        position += size
        if position >= end:
            break
    return total, animals


def organization_page(
    db: Database, organization_id: int, filters: AnimalFilters, limit: int, offset: int
) -> tuple[list[AnimalDetails], int]:
    """The organization's listed animals, newest first, with the exact total."""
    filters = replace(filters, organization_ids=(organization_id,))
    with db.read() as reader:
        if filters.text:  # substring matches are not in date order in any index
            total, items = unordered_page(
                reader,
                filters,
                "newest",
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
            items = animal_queries.details_page(reader, where, "newest", limit, offset)
    return items, total


def get_listed_animal(db: Database, animal_id: int, statuses: tuple[str, ...]) -> Animal:
    """An animal publicly listed under one of ``statuses``; anything else is not found."""
    with db.read() as reader:
        animal = animal_queries.by_id(reader, animal_id)
    if animal is None or animal.public_status not in statuses:
        raise NotFound(f"Animal {animal_id} not found")
    return animal
