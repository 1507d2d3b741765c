"""PawPlacer's words for the canonical vocabularies (docs/domain.md has the tables)."""

from __future__ import annotations

from openpaws.dialects.inputs import Messages
from openpaws.domain import taxonomy
from openpaws.domain.vocab import Age, Coat, Health, PersonRole, PersonStatus, Sex, Size


def _species_out() -> dict[str, str]:
    return {t.slug: t.name.lower() for t in taxonomy.animal_types()}


SPECIES_OUT = _species_out()
SPECIES_IN = {word: slug for slug, word in SPECIES_OUT.items()} | {
    t.slug: t.slug for t in taxonomy.animal_types()
}

AGE_OUT = {Age.BABY: "youngest", Age.YOUNG: "young", Age.ADULT: "adult", Age.SENIOR: "senior"}
AGE_IN = {word: age.value for age, word in AGE_OUT.items()}

SIZE_OUT = {
    Size.XSMALL: "xSmall",
    Size.SMALL: "small",
    Size.MEDIUM: "medium",
    Size.LARGE: "large",
    Size.XLARGE: "xLarge",
}
SIZE_IN = {word: size.value for size, word in SIZE_OUT.items()}

SEX = tuple(s.value for s in Sex)
HEALTH = tuple(h.value for h in Health)
COATS = tuple(c.value for c in Coat)

# good_with / bad_with words; kids, dogs and cats are the canonical good-with-children/dogs/cats.
COMPATIBILITY = (
    "activeLifestyle",
    "cats",
    "disabledMental",
    "disabledPhysical",
    "dogs",
    "families",
    "firstTimeOwners",
    "frequentTravelers",
    "kids",
    "otherPets",
    "outdoorsLiving",
    "sedentaryLifestyle",
    "seniors",
    "smallApartments",
)
COMPANIONS = {"kids": "children"}  # PawPlacer word -> canonical companion word
TEMPERAMENTS = (
    "affectionate",
    "aggressive",
    "cuddly",
    "curious",
    "docile",
    "energetic",
    "fearful",
    "gentle",
    "independent",
    "loyal",
    "mischievous",
    "moody",
    "playful",
    "protective",
    "quiet",
    "rough",
    "shy",
    "smart",
    "social",
    "stubborn",
    "vocal",
)
PERSON_TYPES = tuple(
    r.value
    for r in (PersonRole.ADOPTER, PersonRole.FOSTER, PersonRole.SURRENDER, PersonRole.VOLUNTEER)
)
PERSON_STATUSES = tuple(s.value for s in PersonStatus)

# How PawPlacer words the problems of a field (see openpaws.dialects.inputs).
MESSAGES = Messages(
    {
        "not_integer": "Expected a whole number",
        "not_moment": "Expected ISO-8601 timestamp",
        "not_number": "Expected number or numeric string",
        "negative": "Must be at least 0",
        "not_fee": "Must be at most {high}, with at most two decimal places",
        "not_urls": "Expected http(s) URLs",
        "not_weight": "Expected a number with an optional unit (lb, kg, g, oz)",
        "not_email": "Invalid email address",
    }
)

# PawPlacer's names for canonical fields, where they differ (used in error details).
FIELD_NAMES = {
    "type": "species",
    "age": "age_category",
    "organization_animal_id": "custom_id",
    "custom_status": "custom_status_id",
    "veterinarian": "primary_veterinarian_id",
    "spayed_neutered": "spayed",
    "birth_date": "age_birthday",
    "coat": "coat_length",
    "photos": "image_urls",
}

# The names of PawPlacer's quotas (its documented endpoint classes).
LIST_QUOTA = "list"
DETAIL_QUOTA = "detail"
CUSTOM_FIELDS_QUOTA = "custom_fields"
WRITE_QUOTA = "write"
