"""Paws Source words and their canonical values (docs/pawssource.md, docs/domain.md).

Each table is written once, one way; the other way is derived from it.
"""

from __future__ import annotations

from openpaws.dialects.inputs import Messages
from openpaws.domain.search import KindMatch
from openpaws.domain.vocab import StatusClass
from openpaws.platform.principals import Scope

# -- species --------------------------------------------------------------------------------

# The species word of each (type, taxonomy species) where the type alone does not say it.
SPECIES_WITHIN: dict[str, dict[str, tuple[str, ...]]] = {
    "scales-fins-other": {
        "piscine": ("Fish",),
        "amphibian": ("Frog", "Toad", "Newt", "Salamander", "Amphibian"),
        "arachnid": ("Tarantula", "Scorpion", "Arachnid"),
        "reptile": ("Lizard", "Snake", "Tortoise", "Turtle", "Reptile"),
    },
}
# The word of each type, and of the species of a type above that no word names.
SPECIES_OF_TYPE = {
    "dog": "canine",
    "cat": "feline",
    "bird": "avian",
    "rabbit": "lagomorph",
    "small-furry": "rodent",
    "horse": "equine",
    "scales-fins-other": "exotic",
    "barnyard": "livestock",
}
# What a pet created with each word is: its type, and the species to keep when no breed says.
SPECIES_IN: dict[str, tuple[str, str | None]] = {
    **{word: (animal_type, None) for animal_type, word in SPECIES_OF_TYPE.items()},
    **{
        word: (animal_type, names[-1])
        for animal_type, words in SPECIES_WITHIN.items()
        for word, names in words.items()
    },
}
SPECIES_WORDS = tuple(sorted(SPECIES_IN))


def species_word(animal_type: str, species: str) -> str:
    for word, names in SPECIES_WITHIN.get(animal_type, {}).items():
        if species in names:
            return word
    return SPECIES_OF_TYPE[animal_type]


def species_match(word: str) -> KindMatch:
    """The animals a species word finds."""
    animal_type, _ = SPECIES_IN[word]
    within = SPECIES_WITHIN.get(animal_type, {})
    if word in within:
        return KindMatch(animal_type, species=within[word])
    others = tuple(name for names in within.values() for name in names)
    return KindMatch(animal_type, other_than=others)


# -- status ---------------------------------------------------------------------------------

ACTIVE, INACTIVE, DECEASED = "active", "inactive", "deceased"
STATUS_OUT = {
    StatusClass.OWNED: ACTIVE,
    StatusClass.AVAILABLE: ACTIVE,
    StatusClass.PENDING: ACTIVE,
    StatusClass.HOLD: ACTIVE,
    StatusClass.FOUND: ACTIVE,
    StatusClass.INACTIVE: INACTIVE,
    StatusClass.ADOPTED: INACTIVE,
    StatusClass.DECEASED: DECEASED,
}
STATUS_WORDS = (ACTIVE, INACTIVE, DECEASED)
STATUS_CLASSES = {
    word: tuple(c.value for c, out in STATUS_OUT.items() if out == word) for word in STATUS_WORDS
}

# -- keys -----------------------------------------------------------------------------------

KEY_PREFIX = "pk_live_"
PLANS = ("free", "pro", "enterprise")

