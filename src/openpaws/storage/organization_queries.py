"""Queries over organizations."""

from __future__ import annotations

from collections.abc import Sequence

from openpaws.domain.entities import Organization
from openpaws.domain.geo import Box
from openpaws.storage.database import Reader
from openpaws.storage.records import ORGANIZATION_SELECT, organization_from_row

ORG_SELECT = f"SELECT {ORGANIZATION_SELECT} FROM organizations o"

ORDERINGS = {
    "name": "o.name ASC, o.id ASC",
    "-name": "o.name DESC, o.id DESC",
    "country": "o.country ASC, o.id ASC",
    "-country": "o.country DESC, o.id DESC",
    "state": "o.state ASC, o.id ASC",
    "-state": "o.state DESC, o.id DESC",
    "id": "o.id ASC",
}


def located_in_box(reader: Reader, box: Box) -> list[tuple[int, float, float]]:
    """(id, latitude, longitude) of the organizations inside ``box`` (index on latitude)."""
    params = {
        "min_lat": box.min_latitude,
        "max_lat": box.max_latitude,
        "min_lon": box.min_longitude,
        "max_lon": box.max_longitude,
    }
    rows = reader.all(
        "SELECT o.id, o.latitude, o.longitude FROM organizations o "
        "WHERE o.latitude BETWEEN :min_lat AND :max_lat "
        "AND o.longitude BETWEEN :min_lon AND :max_lon",
        params,
    )
    return [(int(i), float(lat), float(lon)) for i, lat, lon in rows]


def ids_for_codes(reader: Reader, codes: Sequence[str]) -> list[int]:
    """The ids of the organizations with these public codes (matched case-insensitively)."""
    params = {f"code_{i}": code.upper() for i, code in enumerate(codes)}
    placeholders = ", ".join(f":{name}" for name in params)
    rows = reader.all(f"SELECT id FROM organizations WHERE code IN ({placeholders})", params)
    return [int(row[0]) for row in rows]


def id_for_reference(reader: Reader, reference: str) -> int | None:
    """The id of the organization whose public code (any case) or UUID is ``reference``."""
    found = reader.scalar(
        "SELECT id FROM organizations WHERE code = :code OR uuid = :uuid",
        {"code": reference.upper(), "uuid": reference},
    )
    return None if found is None else int(found)


def first_listing_code(reader: Reader) -> str | None:
    """The code of the first shelter or rescue."""
    found = reader.scalar(
        "SELECT code FROM organizations WHERE kind IN ('shelter', 'rescue') ORDER BY id LIMIT 1"
    )
    return None if found is None else str(found)


def by_code(reader: Reader, code: str) -> Organization | None:
    row = reader.one(f"{ORG_SELECT} WHERE o.code = :code", {"code": code.upper()})
    return None if row is None else organization_from_row(row)


def by_ids(reader: Reader, ids: Sequence[int]) -> list[Organization]:
    """The organizations with these ids, in the order given."""
    if not ids:
        return []
    params = {f"id_{i}": v for i, v in enumerate(ids)}
    placeholders = ", ".join(f":{name}" for name in params)
    rows = reader.all(f"{ORG_SELECT} WHERE o.id IN ({placeholders})", params)
    found = {org.id: org for org in map(organization_from_row, rows)}
    return [found[i] for i in ids if i in found]


class OrganizationWhere:
    """A WHERE clause over ``organizations o``."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.params: dict[str, object] = {}

    def _in(self, column: str, name: str, values: Sequence[object]) -> None:
        names = [f"{name}_{i}" for i in range(len(values))]
        self.params.update(zip(names, values, strict=True))
        self.parts.append(f"{column} IN ({', '.join(':' + n for n in names)})")

    def contains(self, columns: Sequence[str], name: str, text: str) -> None:
        escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        self.params[name] = f"%{escaped}%"
        self.parts.append(
            "(" + " OR ".join(f"lower({c}) LIKE :{name} ESCAPE '\\'" for c in columns) + ")"
        )

    def any_of(self, column: str, name: str, values: Sequence[object]) -> None:
        if values:
            self._in(column, name, values)

    @property
    def sql(self) -> str:
        return " AND ".join(self.parts) or "1 = 1"


def count(reader: Reader, where: OrganizationWhere) -> int:
    return int(
        reader.scalar(f"SELECT count(*) FROM organizations o WHERE {where.sql}", where.params)
    )


def page(
    reader: Reader, where: OrganizationWhere, ordering: str, limit: int, offset: int
) -> list[Organization]:
    rows = reader.all(
        f"{ORG_SELECT} WHERE {where.sql} ORDER BY {ORDERINGS[ordering]} "
        "LIMIT :limit OFFSET :offset",
        {**where.params, "limit": limit, "offset": offset},
    )
    return [organization_from_row(row) for row in rows]


def matching_ids(reader: Reader, where: OrganizationWhere) -> list[int]:
    return [
        int(r[0])
        for r in reader.all(f"SELECT o.id FROM organizations o WHERE {where.sql}", where.params)
    ]
