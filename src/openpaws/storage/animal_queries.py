"""Queries over publicly listed animals (the search every public API runs)."""

from __future__ import annotations

from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from openpaws.domain.accounts import Account, AccountKind
from openpaws.domain.entities import Animal, AnimalDetails
from openpaws.domain.search import (
    AccountAnimalFilters,
    AccountAnimalPage,
    AnimalFilters,
    AnimalSort,
    KeysetCursor,
    KindMatch,
    StatusLabelMatch,
)
from openpaws.storage.database import Reader
from openpaws.storage.records import (
    ANIMAL_COLUMNS,
    ANIMAL_SELECT,
    ORGANIZATION_COLUMNS,
    ORGANIZATION_SELECT,
    animals_with_organizations,
    details_from_rows,
)
from openpaws.storage.sql import after_in_newest_first, bind_list, like_pattern, newest_first
from openpaws.storage.types import to_micros

PAGE_SELECT = (
    f"SELECT {ANIMAL_SELECT}, {ORGANIZATION_SELECT} "
    "FROM animals a LEFT JOIN organizations o ON o.id = a.organization_id"
)
# The same, with the names an animal refers to: status label, veterinarian, adopter.
_DETAILS_FROM = (
    "FROM animals a LEFT JOIN organizations o ON o.id = a.organization_id "
    "LEFT JOIN custom_statuses cs ON cs.id = a.custom_status_id "
    "LEFT JOIN organizations vet ON vet.id = a.primary_veterinarian_id "
    "LEFT JOIN persons adopter ON adopter.id = a.adopted_by_person_id"
)
_NAMES = "cs.label, vet.name, adopter.name"
DETAILS_SELECT = f"SELECT {ANIMAL_SELECT}, {ORGANIZATION_SELECT}, {_NAMES} {_DETAILS_FROM}"


# The columns a free-text search looks in (all indexed by the trigram search structures).
TEXT_COLUMNS = ("name", "description", "breed_primary", "breed_secondary")


@dataclass(frozen=True)
class Where:
    """A WHERE clause over ``animals a`` with its parameters."""

    sql: str
    params: dict[str, Any]

    def key(self) -> tuple[str, tuple[tuple[str, Any], ...]]:
        return self.sql, tuple(sorted(self.params.items()))


class _Builder:
    def __init__(self, reader: Reader, text_index: bool) -> None:
        self.reader = reader
        self.text_index = text_index
        self.parts: list[str] = []
        self.params: dict[str, Any] = {}

    def values(self, name: str, values: Sequence[Any]) -> str:
        return bind_list(self.params, name, values)

    def any_of(self, column: str, name: str, values: Sequence[Any]) -> None:
        if len(values) == 1:
            self.parts.append(f"{column} = :{name}")
            self.params[name] = values[0]
        elif values:
            self.parts.append(f"{column} IN {self.values(name, values)}")

    def any_column(self, columns: Sequence[str], name: str, values: Sequence[Any]) -> None:
        if values:
            bound = self.values(name, values)
            self.parts.append("(" + " OR ".join(f"{c} IN {bound}" for c in columns) + ")")

    def status_label(self, match: StatusLabelMatch) -> None:
        either = ["1 = 0"]
        if match.custom_status_ids:
            ids = self.values("label_status", match.custom_status_ids)
            either.append(f"a.custom_status_id IN {ids}")
        if match.classes:
            classes = self.values("label_class", match.classes)
            either.append(f"(a.custom_status_id IS NULL AND a.status IN {classes})")
        self.parts.append("(" + " OR ".join(either) + ")")

    def flag(self, column: str, value: bool | None) -> None:
        if value is not None:
            self.parts.append(f"{column} = {'TRUE' if value else 'FALSE'}")

    def contains(self, name: str, columns: Sequence[str], fragment: str) -> None:
        """Case-insensitive substring of any of ``columns``, served by a trigram index for 3+
        characters (FTS5 on SQLite, pg_trgm on PostgreSQL)."""
        if self.reader.is_sqlite and self.text_index and len(fragment) >= 3:
            # An FTS5 trigram phrase matches substrings; LIKE with ESCAPE would skip the index.
            phrase = '"' + fragment.replace('"', '""') + '"'
            self.params[name] = "{" + " ".join(columns) + "} : " + phrase
            self.parts.append(
                f"a.id IN (SELECT rowid FROM animal_text_fts WHERE animal_text_fts MATCH :{name})"
            )
            return
        self.params[name] = like_pattern(fragment)
        like = "LIKE" if self.reader.is_sqlite else "ILIKE"  # SQLite's LIKE ignores ASCII case
        self.parts.append(
            "(" + " OR ".join(f"a.{c} {like} :{name} ESCAPE '\\'" for c in columns) + ")"
        )