# Each permission a key may hold, and the canonical scopes it gives.
PERMISSIONS: dict[str, frozenset[Scope]] = {
    "pets:read": frozenset({Scope.ANIMALS_READ, Scope.MEDICAL_RECORDS_READ, Scope.ID_TAGS_READ}),
    "pets:write": frozenset(
        {Scope.ANIMALS_WRITE, Scope.MEDICAL_RECORDS_WRITE, Scope.ID_TAGS_WRITE}
    ),
    "appointments:write": frozenset({Scope.APPOINTMENTS_WRITE}),
    "appointments:manage": frozenset({Scope.APPOINTMENTS_MANAGE}),
    "orders:write": frozenset({Scope.ORDERS_WRITE}),
    "orders:fulfil": frozenset({Scope.ORDERS_FULFIL}),
    "grooming:write": frozenset({Scope.GROOMING_WRITE}),
    "webhooks:manage": frozenset({Scope.WEBHOOKS_MANAGE}),
}
# What every key may do, whatever its permissions: browse the catalog and the directory.
EVERY_KEY = frozenset({Scope.PRODUCTS_READ, Scope.ORGANIZATIONS_READ})
EVERY_ACCOUNT = (
    "pets:read",
    "pets:write",
    "appointments:write",
    "orders:write",
    "grooming:write",
    "webhooks:manage",
)
# Permissions only some kinds of organization may hold.
PROVIDERS = {
    "appointments:manage": ("clinic", "groomer"),
    "orders:fulfil": ("shop",),
}

# -- errors ---------------------------------------------------------------------------------

# The wire name of each canonical field a use case may name.
FIELD_NAMES = {
    "type": "species",
    "species": "species",
    "breeds": "breed",
    "birth_date": "date_of_birth",
    "weight": "weight_kg",
    "name": "name",
    "medical_notes": "medical_notes",
    "status": "status",
    "animal_id": "pet_id",
}
# The seed's issue word for each kind of problem the input reader finds.
ISSUES = {
    "missing": "required",
    "required": "must_not_be_blank",
    "not_text": "must_be_string",
    "too_long": "too_long",
    "not_one_line": "must_be_one_line",
    "bad_characters": "invalid_characters",
    "not_integer": "must_be_integer",
    "not_number": "must_be_number",
    "out_of_range": "out_of_range",
    "not_one_of": "must_be_one_of",
    "not_in_list": "must_be_one_of",
    "not_date": "must_be_valid_iso_date",
    "future_date": "must_not_be_in_the_future",
    "not_object": "must_be_object",
    "unknown_field": "unknown_field",
    "invalid_cursor": "invalid_cursor",
    "not_found": "not_found",
    "not_list": "must_be_array",
    "not_items": "must_be_non_empty_array",
    "too_many": "too_many",
    "not_country": "must_be_country_code",
    "not_last4": "must_be_four_digits",
    "expired": "expired",
    "not_url": "must_be_url",
    "internal_address": "internal_address_not_allowed",
    "mixed_shops": "mixed_shops",
    "insufficient_stock": "insufficient_stock",
    "invalid_state": "invalid_state",
    "not_boolean": "must_be_boolean",
    "not_moment": "must_be_valid_iso_datetime",
    "past_date": "must_not_be_in_the_past",
    "not_offered": "not_offered",
    "not_an_upgrade": "not_an_upgrade",
    "not_on_grid": "must_be_on_the_half_hour",
    "outside_opening_hours": "outside_opening_hours",
    "slot_unavailable": "slot_unavailable",
    "already_chipped": "already_has_microchip",
    "taken": "already_registered",
}
MESSAGES = Messages(
    {
        "missing": "This field is required.",
        "required": "Must not be blank.",
        "not_text": "Must be a string.",
        "too_long": "Must be at most {limit} characters.",
        "not_one_line": "Must be one line.",
        "not_integer": "Must be an integer.",
        "not_number": "Must be a number.",
        "out_of_range": "Must be between {low} and {high}.",
        "not_one_of": "Must be one of: {allowed}.",
        "not_date": "Invalid date format provided.",
        "future_date": "Must not be in the future.",
        "not_object": "Must be a JSON object.",
        "unknown_field": "Unknown field.",
        "invalid_cursor": "Invalid or expired cursor.",
        "not_found": "No such {noun}.",
        "not_items": "Must be a non-empty array of items.",
        "too_many": "At most {limit} items.",
        "not_country": "Must be a two-letter country code.",
        "not_last4": "Must be the last four digits.",
        "expired": "This card has expired.",
        "not_url": "Must be an http or https URL.",
        "not_boolean": "Must be true or false.",
        "not_moment": "Must be an ISO 8601 date-time.",
    }
)
