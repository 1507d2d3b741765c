"""Who is calling and what they may do."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from openpaws.domain.errors import PermissionDenied


class Scope(StrEnum):
    PETS_READ = "pets:read"
    PETS_WRITE = "pets:write"
    PEOPLE_WRITE = "people:write"


# What each kind of API key may do: "read", or "write" (which includes read).
KEY_SCOPES: dict[str, frozenset[Scope]] = {
    "read": frozenset({Scope.PETS_READ}),
    "write": frozenset({Scope.PETS_READ, Scope.PETS_WRITE, Scope.PEOPLE_WRITE}),
}


@dataclass(frozen=True)
class Principal:
    """An organization acting through one of its API keys."""

    organization_id: int
    api_key_id: int
    scopes: frozenset[Scope]

    def require(self, scope: Scope) -> None:
        if scope not in self.scopes:
            raise PermissionDenied(f"This API key lacks the {scope.value} scope.")
