"""Small pieces every query builder shares: binding a list, escaping a LIKE pattern, the
keyset condition of a newest-first list."""

from __future__ import annotations

from collections.abc import MutableMapping, Sequence

from openpaws.domain.search import KeysetCursor
from openpaws.storage.types import to_micros


def bind_list(params: MutableMapping[str, object], name: str, values: Sequence[object]) -> str:
    """Bind ``values`` as ``name_0, name_1, ...`` in ``params``; return ``(:name_0, ...)``."""
    names = [f"{name}_{i}" for i in range(len(values))]
    params.update(zip(names, values, strict=True))
    return "(" + ", ".join(f":{n}" for n in names) + ")"


def like_pattern(fragment: str) -> str:
    """A LIKE pattern matching ``fragment`` anywhere, its wildcards escaped with ``\\``."""
    escaped = fragment.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def newest_first(alias: str) -> str:
    """The order of every newest-first list: creation time, then id, both descending."""
    return f"{alias}.created_at DESC, {alias}.id DESC"


def after_in_newest_first(
    alias: str, after: KeysetCursor, params: MutableMapping[str, object]
) -> str:
    """The rows that come after ``after`` in :func:`newest_first` order (a keyset page). A row
    value, so that PostgreSQL (as SQLite) starts an index range scan at the cursor rather than
    filtering every row before it."""
    params["after_moment"] = to_micros(after.moment)
    params["after_id"] = after.id
    return f"({alias}.created_at, {alias}.id) < (:after_moment, :after_id)"


def first_after(pairs: Sequence[int], moment: int, ident: int) -> int:
    """The position of the first (moment, id) pair of ``pairs`` (flattened, newest first) that
    comes after (moment, ident): a binary search, since the pairs descend."""
    low, high = 0, len(pairs) // 2
    while low < high:
        middle = (low + high) // 2
        if (pairs[2 * middle], pairs[2 * middle + 1]) < (moment, ident):
            high = middle
        else:
            low = middle + 1
    return low
