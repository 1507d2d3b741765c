"""Ages from a date of birth: whole years, and the life stage an animal of a type is in."""

from __future__ import annotations

from datetime import date

from openpaws.domain.vocab import Age

# Months at which each type stops being a baby, stops being young, and becomes a senior.
STAGES: dict[str, tuple[int, int, int]] = {
    "dog": (6, 24, 96),
    "cat": (6, 24, 120),
    "rabbit": (4, 12, 72),
    "small-furry": (2, 6, 24),
    "horse": (12, 48, 180),
    "bird": (6, 12, 120),
    "scales-fins-other": (6, 24, 120),
    "barnyard": (6, 24, 96),
}


def months_between(birth: date, today: date) -> int:
    months = (today.year - birth.year) * 12 + today.month - birth.month
    return months - 1 if today.day < birth.day else months


def whole_years(birth_date: str, today: date) -> int:
    """Completed years from ``birth_date`` (ISO) to ``today``; 0 for a future date."""
    return max(0, months_between(date.fromisoformat(birth_date), today) // 12)


def life_stage(animal_type: str, birth_date: str | None, today: date) -> str:
    """The age class of an animal of ``animal_type`` born on ``birth_date``; unknown without
    one."""
    if birth_date is None or animal_type not in STAGES:
        return Age.UNKNOWN.value
    months = months_between(date.fromisoformat(birth_date), today)
    baby, young, senior = STAGES[animal_type]
    if months < baby:
        return Age.BABY.value
    if months < young:
        return Age.YOUNG.value
    return Age.SENIOR.value if months >= senior else Age.ADULT.value
