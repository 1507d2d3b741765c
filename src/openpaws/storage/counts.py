"""Exact totals without a scan per request.

A total is cached with the value of its table's change counter when it was computed; every
write bumps that counter in its own transaction, so a cached total is served only while no
write has committed since. The counter is read first, then the total, so a total cached under
a counter value is never older than that value.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy import Connection, update

from openpaws.storage.tables import change_counters

if TYPE_CHECKING:
    from openpaws.storage.database import Reader

T = TypeVar("T")

MAX_ENTRIES = 20_000


class CountCache:
    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self._entries: OrderedDict[Hashable, tuple[int, object]] = OrderedDict()
        self._lock = threading.Lock()
        self._max = max_entries

    def get_or_compute(
        self, reader: Reader, counter: str, key: Hashable, compute: Callable[[], T]
    ) -> T:
        generation = read_counter(reader, counter)
        with self._lock:
            hit = self._entries.get(key)
            if hit is not None and hit[0] == generation:
                self._entries.move_to_end(key)
                return hit[1]  # type: ignore[return-value]
        value = compute()
        with self._lock:
            self._entries[key] = (generation, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def read_counter(reader: Reader, name: str) -> int:
    return int(
        reader.scalar("SELECT value FROM change_counters WHERE name = :name", {"name": name})
    )


def bump_counter(conn: Connection, name: str) -> None:
    """Record a change to ``name``; call inside the transaction that makes the change."""
    conn.execute(
        update(change_counters)
        .where(change_counters.c.name == name)
        .values(value=change_counters.c.value + 1)
    )
