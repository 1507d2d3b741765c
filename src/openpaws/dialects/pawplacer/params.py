"""Reading the GET /api/pets query string into a canonical search."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from openpaws.dialects.pawplacer import vocab
from openpaws.domain import org_settings
from openpaws.domain.errors import FieldProblem, InvalidInput
from openpaws.domain.search import AnimalFilters
from openpaws.storage.database import Database

MAX_LIMIT = 100
DEFAULT_LIMIT = 20
MAX_OFFSET = 10_000_000


def _integer(
    query: Mapping[str, str], name: str, default: int, problems: list[FieldProblem]
) -> int:
    text = query.get(name, "").strip()
    if not text:
        return default
    if not text.isdigit():
        problems.append(FieldProblem("query", name, "Expected a whole number"))
        return default
    return int(text)


def pet_search(
    db: Database, organization_id: int, query: Mapping[str, str]
) -> tuple[AnimalFilters, int, int]:
    """(filters, limit, offset); limit is clamped to 100 as PawPlacer does."""
    problems: list[FieldProblem] = []
    limit = _integer(query, "limit", DEFAULT_LIMIT, problems)
    if limit < 1:
        problems.append(FieldProblem("query", "limit", "Must be between 1 and 100"))
    offset = _integer(query, "offset", 0, problems)
    if offset > MAX_OFFSET:
        problems.append(FieldProblem("query", "offset", f"Must be at most {MAX_OFFSET}"))
    types: tuple[str, ...] = ()
    species = query.get("species", "").strip().lower()
    if species:
        if species not in vocab.SPECIES_IN:
            allowed = ", ".join(sorted(set(vocab.SPECIES_OUT.values())))
            problems.append(FieldProblem("query", "species", f"Expected one of: {allowed}"))
        else:
            types = (vocab.SPECIES_IN[species],)
    updated_since = None
    if since := query.get("updated_since", "").strip():
        try:
            updated_since = datetime.fromisoformat(since.replace("Z", "+00:00"))
        except ValueError:
            problems.append(FieldProblem("query", "updated_since", "Expected ISO-8601 timestamp"))
        else:
            updated_since = (
                updated_since if updated_since.tzinfo else updated_since.replace(tzinfo=UTC)
            )
    if problems:
        raise InvalidInput("Validation failed", fields=tuple(problems))
    label = query.get("status", "").strip()
    filters = AnimalFilters(
        statuses=(),
        types=types,
        text=query.get("search", "").strip() or None,
        updated_since=updated_since,
        status_label=org_settings.label_match(db, organization_id, label) if label else None,
    )
    return filters, min(limit, MAX_LIMIT), offset
