"""The character rules every text OpenPaws keeps: the same on every database.

Any Unicode character is allowed except NUL, the other C0 controls (tab, line feed and carriage
return are allowed), DEL and unpaired surrogates (which no UTF-8 can carry). PostgreSQL
refuses NUL while SQLite stores it; checking before storage makes both accept the same texts.
"""

from __future__ import annotations

import re

BAD_CHARACTERS = "Must not contain NUL, control characters or unpaired surrogates"
_BAD = re.compile("[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f\\ud800-\\udfff]")


def clean(value: str) -> bool:
    """Whether ``value`` keeps the character rules."""
    return _BAD.search(value) is None
