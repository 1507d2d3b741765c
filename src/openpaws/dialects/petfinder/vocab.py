"""Petfinder's words for the canonical vocabularies (docs/domain.md has the tables)."""

from __future__ import annotations

from openpaws.domain.search import AnimalSort, OrganizationSort
from openpaws.domain.vocab import Age, Coat, Sex, Size, StatusClass

AGE_OUT = {Age.BABY: "Baby", Age.YOUNG: "Young", Age.ADULT: "Adult", Age.SENIOR: "Senior"}
AGE_IN = {label.lower(): (age.value,) for age, label in AGE_OUT.items()}

GENDER_OUT = {Sex.MALE: "Male", Sex.FEMALE: "Female", Sex.UNKNOWN: "Unknown"}
GENDER_IN = {label.lower(): (sex.value,) for sex, label in GENDER_OUT.items()}

# Petfinder has no extra-small: it shows it as Small, and size=small finds both.
SIZE_OUT = {
    Size.XSMALL: "Small",
    Size.SMALL: "Small",
    Size.MEDIUM: "Medium",
    Size.LARGE: "Large",
    Size.XLARGE: "Extra Large",
}
SIZE_IN = {
    "small": (Size.XSMALL.value, Size.SMALL.value),
    "medium": (Size.MEDIUM.value,),
    "large": (Size.LARGE.value,),
    "xlarge": (Size.XLARGE.value,),
    "extra-large": (Size.XLARGE.value,),
    "extra large": (Size.XLARGE.value,),
    "extra_large": (Size.XLARGE.value,),
}

COAT_OUT = {coat: coat.value.capitalize() for coat in Coat}
COAT_IN = {coat.value: (coat.value,) for coat in Coat}

# Only these status classes are visible through Petfinder; pending, hold and the rest are not.
STATUS_OUT = {
    StatusClass.AVAILABLE: "adoptable",
    StatusClass.ADOPTED: "adopted",
    StatusClass.FOUND: "found",
}
STATUS_IN = {label: (status.value,) for status, label in STATUS_OUT.items()}
VISIBLE_STATUSES = tuple(status.value for status in STATUS_OUT)

# Petfinder's sort words; the minus sign reverses.
ANIMAL_SORT_IN = {
    "recent": AnimalSort.PUBLISHED_DESC,
    "-recent": AnimalSort.PUBLISHED_ASC,
    "distance": AnimalSort.DISTANCE_ASC,
    "-distance": AnimalSort.DISTANCE_DESC,
    "random": AnimalSort.RANDOM,
}
ORGANIZATION_SORT_IN = {
    "distance": OrganizationSort.DISTANCE_ASC,
    "-distance": OrganizationSort.DISTANCE_DESC,
    "name": OrganizationSort.NAME_ASC,
    "-name": OrganizationSort.NAME_DESC,
    "country": OrganizationSort.COUNTRY_ASC,
    "-country": OrganizationSort.COUNTRY_DESC,
    "state": OrganizationSort.STATE_ASC,
    "-state": OrganizationSort.STATE_DESC,
}
