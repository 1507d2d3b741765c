"""Comparing live payloads with the seed documents' examples, key for key."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

# Copies of the seed documents' examples, kept with the tests (see its README.md).
EXAMPLES = Path(__file__).resolve().parent.parent / "data" / "seed_examples"


def load(dialect: str, name: str) -> Any:
    return json.loads((EXAMPLES / dialect / name).read_text())


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return type(value).__name__


# Free-form objects whose keys are an organization's own data, not part of the shape.
OPAQUE = frozenset({"custom_field_data"})


def missing_or_mistyped(example: Any, live: Any, path: str = "$") -> list[str]:
    """Where ``live`` lacks a key of ``example`` or holds another JSON type (null allowed)."""
    if example is None or live is None:
        return []
    if _kind(example) != _kind(live):
        return [f"{path}: {_kind(live)} instead of {_kind(example)}"]
    problems: list[str] = []
    if isinstance(example, dict):
        for key, value in example.items():
            if key not in live:
                problems.append(f"{path}.{key}: missing")
            elif key in OPAQUE:
                problems += missing_or_mistyped({}, live[key], f"{path}.{key}")
            else:
                problems += missing_or_mistyped(value, live[key], f"{path}.{key}")
    elif isinstance(example, list) and example and live:
        for item in live:
            problems += missing_or_mistyped(example[0], item, f"{path}[]")
    return problems
