"""Queries over organizations."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import update

from openpaws.domain.entities import Organization
from openpaws.domain.geo import Box, Point, bounding_box, haversine_miles
from openpaws.domain.search import Near, OrganizationPage, OrganizationSearch, OrganizationSort
from openpaws.storage.database import Reader, Transaction
from openpaws.storage.records import ORGANIZATION_SELECT, organization_from_row
from openpaws.storage.sql import bind_list, like_pattern
from openpaws.storage.tables import organizations

ORG_SELECT = f"SELECT {ORGANIZATION_SELECT} FROM organizations o"

ORDERINGS = {
    OrganizationSort.NAME_ASC: "o.name ASC, o.id ASC",
    OrganizationSort.NAME_DESC: "o.name DESC, o.id DESC",
    OrganizationSort.COUNTRY_ASC: "o.country ASC, o.id ASC",
    OrganizationSort.COUNTRY_DESC: "o.country DESC, o.id DESC",
    OrganizationSort.STATE_ASC: "o.state ASC, o.id ASC",
    OrganizationSort.STATE_DESC: "o.state DESC, o.id DESC",
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


def organizations_near(reader: Reader, near: Near) -> dict[int, float]:
    """Organization id -> distance in miles, for those within ``near.miles`` of ``near.point``.

    The bounding box query is index-driven; the exact distance is computed once per
    organization in the box, never per animal.
    """
    found = {}
    for org_id, lat, lon in located_in_box(reader, bounding_box(near.point, near.miles)):
        miles = haversine_miles(near.point, Point(lat, lon))
        if miles <= near.miles:
            found[org_id] = miles
    return found


def ids_for_codes(reader: Reader, codes: Sequence[str]) -> list[int]:
    """The ids of the organizations with these public codes (matched case-insensitively)."""
    params: dict[str, object] = {}
    bound = bind_list(params, "code", [code.upper() for code in codes])
    rows = reader.all(f"SELECT id FROM organizations WHERE code IN {bound}", params)
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
    params: dict[str, object] = {}
    rows = reader.all(f"{ORG_SELECT} WHERE o.id IN {bind_list(params, 'id', ids)}", params)
    found = {org.id: org for org in map(organization_from_row, rows)}
    return [found[i] for i in ids if i in found]


class _Where:
    """A WHERE clause over ``organizations o``."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.params: dict[str, object] = {}

    def contains(self, columns: Sequence[str], name: str, text: str) -> None:
        self.params[name] = like_pattern(text.lower())
        self.parts.append(
            "(" + " OR ".join(f"lower({c}) LIKE :{name} ESCAPE '\\'" for c in columns) + ")"
        )

    def any_of(self, column: str, name: str, values: Sequence[object]) -> None:
        if values:
            self.parts.append(f"{column} IN {bind_list(self.params, name, values)}")

    @property
    def sql(self) -> str:
        return " AND ".join(self.parts) or "1 = 1"


def _where(spec: OrganizationSearch) -> _Where:
    where = _Where()
    if spec.name:
        where.contains(("o.name",), "name", spec.name)
    if spec.query:
        where.contains(("o.name", "o.city", "o.state", "o.code"), "query", spec.query)
    where.any_of("o.state", "state", [s.upper() for s in spec.states])
    where.any_of("o.country", "country", [c.upper() for c in spec.countries])
    return where


def search(reader: Reader, spec: OrganizationSearch) -> OrganizationPage:
    """One page of organizations matching ``spec``, with the exact total."""
    where = _where(spec)
    order = spec.order
    if spec.near is None:
        return OrganizationPage(_page(reader, where, order, spec), _count(reader, where))
    distances = organizations_near(reader, spec.near)
    where.any_of("o.id", "near", sorted(distances) or [-1])
    if order.by_distance:
        ids = _matching_ids(reader, where)
        ids.sort(key=lambda i: (distances[i], i), reverse=order is OrganizationSort.DISTANCE_DESC)
        orgs = by_ids(reader, ids[spec.offset : spec.offset + spec.limit])
        total = len(ids)
    else:
        orgs, total = _page(reader, where, order, spec), _count(reader, where)
    return OrganizationPage(orgs, total, {o.id: distances[o.id] for o in orgs})


def _count(reader: Reader, where: _Where) -> int:
    return int(
        reader.scalar(f"SELECT count(*) FROM organizations o WHERE {where.sql}", where.params)
    )


def _page(
    reader: Reader, where: _Where, order: OrganizationSort, spec: OrganizationSearch
) -> list[Organization]:
    rows = reader.all(
        f"{ORG_SELECT} WHERE {where.sql} ORDER BY {ORDERINGS[order]} LIMIT :limit OFFSET :offset",
        {**where.params, "limit": spec.limit, "offset": spec.offset},
    )
    return [organization_from_row(row) for row in rows]


def _matching_ids(reader: Reader, where: _Where) -> list[int]:
    return [
        int(r[0])
        for r in reader.all(f"SELECT o.id FROM organizations o WHERE {where.sql}", where.params)
    ]


def first_code_of_kind(reader: Reader, kind: str) -> str | None:
    """The code of the first organization of ``kind``."""
    found = reader.scalar(
        "SELECT code FROM organizations WHERE kind = :kind ORDER BY id LIMIT 1", {"kind": kind}
    )
    return None if found is None else str(found)


def set_time_zone(tx: Transaction, organization_id: int, time_zone: str | None) -> None:
    tx.conn.execute(
        update(organizations)
        .where(organizations.c.id == organization_id)
        .values(time_zone=time_zone, updated_at=datetime.now(UTC))
    )
