"""Small pieces every query builder shares: binding a list, escaping a LIKE pattern."""

from __future__ import annotations

from collections.abc import MutableMapping, Sequence


def bind_list(params: MutableMapping[str, object], name: str, values: Sequence[object]) -> str:
    """Bind ``values`` as ``name_0, name_1, ...`` in ``params``; return ``(:name_0, ...)``."""
    names = [f"{name}_{i}" for i in range(len(values))]
    params.update(zip(names, values, strict=True))
    return "(" + ", ".join(f":{n}" for n in names) + ")"


def like_pattern(fragment: str) -> str:
    """A LIKE pattern matching ``fragment`` anywhere, its wildcards escaped with ``\\``."""
    escaped = fragment.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
