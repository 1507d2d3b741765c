"""Encoded JSON of wire objects, remembered under a key that names everything they depend on."""

from __future__ import annotations

from collections.abc import Callable, Hashable

import msgspec

_encode = msgspec.json.Encoder().encode


class EncodedMemo:
    """A bounded map from key to encoded form (emptied when full).

    Exact as long as the key changes whenever anything the form shows changes: the record's id
    and ``updated_at`` (every write sets it), plus whatever it shows of other records.
    """

    def __init__(self, size: int = 10_000) -> None:
        self.size = size
        self._forms: dict[Hashable, msgspec.Raw] = {}

    def get(self, key: Hashable, build: Callable[[], msgspec.Struct]) -> msgspec.Raw:
        form = self._forms.get(key)
        if form is None:
            if len(self._forms) >= self.size:
                self._forms.clear()
            form = self._forms[key] = msgspec.Raw(_encode(build()))
        return form
