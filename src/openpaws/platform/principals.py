"""Who is calling, through which credential, and what they may do.

A principal is an account: an organization, a person, or an application (an OAuth client).
It carries the credential that authenticated it and canonical ``resource:action`` scopes.
Each dialect maps its own permission words onto these scopes.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from openpaws.domain.accounts import Account, AccountKind
from openpaws.domain.errors import PermissionDenied


class Scope(StrEnum):
    """What a principal may do, named ``resource:action``, covering every API."""

    ANIMALS_READ = "animals:read"
    ANIMALS_WRITE = "animals:write"
    PEOPLE_READ = "people:read"
    PEOPLE_WRITE = "people:write"
    ORGANIZATIONS_READ = "organizations:read"
    TAXONOMY_READ = "taxonomy:read"
    MEDICAL_RECORDS_READ = "medical_records:read"
    MEDICAL_RECORDS_WRITE = "medical_records:write"
    ID_TAGS_READ = "id_tags:read"
    ID_TAGS_WRITE = "id_tags:write"
    APPOINTMENTS_WRITE = "appointments:write"  # book, reschedule, cancel
    APPOINTMENTS_MANAGE = "appointments:manage"  # confirm and complete (providers)
    GROOMING_WRITE = "grooming:write"
    PRODUCTS_READ = "products:read"
    ORDERS_WRITE = "orders:write"
    ORDERS_FULFIL = "orders:fulfil"  # ship (shops)
    WEBHOOKS_MANAGE = "webhooks:manage"
    ACTIVITIES_READ = "activities:read"
    ACTIVITIES_WRITE = "activities:write"
    FOODS_READ = "foods:read"
    FOODS_WRITE = "foods:write"
    LOST_PETS_READ = "lost_pets:read"
    LOST_PETS_WRITE = "lost_pets:write"
    PERKS_READ = "perks:read"
    PERKS_WRITE = "perks:write"
    POLICIES_READ = "policies:read"
    POLICIES_WRITE = "policies:write"
    PROFILES_READ = "profiles:read"
    PROFILES_WRITE = "profiles:write"
    SAFETY_CONTACTS_READ = "safety_contacts:read"
    SAFETY_CONTACTS_WRITE = "safety_contacts:write"
    SUBSCRIPTIONS_READ = "subscriptions:read"
    SUBSCRIPTIONS_WRITE = "subscriptions:write"


class CredentialKind(StrEnum):
    API_KEY = "api_key"
    ACCESS_TOKEN = "access_token"


@dataclass(frozen=True, slots=True)
class Credential:
    """What authenticated a request: an API key (its id) or an access token (its client's id).

    ``expires_at`` is in Unix seconds, when the credential expires at all.
    """

    kind: CredentialKind
    id: int
    dialect: str
    expires_at: int | None = None


@dataclass(frozen=True, slots=True)
class Principal:
    kind: AccountKind
    account_id: int
    credential: Credential
    scopes: frozenset[Scope]
    plan: str | None = None

    @property
    def account(self) -> Account:
        """The organization or person acting (not an application)."""
        if self.kind is AccountKind.APPLICATION:
            raise PermissionDenied("This operation needs an account's credential.")
        return Account(self.kind, self.account_id)

    @property
    def organization_id(self) -> int:
        """The organization acting; only for organization principals."""
        if self.kind is not AccountKind.ORGANIZATION:
            raise PermissionDenied("This operation needs an organization's credential.")
        return self.account_id

    def require(self, scope: Scope) -> None:
        if scope not in self.scopes:
            raise PermissionDenied(f"This credential lacks the {scope.value} scope.", scope=scope)
