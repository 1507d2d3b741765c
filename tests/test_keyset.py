"""The animal search's keyset pages: continued from a cursor (a sort moment and an id), they
list every match once, in order, however the animals change between pages.

Expected orders are computed from the raw rows (tests/support/reference.py), not by the search.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from openpaws.domain.search import AnimalFilters, AnimalPage, AnimalSearch, AnimalSort, KeysetCursor
from openpaws.services.animals import search_animals
from openpaws.storage.database import Database
from tests.support import factories, reference, setup

TYPE = "dog"
LIMIT = 7
DEMO_ANIMALS = 160
KEYSET_SORTS = [
    AnimalSort.PUBLISHED_DESC,
    AnimalSort.PUBLISHED_ASC,
    AnimalSort.CREATED_DESC,
    AnimalSort.CREATED_ASC,
]
FILTERS = AnimalFilters(statuses=(), types=(TYPE,))  # every listed dog

Row = dict[str, Any]


def column(sort: AnimalSort) -> str:
    published = sort in (AnimalSort.PUBLISHED_DESC, AnimalSort.PUBLISHED_ASC)
    return "published_at" if published else "created_at"


def descending(sort: AnimalSort) -> bool:
    return sort in (AnimalSort.PUBLISHED_DESC, AnimalSort.CREATED_DESC)


def key(sort: AnimalSort, row: Row) -> tuple[datetime, int]:
    return row[column(sort)], row["id"]


def listed_dogs(db: Database) -> list[Row]:
    return [
        r for r in reference.all_animals(db) if r["public_status"] is not None and r["type"] == TYPE
    ]


def expected_order(db: Database, sort: AnimalSort) -> list[int]:
    """Every listed dog's id in ``sort``: its moment, then its id, both the same way."""
    rows = sorted(listed_dogs(db), key=lambda r: key(sort, r), reverse=descending(sort))
    return [r["id"] for r in rows]


def after(sort: AnimalSort, row: Row, cursor: KeysetCursor) -> bool:
    """Whether ``row`` comes after ``cursor`` in ``sort``."""
    mine, theirs = key(sort, row), (cursor.moment, cursor.id)
    return mine < theirs if descending(sort) else mine > theirs


def page(db: Database, sort: AnimalSort, cursor: KeysetCursor | None) -> AnimalPage:
    search = AnimalSearch(FILTERS, sort=sort, limit=LIMIT, keyset=True, cursor=cursor)
    return search_animals(db.reader(), search)


def walk(
    db: Database, sort: AnimalSort, cursor: KeysetCursor | None = None, pages: int | None = None
) -> tuple[list[int], KeysetCursor | None]:
    """The ids of ``pages`` pages (all of them without), and where the next page starts."""
    seen: list[int] = []
    walked = 0
    while pages is None or walked < pages:
        found = page(db, sort, cursor)
        walked += 1
        assert all(a.type == TYPE and a.public_status is not None for a in found.animals)
        seen += [a.id for a in found.animals]
        if found.next_cursor is None:
            assert found.animals or not seen, "a page with nothing follows a full page"
            return seen, None
        # A cursor comes only with a full page, and names its last animal.
        assert len(found.animals) == LIMIT
        last = found.animals[-1]
        assert found.next_cursor == KeysetCursor(sort.moment_of(last), last.id)
        cursor = found.next_cursor
    return seen, cursor


def dog_rows(start_id: int, count: int, organization_id: int, **overrides: Any) -> list[Row]:
    """``count`` listed dogs with ids from ``start_id`` (realistic rows of the demo's kind)."""
    rows = []
    animal_id = start_id
    while len(rows) < count:
        row = factories.animal_row(animal_id, organization_id, **overrides)
        if row["type"] == TYPE:
            rows.append(row)
        animal_id += 1
    return rows


