"""Accounts: who owns records and credentials. An organization (shelter, rescue, clinic,
groomer, shop) or a person (a pet owner); OAuth applications act for the platform."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class AccountKind(StrEnum):
    ORGANIZATION = "organization"
    PERSON = "person"
    APPLICATION = "application"  # an OAuth client


@dataclass(frozen=True, slots=True)
class Account:
    kind: AccountKind  # organization or person
    id: int

    @property
    def organization_id(self) -> int | None:
        return self.id if self.kind is AccountKind.ORGANIZATION else None

    @property
    def person_id(self) -> int | None:
        return self.id if self.kind is AccountKind.PERSON else None
