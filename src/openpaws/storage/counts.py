"""Exact derived data (totals, ordered id lists) without recomputing it per request.

A value is cached with the value of its table's change counter when it was computed; every
write bumps that counter in its own transaction, so a cached value is served only while no
write has committed since. The counter is read first, then the value, so a value cached under
a counter value is never older than that value.
"""

from __future__ import annotations

import threading
from array import array
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Connection, bindparam, update

from openpaws.storage.prepared import Prepared
from openpaws.storage.tables import change_counters

if TYPE_CHECKING:
    from openpaws.storage.database import Reader

T = TypeVar("T")

# A total weighs 1; an id list weighs one per 256 ids. 40,000 is about 20,000 totals and
# 5 million ids (40 MB).
MAX_WEIGHT = 40_000


def _weight(value: object) -> int:
    return len(value) // 256 + 1 if isinstance(value, array) else 1


class DerivedCache:
    """Least-recently-used values, each valid while its change counter is unchanged."""

    def __init__(self, max_weight: int = MAX_WEIGHT) -> None:
        self._entries: OrderedDict[Hashable, tuple[int, object]] = OrderedDict()
        self._lock = threading.Lock()
        self._max = max_weight
        self._weight = 0
        self._running: dict[Hashable, threading.Event] = {}

    def get_or_compute(
        self, reader: Reader, counter: str, key: Hashable, compute: Callable[[], T]
    ) -> T:
        """The cached value, or ``compute()``'s; concurrent misses of one key compute it once
        (the others wait for it) so an expensive query is never run by every thread at once."""
        generation = read_counter(reader, counter)
        while True:
            with self._lock:
                hit = self._entries.get(key)
                if hit is not None and hit[0] == generation:
                    self._entries.move_to_end(key)
                    return hit[1]  # type: ignore[return-value]
                running = self._running.get(key)
                if running is None:
                    running = self._running[key] = threading.Event()
                    break
            running.wait(timeout=60)
            generation = read_counter(reader, counter)
        try:
            value = compute()
            self._store(key, generation, value)
        finally:
            with self._lock:
                del self._running[key]
            running.set()
        return value

    def _store(self, key: Hashable, generation: int, value: object) -> None:
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._weight -= _weight(old[1])
            self._entries[key] = (generation, value)
            self._weight += _weight(value)
            while self._weight > self._max and len(self._entries) > 1:
                _, (_, evicted) = self._entries.popitem(last=False)
                self._weight -= _weight(evicted)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._weight = 0


class Memo:
    """A bounded dict for values that are exact by their key (emptied when full)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._values: dict[Hashable, Any] = {}

    def get(self, key: Hashable) -> Any:
        return self._values.get(key)

    def put(self, key: Hashable, value: Any) -> None:
        if len(self._values) >= self.size:
            self._values.clear()
        self._values[key] = value


def read_counter(reader: Reader, name: str) -> int:
    return int(
        reader.scalar("SELECT value FROM change_counters WHERE name = :name", {"name": name})
    )


_BUMP = Prepared(
    update(change_counters)
    .where(change_counters.c.name == bindparam("counter"))
    .values(value=change_counters.c.value + 1)
)


def bump_counter(conn: Connection, name: str) -> None:
    """Record a change to ``name``; call inside the transaction that makes the change."""
    _BUMP.execute(conn, {"counter": name}).close()
