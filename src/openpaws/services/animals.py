"""Reading animals: the public search, one listed animal, an organization's own listing."""

from __future__ import annotations

from dataclasses import replace

from openpaws.domain import statuses
from openpaws.domain.accounts import Account
from openpaws.domain.entities import Animal, AnimalDetails
from openpaws.domain.errors import NotFound
from openpaws.domain.search import (
    AccountAnimalFilters,
    AccountAnimalPage,
    AnimalFilters,
    AnimalPage,
    AnimalSearch,
    KeysetCursor,
)
from openpaws.storage import animal_queries, animal_search, org_settings
from openpaws.storage.database import Reader


def search_animals(reader: Reader, search: AnimalSearch) -> AnimalPage:
    """One page of publicly listed animals matching ``search``, with the exact total."""
    return animal_search.search(reader, search)


def listed_animal(reader: Reader, animal_id: int, visible: tuple[str, ...]) -> Animal:
    """An animal publicly listed under one of the ``visible`` status classes; anything else is
    not found."""
    animal = animal_queries.by_id(reader, animal_id)
    if animal is None or animal.public_status not in visible:
        raise NotFound(f"Animal {animal_id} not found", kind="animal")
    return animal


def organization_page(
    reader: Reader,
    organization_id: int,
    filters: AnimalFilters,
    limit: int,
    offset: int,
    *,
    status_label: str | None = None,
) -> tuple[list[AnimalDetails], int]:
    """The organization's listed animals, newest first, with the exact total; with
    ``status_label``, only those shown under that label of the organization's (or a status
    class name)."""
    if status_label:
        known = org_settings.statuses(reader, organization_id)
        filters = replace(filters, status_label=statuses.label_match(known, status_label))
    return animal_search.organization_page(reader, organization_id, filters, limit, offset)


def listed_details(reader: Reader, organization_id: int, animal_uuid: str) -> AnimalDetails:
    """A publicly listed animal of the organization, with the names it refers to."""
    details = animal_queries.details_by_uuid(reader, animal_uuid.lower())
    animal = details.animal if details else None
    if (
        details is None
        or animal is None
        or animal.organization is None
        or animal.organization.id != organization_id
        or animal.public_status is None
    ):
        raise NotFound("Animal not found", kind="animal")
    return details


def account_page(
    reader: Reader,
    account: Account,
    filters: AccountAnimalFilters,
    limit: int,
    after: KeysetCursor | None = None,
) -> AccountAnimalPage:
    """The account's own animals (listed or not), newest first, after ``after``."""
    return animal_queries.account_page(reader, account, filters, limit, after)


def account_animal(reader: Reader, account: Account, animal_id: int) -> Animal:
    """One of the account's own animals; another account's is not found."""
    found = animal_queries.account_animal(reader, account, animal_id)
    if found is None:
        raise NotFound("Animal not found", kind="animal")
    return found
