"""Reading organizations: shelters, rescues, clinics and other pet businesses."""

from __future__ import annotations

from openpaws.domain.entities import Organization
from openpaws.domain.errors import NotFound
from openpaws.domain.search import OrganizationPage, OrganizationSearch
from openpaws.storage import organization_queries
from openpaws.storage.database import Reader


def search_organizations(reader: Reader, search: OrganizationSearch) -> OrganizationPage:
    return organization_queries.search(reader, search)


def get_organization(reader: Reader, code: str) -> Organization:
    org = organization_queries.by_code(reader, code)
    if org is None:
        raise NotFound(f"Organization {code} not found", kind="organization")
    return org


def organization_ids_for_codes(reader: Reader, codes: tuple[str, ...]) -> tuple[int, ...]:
    return tuple(organization_queries.ids_for_codes(reader, codes))


def organization_id(reader: Reader, reference: str) -> int:
    """The id of the organization with this public code or UUID."""
    org_id = organization_queries.id_for_reference(reader, reference)
    if org_id is None:
        raise NotFound(f"Organization {reference} not found", kind="organization")
    return org_id


def organization_kind(reader: Reader, organization_id: int) -> str:
    """What the organization is (shelter, rescue, clinic, groomer, shop)."""
    found = organization_queries.by_ids(reader, [organization_id])
    if not found:
        raise NotFound(f"Organization {organization_id} not found", kind="organization")
    return found[0].kind
