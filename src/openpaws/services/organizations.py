"""Reading organizations: shelters, rescues, clinics and other pet businesses."""

from __future__ import annotations

from openpaws.domain import bookings
from openpaws.domain.entities import Organization
from openpaws.domain.errors import InvalidInput, NotFound
from openpaws.domain.search import OrganizationPage, OrganizationSearch
from openpaws.storage import organization_queries
from openpaws.storage.database import Reader, Transaction


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


def set_time_zone(tx: Transaction, reference: str, time_zone: str) -> None:
    """The IANA time zone an organization's bookings are in (its dates, hours and slots)."""
    if not bookings.known_zone(time_zone):
        raise InvalidInput.field("body", "time_zone", f"{time_zone} is not an IANA time zone")
    organization_queries.set_time_zone(tx, organization_id(tx.reader, reference), time_zone)