def with_moments(rows: list[Row], moments: list[tuple[datetime, datetime]]) -> list[Row]:
    """The rows with these (published_at, created_at), in order."""
    return [
        {**row, "published_at": published, "created_at": created, "updated_at": created}
        for row, (published, created) in zip(rows, moments, strict=True)
    ]


@pytest.fixture
def demo_db(fresh_db: Database) -> Database:
    """The demo data, and dogs whose moments make the orders interesting: several at one
    moment (to the microsecond) straddling a page boundary, two a microsecond apart, and
    published and created moments that order them differently."""
    setup.load_demo(fresh_db, DEMO_ANIMALS, organizations=4)
    rows = listed_dogs(fresh_db)
    assert len(rows) > 4 * LIMIT, "too few dogs to walk several pages"
    org = rows[0]["organization_id"]
    # A moment (with microseconds) just after the end of the second newest page: the new dogs
    # at that very moment start at its last place, and run across to the next page.
    newest = sorted(rows, key=lambda r: (r["published_at"], r["id"]), reverse=True)
    tie = newest[2 * LIMIT - 3]["published_at"] - timedelta(microseconds=500_000)
    assert newest[2 * LIMIT - 2]["published_at"] < tie - timedelta(microseconds=1)
    first_created = min(r["created_at"] for r in rows)
    moments = [
        (tie, first_created - timedelta(days=1)),
        (tie, first_created - timedelta(days=3)),
        (tie, first_created - timedelta(days=2)),
        (tie, tie),
        (tie + timedelta(microseconds=1), tie),
        (tie - timedelta(microseconds=1), tie),
    ]
    start = max(r["id"] for r in reference.all_animals(fresh_db)) + 1
    factories.add_animals(fresh_db, with_moments(dog_rows(start, len(moments), org), moments))
    return fresh_db


@pytest.mark.parametrize("sort", KEYSET_SORTS)
def test_walking_the_pages_lists_every_match_once_in_order(
    demo_db: Database, sort: AnimalSort
) -> None:
    expected = expected_order(demo_db, sort)
    assert len(expected) % LIMIT, "the last page should be a partial one"
    if sort is AnimalSort.PUBLISHED_DESC:
        # Dogs of one moment on both sides of a page boundary: the id breaks the tie.
        rows = {r["id"]: r for r in listed_dogs(demo_db)}
        moment = [rows[i]["published_at"] for i in expected]
        ends = range(LIMIT - 1, len(expected) - 1, LIMIT)
        assert any(moment[i] == moment[i + 1] for i in ends), "no tie across pages"
        assert any(moment[i].microsecond for i in ends), "no page ends within a second"
    seen, cursor = walk(demo_db, sort)
    assert seen == expected
    assert cursor is None
    # Every page reports the exact total of matches, wherever it starts.
    assert page(demo_db, sort, None).total == len(expected)


@pytest.mark.parametrize("sort", KEYSET_SORTS)
def test_a_walk_ending_on_a_full_page_ends_there(demo_db: Database, sort: AnimalSort) -> None:
    """When the matches fill the last page exactly, that page says no more follow (no empty
    page after it)."""
    expected = expected_order(demo_db, sort)
    surplus = len(expected) % LIMIT
    assert surplus, "the matches already fill the last page"
    rows = {r["id"]: r for r in reference.all_animals(demo_db)}
    for animal_id in expected[-surplus:]:
        org = reference.all_organizations(demo_db)[rows[animal_id]["organization_id"]]
        setup.delete_pet(demo_db, org["code"], rows[animal_id]["uuid"])
    expected = expected_order(demo_db, sort)
    assert len(expected) % LIMIT == 0
    seen, cursor = walk(demo_db, sort)
    assert seen == expected and cursor is None


