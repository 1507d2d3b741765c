"""Group commit for SQLite: writers queued at the same moment share one durable commit.

SQLite has one writer at a time and, with ``synchronous=FULL``, every commit waits for the
disk. Writers of this process therefore queue for one writer connection (first come, first
served). Each runs inside a SAVEPOINT of a transaction opened by the first of them; a writer
that finishes while others are queued hands the open transaction on, and the last one of the
queue (or the one that fills a batch) commits it. Every writer returns only once the commit
holding its work is on disk, so nothing is acknowledged before it is durable; a writer whose
work fails rolls back only its own savepoint.

While a commit waits for the disk, the next writers gather behind it, so under load one flush
carries several writes; alone, a writer commits at once, as before.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, cast

from sqlalchemy import Connection, RootTransaction

# A batch is committed once it holds this many writes, even if more are queued.
MAX_BATCH = 64


class _Batch:
    def __init__(self, root: RootTransaction) -> None:
        self.root = root
        self.writes = 0
        self.broken = False  # a writer's work could not be undone: commit nothing
        self.committed = threading.Event()
        self.error: BaseException | None = None


class _Savepoint:
    """One writer's savepoint, issued on the driver (cheaper than SQLAlchemy's, and invisible
    to it: a writer's own ``begin_nested`` still works inside)."""

    NAME = "openpaws_writer"

    def __init__(self, conn: Connection) -> None:
        self.raw = cast(Any, conn.connection.dbapi_connection)
        self.raw.execute(f"SAVEPOINT {self.NAME}")

    def release(self) -> None:
        self.raw.execute(f"RELEASE {self.NAME}")

    def roll_back(self) -> None:
        self.raw.execute(f"ROLLBACK TO {self.NAME}")
        self.raw.execute(f"RELEASE {self.NAME}")


class GroupCommit:
    def __init__(self, connect: Callable[[], Connection]) -> None:
        self._connect = connect
        self._slot = threading.Lock()  # held by the writer running now
        self._count_lock = threading.Lock()
        self._queued = 0  # writers waiting for the slot
        self._owner: int | None = None
        self._conn: Connection | None = None
        self._batch: _Batch | None = None

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        if self._owner == threading.get_ident():  # nested: a savepoint of the writer's own
            assert self._conn is not None
            with self._conn.begin_nested():
                yield self._conn
            return
        with self._count_lock:
            self._queued += 1
        self._slot.acquire()
        with self._count_lock:
            self._queued -= 1
        self._owner = threading.get_ident()
        try:
            conn, batch = self._join()
        except BaseException:
            self._discard_connection()
            self._release()
            raise
        try:
            savepoint = _Savepoint(conn)
        except BaseException:
            self._finish(batch)  # the others' work in this batch still commits
            raise
        try:
            yield conn
            savepoint.release()
        except BaseException:
            try:
                savepoint.roll_back()
            except BaseException:
                batch.broken = True
                raise
            finally:
                self._finish(batch)
            raise
        self._finish(batch)
        batch.committed.wait()
        if batch.error is not None:
            raise batch.error

    def _join(self) -> tuple[Connection, _Batch]:
        if self._conn is None:
            self._conn = self._connect()
        if self._batch is None:
            self._batch = _Batch(self._conn.begin())
        self._batch.writes += 1
        return self._conn, self._batch

    def _finish(self, batch: _Batch) -> None:
        """Commit the batch if no writer is queued behind (or it is full), then let go."""
        with self._count_lock:
            last = self._queued == 0
        if last or batch.writes >= MAX_BATCH or batch.broken:
            self._batch = None
            try:
                if batch.broken:
                    raise RuntimeError("a write of this batch could not be rolled back")
                batch.root.commit()
            except BaseException as error:
                batch.error = error
                self._discard_connection()
            finally:
                batch.committed.set()
        self._release()

    def _release(self) -> None:
        self._owner = None
        self._slot.release()

    def _discard_connection(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            finally:
                self._conn = None

    def close(self) -> None:
        with self._slot:
            self._discard_connection()