def where(reader: Reader, f: AnimalFilters, *, text_index: bool = True) -> Where:
    """The WHERE clause of ``f``. Without ``text_index``, substrings are tested row by row (the
    better plan while walking an ordered index over dense matches)."""
    b = _Builder(reader, text_index)
    if f.statuses:
        b.any_of("a.public_status", "status", f.statuses)
    else:
        b.parts.append("a.public_status IS NOT NULL")
    b.any_of("a.type", "type", f.types)
    b.any_column(("a.breed_primary", "a.breed_secondary"), "breed", f.breeds)
    b.any_of("a.size", "size", f.sizes)
    b.any_of("a.sex", "sex", f.sexes)
    b.any_of("a.age", "age", f.ages)
    b.any_of("a.coat", "coat", f.coats)
    b.any_column(("a.color_primary", "a.color_secondary", "a.color_tertiary"), "color", f.colors)
    if f.organization_ids is not None:
        if not f.organization_ids:
            b.parts.append("1 = 0")
        b.any_of("a.organization_id", "org", f.organization_ids)
    b.flag("a.good_with_children", f.good_with_children)
    b.flag("a.good_with_dogs", f.good_with_dogs)
    b.flag("a.good_with_cats", f.good_with_cats)
    b.flag("a.house_trained", f.house_trained)
    b.flag("a.declawed", f.declawed)
    if f.special_needs is not None:
        b.parts.append("a.special_needs " + ("<>" if f.special_needs else "=") + " '[]'")
    if f.published_before is not None:
        b.parts.append("a.published_at < :before")
        b.params["before"] = to_micros(f.published_before)
    if f.published_after is not None:
        b.parts.append("a.published_at > :after")
        b.params["after"] = to_micros(f.published_after)
    if f.name:
        b.contains("name_text", ("name",), f.name)
    if f.text:
        b.contains("any_text", TEXT_COLUMNS, f.text)
    if f.updated_since is not None:
        b.parts.append("a.updated_at >= :updated_since")
        b.params["updated_since"] = to_micros(f.updated_since)
    if f.status_label is not None:
        b.status_label(f.status_label)
    return Where(" AND ".join(b.parts) or "1 = 1", b.params)


def count(reader: Reader, w: Where) -> int:
    sql = f"SELECT count(*) FROM animals a WHERE {w.sql}"
    return reader.derived.get_or_compute(
        reader, "animals", ("count", w.key()), lambda: int(reader.scalar(sql, w.params))
    )


def count_by_organization(reader: Reader, w: Where) -> dict[int, int]:
    sql = (
        f"SELECT a.organization_id, count(*) FROM animals a WHERE {w.sql} "
        "GROUP BY a.organization_id"
    )
    return reader.derived.get_or_compute(
        reader,
        "animals",
        ("by_org", w.key()),
        lambda: {org: n for org, n in reader.all(sql, w.params)},
    )


# Orders by canonical sort, plus the id orders the distance walk reads each group in.
ID_ASC = "id_asc"
ID_DESC = "id_desc"
ORDERINGS: dict[str, str] = {
    AnimalSort.PUBLISHED_DESC: "a.published_at DESC, a.id DESC",
    AnimalSort.PUBLISHED_ASC: "a.published_at ASC, a.id ASC",
    AnimalSort.CREATED_DESC: "a.created_at DESC, a.id DESC",
    AnimalSort.CREATED_ASC: "a.created_at ASC, a.id ASC",
    AnimalSort.RANDOM: "random()",
    ID_ASC: "a.id ASC",
    ID_DESC: "a.id DESC",
}
# Keyset sorts: the column of their moment, and whether they run backwards.
_KEYSET = {
    AnimalSort.PUBLISHED_DESC: ("a.published_at", True),
    AnimalSort.PUBLISHED_ASC: ("a.published_at", False),
    AnimalSort.CREATED_DESC: ("a.created_at", True),
    AnimalSort.CREATED_ASC: ("a.created_at", False),
}


