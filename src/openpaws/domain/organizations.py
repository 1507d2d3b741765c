"""Use cases over organizations: shelters, rescues, clinics and other pet businesses."""

from __future__ import annotations

from openpaws.domain.entities import Organization
from openpaws.domain.errors import NotFound
from openpaws.domain.nearby import organizations_near
from openpaws.domain.search import OrganizationPage, OrganizationSearch, OrganizationSort
from openpaws.storage import organization_queries as q
from openpaws.storage.database import Database


def search_organizations(db: Database, search: OrganizationSearch) -> OrganizationPage:
    where = q.OrganizationWhere()
    if search.name:
        where.contains(("o.name",), "name", search.name)
    if search.query:
        where.contains(("o.name", "o.city", "o.state", "o.code"), "query", search.query)
    where.any_of("o.state", "state", [s.upper() for s in search.states])
    where.any_of("o.country", "country", [c.upper() for c in search.countries])
    sort = search.sort or (OrganizationSort.NEAREST if search.near else OrganizationSort.NAME)
    with db.read() as reader:
        if search.near is None:
            total = q.count(reader, where)
            orgs = q.page(reader, where, sort.value, search.limit, search.offset)
            return OrganizationPage(orgs, total)
        distances = organizations_near(reader, search.near)
        where.any_of("o.id", "near", sorted(distances) or [-1])
        if sort in (OrganizationSort.NEAREST, OrganizationSort.FARTHEST):
            ids = q.matching_ids(reader, where)
            descending = sort is OrganizationSort.FARTHEST
            ids.sort(key=lambda i: (distances[i], i), reverse=descending)
            orgs = q.by_ids(reader, ids[search.offset : search.offset + search.limit])
            total = len(ids)
        else:
            total = q.count(reader, where)
            orgs = q.page(reader, where, sort.value, search.limit, search.offset)
    return OrganizationPage(orgs, total, {o.id: distances[o.id] for o in orgs})


def get_organization(db: Database, code: str) -> Organization:
    with db.read() as reader:
        org = q.by_code(reader, code)
    if org is None:
        raise NotFound(f"Organization {code} not found")
    return org


def organization_ids_for_codes(db: Database, codes: tuple[str, ...]) -> tuple[int, ...]:
    with db.read() as reader:
        return tuple(q.ids_for_codes(reader, codes))
