"""The spread inputs of a run, drawn from the data itself so no single cached answer serves them.

Everything is deterministic for a given database: the same data gives the same inputs.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import msgspec

from openpaws import demo
from openpaws.storage.database import Database

PAGES = range(1, 51)
ZIP_CODES = 120
FRAGMENTS = 60
IDS = 2_000
SHARE = (0.001, 0.02)  # a fragment matches between 0.1% and 2% of the animals searched
VISIBLE = "('available', 'adopted', 'found')"  # what Petfinder lists


class NotEnoughInputs(RuntimeError):
    pass


class Fragment(msgspec.Struct, frozen=True):
    text: str
    matches: int


@dataclass(frozen=True)
class Inputs:
    anchor_code: str  # the organization whose key request 5 uses
    anchor_pets: int  # its listed pets (the population of request 5's fragments)
    listed: int  # animals Petfinder lists (the population of request 3's fragments)
    pages: list[int]
    zip_codes: list[str]
    names: list[Fragment]
    searches: list[Fragment]
    ids: list[int]


def candidate_fragments(words: Iterable[str] = demo.NAMES) -> set[str]:
    """Every 3-5 letter piece of the words (by default the demo's names)."""
    found: set[str] = set()
    for word in words:
        for piece in _pieces(word.lower()):
            found.add(piece)
    return found


def _pieces(text: str) -> Iterable[str]:
    for size in (3, 4, 5):
        for start in range(len(text) - size + 1):
            piece = text[start : start + size]
            if piece.isalpha():
                yield piece


def _count(texts: Counter[str], candidates: set[str]) -> Counter[str]:
    """How many of the texts (with multiplicity) contain each candidate."""
    counts: Counter[str] = Counter()
    for text, times in texts.items():
        for piece in set(_pieces(text)) & candidates:
            counts[piece] += times
    return counts


def choose_fragments(
    texts: Counter[str], population: int, candidates: set[str] | None = None
) -> list[Fragment]:
    """``FRAGMENTS`` fragments spread over the 0.1%-2% band, lowest to highest share."""
    low, high = SHARE[0] * population, SHARE[1] * population
    counts = _count(texts, candidate_fragments() if candidates is None else candidates)
    band = sorted((n, text) for text, n in counts.items() if low <= n <= high)
    if len(band) < 50:
        raise NotEnoughInputs(f"only {len(band)} fragments match 0.1%-2% of {population}")
    step = len(band) / min(FRAGMENTS, len(band))
    return [Fragment(band[int(i * step)][1], band[int(i * step)][0]) for i in range(FRAGMENTS)]


def draw(db: Database, anchor_code: str) -> Inputs:
    rng = random.Random(2026)
    with db.read() as r:
        anchor_id = r.scalar("SELECT id FROM organizations WHERE code = :c", {"c": anchor_code})
        names = Counter(
            {
                str(name): int(n)
                for name, n in r.all(
                    f"SELECT lower(name), count(*) FROM animals WHERE public_status IN {VISIBLE} "
                    "GROUP BY lower(name)"
                )
            }
        )
        anchor_rows = r.all(
            "SELECT name, description, breed_primary, breed_secondary FROM animals "
            "WHERE organization_id = :org AND public_status IS NOT NULL",
            {"org": anchor_id},
        )
        ids = [row[0] for row in r.all(f"SELECT id FROM animals WHERE public_status IN {VISIBLE}")]
        zip_codes = sorted(
            {
                str(row[0])
                for row in r.all(
                    "SELECT o.postcode FROM organizations o WHERE o.kind IN ('shelter', 'rescue')"
                )
            }
        )
    if len(zip_codes) < 100:
        raise NotEnoughInputs(f"only {len(zip_codes)} ZIP codes of listing organizations")
    searched = Counter("\n".join(str(v or "") for v in row).lower() for row in anchor_rows)
    return Inputs(
        anchor_code=anchor_code,
        anchor_pets=len(anchor_rows),
        listed=len(ids),
        pages=list(PAGES),
        zip_codes=rng.sample(zip_codes, min(ZIP_CODES, len(zip_codes))),
        names=choose_fragments(names, len(ids)),
        searches=choose_fragments(searched, len(anchor_rows)),
        ids=rng.sample(ids, min(IDS, len(ids))),
    )


def product_fragments(db: Database) -> tuple[int, list[Fragment]]:
    """The active products, and keyword fragments matching 0.1%-2% of them (name, brand or
    description)."""
    with db.read() as r:
        rows = r.all("SELECT name, brand, description FROM products WHERE active = TRUE")
    texts = Counter("\n".join(str(v or "") for v in row).lower() for row in rows)
    words = {w for row in rows[:2000] for v in row for w in str(v or "").split()}
    return len(rows), choose_fragments(texts, len(rows), candidate_fragments(words))