def after(w: Where, sort: AnimalSort, cursor: KeysetCursor) -> Where:
    """``w`` narrowed to the animals after ``cursor`` in ``sort`` (a keyset sort)."""
    column, descending = _KEYSET[sort]
    op = "<" if descending else ">"
    condition = (
        f"({column} {op} :cursor_moment OR ({column} = :cursor_moment AND a.id {op} :cursor_id))"
    )
    params = {**w.params, "cursor_moment": to_micros(cursor.moment), "cursor_id": cursor.id}
    return Where(f"{w.sql} AND {condition}", params)


def ordered_ids(reader: Reader, w: Where, ordering: str, first: int | None = None) -> array[int]:
    """Every matching id in ``ordering`` (or only the ``first`` ones), cached until the next
    write.

    For the searches whose matches cannot be read in order from an index (substring search,
    a radius sorted by date): computed once, then each page is a slice. With ``first``: the
    front pages of any search, the pages most asked for.
    """
    sql = f"SELECT a.id FROM animals a WHERE {w.sql} ORDER BY {ORDERINGS[ordering]}"
    params = dict(w.params)
    if first is not None:
        sql += " LIMIT :first"
        params["first"] = first
    return reader.derived.get_or_compute(
        reader,
        "animals",
        ("ids", ordering, first, w.key()),
        lambda: array("q", (row[0] for row in reader.all(sql, params))),
    )


def _for_ids(reader: Reader, ids: Sequence[int], select: str) -> list[Sequence[Any]]:
    """Rows of ``select`` for these ids, in the order given."""
    if not ids:
        return []
    params: dict[str, Any] = {}
    rows = reader.all(f"{select} WHERE a.id IN {bind_list(params, 'id', ids)}", params)
    position = {animal_id: n for n, animal_id in enumerate(ids)}
    return sorted(rows, key=lambda row: position[row[0]])


# What identifies the version of an animal as read: its id and updated_at, and its
# organization's. Every write sets updated_at, so an unchanged version is an unchanged row.
# A details row adds the names it refers to, which change without the animal's updated_at.
_VERSION = "a.id, a.updated_at, o.id, o.updated_at"
VERSION_SELECT = (
    f"SELECT {_VERSION} FROM animals a LEFT JOIN organizations o ON o.id = a.organization_id"
)
DETAILS_VERSION_SELECT = f"SELECT {_VERSION}, {_NAMES} {_DETAILS_FROM}"
_VERSION_AT = (
    0,
    ANIMAL_COLUMNS.index("updated_at"),
    len(ANIMAL_COLUMNS) + ORGANIZATION_COLUMNS.index("id"),
    len(ANIMAL_COLUMNS) + ORGANIZATION_COLUMNS.index("updated_at"),
)
_ROW_NAMES = len(ANIMAL_COLUMNS) + len(ORGANIZATION_COLUMNS)  # where a details row's names start
_NAMES_AT = (_ROW_NAMES, _ROW_NAMES + 1, _ROW_NAMES + 2)


@dataclass(frozen=True)
class _Kind:
    """What a versioned load reads: the full rows' statement, how they become values, and
    where each version column sits in a full row."""

    name: str
    select: str
    build: Callable[[Sequence[Sequence[Any]]], Sequence[Any]]
    version_at: tuple[int, ...]


_ANIMALS = _Kind("animal", PAGE_SELECT, animals_with_organizations, _VERSION_AT)
_DETAILS = _Kind("details", DETAILS_SELECT, details_from_rows, _VERSION_AT + _NAMES_AT)


def _load(reader: Reader, versions: Sequence[Sequence[Any]], kind: _Kind) -> list[Any]:
    """The values of these version rows, in order: remembered ones as they are, the others
    read in one query."""
    keys = [(kind.name, *v) for v in versions]
    found: dict[int, Any] = {}
    for key in keys:
        if (value := reader.animals.get(key)) is not None:
            found[key[1]] = value
    missing = [key[1] for key in keys if key[1] not in found]
    if missing:
        rows = _for_ids(reader, missing, kind.select)
        for row, value in zip(rows, kind.build(rows), strict=True):
            reader.animals.put((kind.name, *(row[i] for i in kind.version_at)), value)
            found[row[0]] = value
    return [found[key[1]] for key in keys if key[1] in found]


def by_ids(reader: Reader, ids: Sequence[int]) -> list[Animal]:
    """The animals with these ids, in the order given."""
    return _load(reader, _for_ids(reader, ids, VERSION_SELECT), _ANIMALS)


def details_by_ids(reader: Reader, ids: Sequence[int]) -> list[AnimalDetails]:
    """As ``by_ids``, with the names each animal refers to."""
    return _load(reader, _for_ids(reader, ids, DETAILS_VERSION_SELECT), _DETAILS)