@pytest.mark.parametrize("sort", KEYSET_SORTS)
def test_a_cursor_continues_where_it_left_off_while_animals_come_and_go(
    demo_db: Database, sort: AnimalSort
) -> None:
    before = expected_order(demo_db, sort)
    pages = len(before) // LIMIT // 2
    first, cursor = walk(demo_db, sort, pages=pages)
    assert cursor is not None
    assert first == before[: pages * LIMIT]
    rows = {r["id"]: r for r in listed_dogs(demo_db)}
    orgs = reference.all_organizations(demo_db)
    org = rows[first[0]]["organization_id"]
    next_id = max(r["id"] for r in reference.all_animals(demo_db)) + 1

    # New dogs ahead of the cursor (already passed: they must not appear), new dogs after it
    # (not yet reached: they appear in their place).
    moments = [rows[i][column(sort)] for i in before]
    step = timedelta(days=1) if descending(sort) else -timedelta(days=1)
    passed = [moments[0] + step * n for n in (1, 2)] + [cursor.moment]  # the last: same moment
    toward_end = -timedelta(microseconds=1) if descending(sort) else timedelta(microseconds=1)
    coming = [cursor.moment + toward_end, moments[-1] + toward_end]
    new = dog_rows(next_id, len(passed) + len(coming), org)
    # A new dog at the cursor's very moment sorts by id: a larger id comes before the cursor's
    # animal in a descending order and after it in an ascending one.
    factories.add_animals(demo_db, with_moments(new, [(m, m) for m in passed + coming]))
    new_ids = [r["id"] for r in new]
    same_moment = new_ids[len(passed) - 1]
    ahead = new_ids[: len(passed) - 1] + ([same_moment] if descending(sort) else [])
    coming_ids = new_ids[len(passed) :] + ([] if descending(sort) else [same_moment])

    # Deleted dogs: three not yet seen, one already seen, and the cursor's own animal.
    unseen = before[pages * LIMIT :]
    deleted = [unseen[0], unseen[len(unseen) // 2], unseen[-1], first[1], cursor.id]
    for animal_id in deleted:
        setup.delete_pet(
            demo_db, orgs[rows[animal_id]["organization_id"]]["code"], rows[animal_id]["uuid"]
        )

    rest, end = walk(demo_db, sort, cursor=cursor)
    assert end is None
    assert len(set(first + rest)) == len(first) + len(rest), "an animal was listed twice"
    survivors = [i for i in unseen if i not in deleted]
    assert set(survivors) <= set(rest), "an original animal was skipped"
    assert not set(deleted) & set(rest), "a deleted animal was listed"
    assert not set(ahead) & set(rest), "an animal ahead of the cursor was listed"
    assert set(coming_ids) <= set(rest), "a new animal after the cursor was missed"
    # And in order: exactly the listed dogs after the cursor, as the rows now stand.
    now = sorted(listed_dogs(demo_db), key=lambda r: key(sort, r), reverse=descending(sort))
    assert rest == [r["id"] for r in now if after(sort, r, cursor)]
    assert set(rest) == set(survivors) | set(coming_ids)


def test_a_cursor_search_counts_every_match(demo_db: Database) -> None:
    """The total of a page after a cursor is that of the whole search, not of what is left."""
    total = len(expected_order(demo_db, AnimalSort.PUBLISHED_DESC))
    first = page(demo_db, AnimalSort.PUBLISHED_DESC, None)
    second = page(demo_db, AnimalSort.PUBLISHED_DESC, first.next_cursor)
    assert first.total == second.total == total


@pytest.mark.parametrize(
    "sort", [AnimalSort.DISTANCE_ASC, AnimalSort.DISTANCE_DESC, AnimalSort.RANDOM]
)
def test_a_keyset_page_needs_a_keyset_sort(sort: AnimalSort) -> None:
    with pytest.raises(ValueError, match="keyset sort"):
        AnimalSearch(FILTERS, sort=sort, keyset=True)
    cursor = KeysetCursor(datetime(2026, 1, 1, tzinfo=UTC), 1)
    with pytest.raises(ValueError, match="keyset sort"):
        AnimalSearch(FILTERS, sort=sort, cursor=cursor)
    assert not sort.keyset
    assert all(s.keyset for s in KEYSET_SORTS)
