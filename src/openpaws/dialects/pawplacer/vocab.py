"""PawPlacer's words for the canonical vocabularies (docs/domain.md has the tables)."""

from __future__ import annotations

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