def page(reader: Reader, w: Where, ordering: str, limit: int, offset: int) -> list[Animal]:
    """One page in ``ordering``.

    The ids are found first (an index-only walk, cheap even deep into the results), then only
    those rows are read and joined.
    """
    sql = page_sql(w, ordering, VERSION_SELECT)
    return _load(reader, reader.all(sql, {**w.params, "limit": limit, "offset": offset}), _ANIMALS)


def details_page(
    reader: Reader, w: Where, ordering: str, limit: int, offset: int
) -> list[AnimalDetails]:
    """As ``page``, with the names each animal refers to."""
    sql = page_sql(w, ordering, DETAILS_VERSION_SELECT)
    versions = reader.all(sql, {**w.params, "limit": limit, "offset": offset})
    return _load(reader, versions, _DETAILS)


def page_sql(w: Where, ordering: str, select: str = PAGE_SELECT) -> str:
    order = ORDERINGS[ordering]
    sql = (
        f"{select} WHERE a.id IN (SELECT a.id FROM animals a WHERE {w.sql} "
        f"ORDER BY {order} LIMIT :limit OFFSET :offset)"
    )
    return sql if ordering == AnimalSort.RANDOM else f"{sql} ORDER BY {order}"


def details_by_id(reader: Reader, animal_id: int) -> AnimalDetails | None:
    rows = reader.all(f"{DETAILS_SELECT} WHERE a.id = :id", {"id": animal_id})
    return details_from_rows(rows)[0] if rows else None


def details_by_uuid(reader: Reader, animal_uuid: str) -> AnimalDetails | None:
    rows = reader.all(f"{DETAILS_SELECT} WHERE a.uuid = :uuid", {"uuid": animal_uuid})
    return details_from_rows(rows)[0] if rows else None


def by_id(reader: Reader, animal_id: int) -> Animal | None:
    found = by_ids(reader, [animal_id])
    return found[0] if found else None


# -- the animals of one account (listed or not) ---------------------------------------------

_NEWEST_FIRST = newest_first("a")


def _account_where(account: Account, params: dict[str, Any]) -> str:
    column = "organization_id" if account.kind is AccountKind.ORGANIZATION else "owner_person_id"
    params["account"] = account.id
    return f"a.{column} = :account AND a.deleted_at IS NULL"


def _kinds_where(kinds: Sequence[KindMatch], params: dict[str, Any]) -> str:
    found = []
    for n, kind in enumerate(kinds):
        condition = f"a.type = :kind_{n}"
        params[f"kind_{n}"] = kind.type
        if kind.species:
            condition += f" AND a.species IN {bind_list(params, f'kind_{n}_in', kind.species)}"
        if kind.other_than:
            other = bind_list(params, f"kind_{n}_not", kind.other_than)
            condition += f" AND a.species NOT IN {other}"
        found.append(f"({condition})")
    return "(" + " OR ".join(found) + ")"


def account_page(
    reader: Reader,
    account: Account,
    filters: AccountAnimalFilters,
    limit: int,
    after: KeysetCursor | None,
) -> AccountAnimalPage:
    """The account's live animals, newest first (then by id), after ``after``: a keyset walk
    of the (account, created_at, id) index, each animal read once per change (the memo)."""
    params: dict[str, Any] = {"limit": limit + 1}
    conditions = [_account_where(account, params)]
    if filters.kinds:
        conditions.append(_kinds_where(filters.kinds, params))
    if filters.statuses:
        conditions.append(f"a.status IN {bind_list(params, 'status', filters.statuses)}")
    if after is not None:
        conditions.append(after_in_newest_first("a", after, params))
    sql = (
        f"{VERSION_SELECT} WHERE a.id IN (SELECT a.id FROM animals a "
        f"WHERE {' AND '.join(conditions)} ORDER BY {_NEWEST_FIRST} LIMIT :limit) "
        f"ORDER BY {_NEWEST_FIRST}"
    )
    found = _load(reader, reader.all(sql, params), _ANIMALS)
    return AccountAnimalPage(found[:limit], len(found) > limit)


def account_animal(reader: Reader, account: Account, animal_id: int) -> Animal | None:
    """One live animal of the account."""
    params: dict[str, Any] = {"id": animal_id}
    where = _account_where(account, params)
    found = _load(
        reader, reader.all(f"{VERSION_SELECT} WHERE a.id = :id AND {where}", params), _ANIMALS
    )
    return found[0] if found else None
